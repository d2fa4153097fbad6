import {
  type CostExplorerClient,
  GetCostAndUsageCommand,
  type GetCostAndUsageCommandOutput,
} from '@aws-sdk/client-cost-explorer';
import { type CostDay, daysOf, nextDay } from '@spend-alerts/core';
import type { Logger } from '../log.ts';
import type { CostHistoryStore, StoredCostDay } from './history-store.ts';

const DAY = 86_400_000;
/**
 * Cost Explorer keeps revising a day's cost for a while after it ends, most of it within the first
 * day (late usage records): a day is taken as settled once it was fetched more than this long after
 * its end, and is not asked for again. A later revision (a credit, a refund) shows in the next
 * month's comparison, not in this one's days.
 */
export const SETTLE_MS = DAY;
const LEASE_MS = 30_000;
/** After a failed refresh, the next alert waits this long before trying again. */
const RETRY_AFTER_FAILURE_MS = 60_000;
/** Days read from the ledger are kept in memory this long: a warm consumer reads the table once a minute. */
const MEMORY_MS = 60_000;

export interface CostHistoryOptions {
  store: CostHistoryStore;
  costExplorer: () => CostExplorerClient;
  /** A refresh at most this often (`enrichment.cacheTtl`): one request set per organization per window. */
  refreshEveryMs: number;
  /** Never more Cost Explorer requests than this in a calendar month (`enrichment.maxRequestsPerMonth`). */
  maxRequestsPerMonth: number;
  now: () => Date;
  logger?: Logger;
  /** Called once per Cost Explorer request (each page is one, and costs $0.01). */
  onRequest?: (operation: string) => void;
  sleep?: (ms: number) => Promise<void>;
  /** How long to wait for another consumer's refresh before going without it. */
  waitForOthersMs?: number;
}

export interface HistoryAnswer {
  days: CostDay[];
  /** Why the days are incomplete or older than a refresh would make them; null when current. */
  unavailable: string | null;
}

/**
 * The organization's daily costs by linked account and service, kept in the ledger and refreshed at
 * most once a window with one GetCostAndUsage (grouped by LINKED_ACCOUNT and SERVICE), which answers
 * every account's and every budget's breakdown. A refresh asks only for the days that can still
 * change, or that were never fetched; the month's request budget is never exceeded: past it, alerts
 * get the days already kept, and say since when.
 */
export class CostHistory {
  private memory: { at: number; from: string; to: string; answer: HistoryAnswer } | null = null;
  private inFlight: Promise<HistoryAnswer> | null = null;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: CostHistoryOptions) {
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  /** The days of `[from, to)`, refreshed first when a refresh is due and allowed. */
  async days(from: string, to: string): Promise<HistoryAnswer> {
    const now = this.options.now().getTime();
    const m = this.memory;
    if (m && now - m.at < MEMORY_MS && m.from <= from && m.to >= to) return narrow(m.answer, from, to);
    this.inFlight ??= this.load(from, to).finally(() => {
      this.inFlight = null;
    });
    const answer = await this.inFlight;
    return narrow(answer, from, to);
  }

  private async load(from: string, to: string): Promise<HistoryAnswer> {
    const { store } = this.options;
    const now = this.options.now().getTime();
    let stored = await store.days(from, to);
    let unavailable: string | null = null;
    const last = await store.lastRefresh();
    const stale = pending(stored, from, to, now);
    if (stale && this.refreshAllowed(last, now)) {
      if (await store.acquireLease(LEASE, LEASE_MS)) {
        try {
          // Another consumer may have refreshed while this one read.
          stored = await store.days(from, to);
          const again = pending(stored, from, to, now);
          const latest = await store.lastRefresh();
          if (again && this.refreshAllowed(latest, now)) unavailable = await this.refresh(again, to, now);
          stored = await store.days(from, to);
        } finally {
          await store.releaseLease(LEASE).catch(() => undefined);
        }
      } else {
        stored = await this.waitForOthers(from, to, last?.at ?? 0);
      }
    }
    const missing = daysOf({ start: from, end: to }).length - stored.length;
    if (!unavailable && missing > 0 && stale) {
      const used = await store.requestsUsed(monthOf(now));
      if (used >= this.options.maxRequestsPerMonth)
        unavailable = budgetUsed(this.options.maxRequestsPerMonth, last?.at ?? null);
    }
    const answer = { days: stored.map(({ date, cells }) => ({ date, cells })), unavailable };
    this.memory = { at: now, from, to, answer };
    return answer;
  }

  private refreshAllowed(last: { at: number; failedAt: number | null } | null, now: number): boolean {
    if (!last) return true;
    if (last.failedAt !== null && now - last.failedAt < RETRY_AFTER_FAILURE_MS) return false;
    return now - last.at >= this.options.refreshEveryMs || last.failedAt !== null;
  }

  /** Fetches `[start, to)` page by page, each page taken from the month's budget first. */
  private async refresh(start: string, to: string, now: number): Promise<string | null> {
    const { store } = this.options;
    const month = monthOf(now);
    const byDay = new Map<string, CostDay['cells']>();
    let token: string | undefined;
    try {
      do {
        if (!(await store.reserveRequest(month, this.options.maxRequestsPerMonth))) {
          // Not a refresh: the costs kept stay as of the last one, and the next alert asks again later.
          const last = await store.lastRefresh();
          await store.recordRefresh(now, true);
          return budgetUsed(this.options.maxRequestsPerMonth, last?.at || null);
        }
        this.options.onRequest?.('GetCostAndUsage');
        this.options.logger?.info({ costExplorerRequest: 'GetCostAndUsage', from: start, to }, 'cost explorer request');
        const page: GetCostAndUsageCommandOutput = await this.options.costExplorer().send(
          new GetCostAndUsageCommand({
            TimePeriod: { Start: start, End: to },
            Granularity: 'DAILY',
            Metrics: ['UnblendedCost'],
            GroupBy: [
              { Type: 'DIMENSION', Key: 'LINKED_ACCOUNT' },
              { Type: 'DIMENSION', Key: 'SERVICE' },
            ],
            NextPageToken: token,
          }),
        );
        for (const period of page.ResultsByTime ?? []) {
          const date = period.TimePeriod?.Start ?? '';
          const cells = byDay.get(date) ?? {};
          for (const group of period.Groups ?? []) {
            const [account = 'unknown', service = 'Unknown'] = group.Keys ?? [];
            const amount = Number(group.Metrics?.UnblendedCost?.Amount ?? 0);
            if (!Number.isFinite(amount) || amount === 0) continue;
            cells[account] ??= {};
            cells[account][service] = (cells[account][service] ?? 0) + amount;
          }
          byDay.set(date, cells);
        }
        token = page.NextPageToken;
      } while (token);
    } catch (error) {
      await store.recordRefresh(now, true).catch(() => undefined);
      return describeFailure(error);
    }
    // Every day asked for is stored, a day without cost as an empty one: it was asked, and is known.
    const days: StoredCostDay[] = daysOf({ start, end: to }).map((date) => ({
      date,
      cells: byDay.get(date) ?? {},
      fetchedAt: now,
    }));
    await store.putDays(days);
    await store.recordRefresh(now, false);
    return null;
  }

  private async waitForOthers(from: string, to: string, since: number): Promise<StoredCostDay[]> {
    const { store } = this.options;
    const deadline = Date.now() + (this.options.waitForOthersMs ?? 10_000);
    for (let round = 0; Date.now() < deadline; round++) {
      await this.sleep(Math.min(200, 20 * 2 ** round));
      const latest = await store.lastRefresh();
      if (latest && latest.at > since) break;
    }
    return store.days(from, to);
  }
}

const LEASE = 'cost-history-refresh';

/** The first day of `[from, to)` that is missing or may still change, or null when all are settled. */
function pending(stored: StoredCostDay[], from: string, to: string, _now: number): string | null {
  const byDate = new Map(stored.map((d) => [d.date, d]));
  for (const date of daysOf({ start: from, end: to })) {
    const day = byDate.get(date);
    const ends = Date.parse(`${nextDay(date)}T00:00:00Z`);
    if (!day || day.fetchedAt < ends + SETTLE_MS) return date;
  }
  return null;
}

function narrow(answer: HistoryAnswer, from: string, to: string): HistoryAnswer {
  return { ...answer, days: answer.days.filter((d) => d.date >= from && d.date < to) };
}

const monthOf = (ms: number) => new Date(ms).toISOString().slice(0, 7);

function budgetUsed(max: number, since: number | null): string {
  const what = since
    ? `costs as of ${new Date(since).toISOString().slice(0, 16).replace('T', ' ')} UTC`
    : 'no costs fetched yet';
  return `this month's Cost Explorer request budget (${max}) is used: ${what}`;
}

export function describeFailure(error: unknown): string {
  const name = (error as Error)?.name ?? 'Error';
  if (name === 'DataUnavailableException')
    return 'Cost Explorer has no data for this account yet (DataUnavailableException)';
  if (name === 'ThrottlingException' || name === 'LimitExceededException')
    return `Cost Explorer is throttling requests (${name})`;
  if (name === 'AccessDeniedException')
    return 'the pipeline may not read Cost Explorer (AccessDeniedException: enable Cost Explorer and check ce:GetCostAndUsage)';
  return `Cost Explorer request failed (${name})`;
}
