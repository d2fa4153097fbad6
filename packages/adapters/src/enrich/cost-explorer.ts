import {
  CostExplorerClient,
  GetCostAndUsageCommand,
  GetCostForecastCommand,
  type Expression,
  type GetCostAndUsageCommandInput,
  type ResultByTime,
} from '@aws-sdk/client-cost-explorer';
import { BudgetsClient, DescribeBudgetCommand } from '@aws-sdk/client-budgets';
import { money, type Enrichment, type ServiceCost, type SpendEvent } from '@spend-alerts/core';
import type { Logger } from '../log.ts';

/** Where answers are kept between invocations and consumers (the ledger table), with a lease for single-flight. */
export interface EnrichmentCache {
  getCached<T>(key: string): Promise<T | null>;
  putCached(key: string, value: unknown, ttlMs: number): Promise<void>;
  acquireLease(key: string, ttlMs: number): Promise<boolean>;
  releaseLease(key: string): Promise<void>;
}

export interface CostExplorerEnricherOptions {
  cache: EnrichmentCache;
  /** Cost Explorer's endpoint is us-east-1 only. */
  costExplorer?: CostExplorerClient;
  budgets?: BudgetsClient;
  topServices: number;
  cacheTtlMs: number;
  /** In a payer account: also break costs down by linked account. */
  payer: boolean;
  now?: () => Date;
  logger?: Logger;
  /** Called once per Cost Explorer request (each page counts: every request costs $0.01). */
  onRequest?: (operation: string) => void;
  sleep?: (ms: number) => Promise<void>;
  /** How long to wait for another consumer's fetch of the same answer before fetching anyway. */
  waitForOthersMs?: number;
}

const DAY = 86_400_000;
const LEASE_MS = 30_000;
const FAILURE_TTL_MS = 60_000;
/** An answer read from the shared cache is kept in memory this long at most (its remaining TTL there is unknown). */
const MEMORY_TTL_MS = 60_000;

/** Answers cached per account and window: what one enrichment needs, fetched once for a burst of any size. */
interface CostAnswer {
  services: Array<{ name: string; cost: number }>;
  previous: Record<string, number>;
  daily: Array<{ date: string; amount: number }>;
  forecast: { total: number; lower: number | null; upper: number | null } | null;
  accounts: Array<{ id: string; name: string | null; cost: number }> | null;
  unavailable: string | null;
}

/**
 * Adds the cost context an alert needs: month-to-date by service (top N and Other) against the same
 * days of the previous month, the daily series, the month-end forecast, the linked-account breakdown
 * in a payer account, and the budget's own details. Every answer is cached by account and window,
 * and a lease makes one consumer fetch while others wait for its answer, so a burst costs one
 * enrichment's requests. A failure degrades the alert ("breakdown unavailable: …"), never blocks it.
 */
export class CostExplorerEnricher {
  private costExplorer: CostExplorerClient | undefined;
  private budgetsClient: BudgetsClient | undefined;
  private readonly now: () => Date;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly inFlight = new Map<string, Promise<CostAnswer>>();
  /** Answers this process has seen, in front of the shared cache: a warm consumer reads the table once a minute per key, not once per alert. */
  private readonly memory = new Map<string, { answer: CostAnswer; until: number }>();

  constructor(private readonly options: CostExplorerEnricherOptions) {
    this.costExplorer = options.costExplorer;
    this.budgetsClient = options.budgets;
    this.now = options.now ?? (() => new Date());
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  async enrich(event: SpendEvent): Promise<Enrichment | null> {
    const account = event.accountId;
    if (!account || event.kind === 'unrecognized') return null;
    const today = this.now();
    const budget = event.kind === 'budget' ? await this.budgetDetails(account, event.budget.name) : null;
    const scope = linkedScope(event, account, budget?.linkedAccounts ?? null);
    const window = monthToDate(today);
    const key = `ce:${account}:${scope.join('+') || 'all'}:${window.start}:${window.end}:DAILY:SERVICE${this.options.payer ? '+ACCOUNT' : ''}`;
    let answer = this.inFlight.get(key);
    if (!answer) {
      answer = this.cached(key, () => this.fetchCosts(scope, window, today));
      this.inFlight.set(key, answer);
      answer.finally(() => this.inFlight.delete(key)).catch(() => undefined);
    }
    const costs = await answer;
    return toEnrichment(
      scope.length === 1 ? scope[0]! : account,
      window,
      costs,
      budget?.details ?? null,
      this.options.topServices,
    );
  }

  /**
   * The whole bill the account sees (its own, or the organization's in a payer account), month to
   * date through `asOf`'s UTC day inclusive, for digests. A digest sent on the 1st covers the last
   * day of the month before, when Cost Explorer's month to date has already moved to the new month:
   * asking for the period's last day keeps the digest about the month it reports on. The forecast
   * runs from the later of today and the day after `asOf` to the month's end, and is null once the
   * month is over. Cached and single-flight like alert enrichments (keyed by account and window),
   * so every digest receiver of a period costs one fetch. `accountId` only labels the answer (null
   * when unknown); the costs are whatever the credentials' account sees.
   * @example await enricher.enrichAccount(null, new Date('2024-03-31T00:00:00Z')) // March, 1–31
   */
  async enrichAccount(accountId: string | null, asOf: Date): Promise<Enrichment> {
    const window = monthThrough(asOf);
    const key = `ce:${accountId ?? '-'}:all:${window.start}:${window.end}:DAILY:SERVICE${this.options.payer ? '+ACCOUNT' : ''}`;
    let answer = this.inFlight.get(key);
    if (!answer) {
      answer = this.cached(key, () => this.fetchCosts([], window, this.now()));
      this.inFlight.set(key, answer);
      answer.finally(() => this.inFlight.delete(key)).catch(() => undefined);
    }
    return toEnrichment(accountId, window, await answer, null, this.options.topServices);
  }

  /** Created at first use: a consumer whose alerts need no breakdown never builds them. */
  private get ce(): CostExplorerClient {
    this.costExplorer ??= new CostExplorerClient({ region: 'us-east-1' });
    return this.costExplorer;
  }

  private get budgets(): BudgetsClient {
    this.budgetsClient ??= new BudgetsClient({ region: 'us-east-1' });
    return this.budgetsClient;
  }

  /** Single-flight across consumers: the lease holder fetches; the others wait for its answer. */
  private async cached(key: string, fetch: () => Promise<CostAnswer>): Promise<CostAnswer> {
    const remembered = this.memory.get(key);
    if (remembered && remembered.until > this.now().getTime()) return remembered.answer;
    const hit = await this.options.cache.getCached<CostAnswer>(key);
    if (hit) return this.remember(key, hit, MEMORY_TTL_MS);
    const leased = await this.options.cache.acquireLease(key, LEASE_MS);
    if (leased) {
      // Another consumer may have stored the answer and let go of the lease since the read above.
      const stored = await this.options.cache.getCached<CostAnswer>(key);
      if (stored) {
        await this.options.cache.releaseLease(key).catch(() => undefined);
        return this.remember(key, stored, MEMORY_TTL_MS);
      }
    } else {
      const deadline = Date.now() + (this.options.waitForOthersMs ?? 10_000);
      // Look again soon, then less often: the holder's answer is usually there within a few round trips.
      for (let round = 0; Date.now() < deadline; round++) {
        await this.sleep(Math.min(200, 20 * 2 ** round));
        const other = await this.options.cache.getCached<CostAnswer>(key);
        if (other) return this.remember(key, other, MEMORY_TTL_MS);
      }
    }
    try {
      const answer = await fetch();
      const ttl = answer.unavailable ? FAILURE_TTL_MS : this.options.cacheTtlMs;
      await this.options.cache.putCached(key, answer, ttl);
      return this.remember(key, answer, ttl);
    } finally {
      // A consumer that waited in vain fetched without the lease: the holder's lease is not its to release.
      if (leased) await this.options.cache.releaseLease(key).catch(() => undefined);
    }
  }

  private remember(key: string, answer: CostAnswer, ttlMs: number): CostAnswer {
    const now = this.now().getTime();
    if (this.memory.size >= 1000) for (const [k, v] of this.memory) if (v.until <= now) this.memory.delete(k);
    if (this.memory.size < 1000)
      this.memory.set(key, { answer, until: now + Math.min(ttlMs, this.options.cacheTtlMs) });
    return answer;
  }

  private async fetchCosts(scope: string[], window: { start: string; end: string }, today: Date): Promise<CostAnswer> {
    const filter: Expression | undefined = scope.length
      ? { Dimensions: { Key: 'LINKED_ACCOUNT', Values: scope } }
      : undefined;
    const answer: CostAnswer = {
      services: [],
      previous: {},
      daily: [],
      forecast: null,
      accounts: null,
      unavailable: null,
    };
    try {
      if (window.start === window.end)
        throw Object.assign(new Error('the month has just begun'), { name: 'MonthJustBegun' });
      const current = await this.costAndUsage({
        TimePeriod: { Start: window.start, End: window.end },
        Granularity: 'DAILY',
        Metrics: ['UnblendedCost'],
        GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }],
        Filter: filter,
      });
      const byService = new Map<string, number>();
      for (const day of current) {
        let total = 0;
        for (const group of day.Groups ?? []) {
          const amount = Number(group.Metrics?.UnblendedCost?.Amount ?? 0);
          const name = group.Keys?.[0] ?? 'Unknown';
          byService.set(name, (byService.get(name) ?? 0) + amount);
          total += amount;
        }
        answer.daily.push({ date: day.TimePeriod?.Start ?? '', amount: round(total) });
      }
      answer.services = [...byService]
        .map(([name, cost]) => ({ name, cost: round(cost) }))
        .sort((a, b) => b.cost - a.cost);

      const previous = previousPeriod(window);
      const prior = await this.costAndUsage({
        TimePeriod: previous,
        Granularity: 'MONTHLY',
        Metrics: ['UnblendedCost'],
        GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }],
        Filter: filter,
      });
      for (const period of prior)
        for (const g of period.Groups ?? [])
          answer.previous[g.Keys?.[0] ?? 'Unknown'] = round(
            (answer.previous[g.Keys?.[0] ?? 'Unknown'] ?? 0) + Number(g.Metrics?.UnblendedCost?.Amount ?? 0),
          );

      if (this.options.payer) {
        const accounts = await this.costAndUsage({
          TimePeriod: { Start: window.start, End: window.end },
          Granularity: 'MONTHLY',
          Metrics: ['UnblendedCost'],
          GroupBy: [{ Type: 'DIMENSION', Key: 'LINKED_ACCOUNT' }],
        });
        answer.accounts = accounts.flatMap((p) =>
          (p.Groups ?? []).map((g) => ({
            id: g.Keys?.[0] ?? '',
            name: null,
            cost: round(Number(g.Metrics?.UnblendedCost?.Amount ?? 0)),
          })),
        );
      }
    } catch (error) {
      answer.unavailable = describeFailure(error);
      return answer;
    }
    // From the window's end (today, for an alert): month to date ends the day before (End is
    // exclusive), so the two add up to the month. Cost Explorer forecasts from today at the
    // earliest; a month already over has nothing left to forecast.
    const start = [window.end, isoDay(today)].sort()[1]!; // the later of the two ISO days
    const end = nextMonth(window.start);
    if (start >= end) return answer;
    answer.forecast = await this.forecast(filter, start, end).catch((error) => {
      answer.unavailable = `forecast: ${describeFailure(error)}`;
      return null;
    });
    return answer;
  }

  private async forecast(filter: Expression | undefined, start: string, end: string) {
    this.count('GetCostForecast');
    const out = await this.ce.send(
      new GetCostForecastCommand({
        TimePeriod: { Start: start, End: end },
        Granularity: 'MONTHLY',
        Metric: 'UNBLENDED_COST',
        PredictionIntervalLevel: 80,
        Filter: filter,
      }),
    );
    const rest = Number(out.Total?.Amount ?? 0);
    const lower =
      out.ForecastResultsByTime?.reduce((n, r) => n + Number(r.PredictionIntervalLowerBound ?? 0), 0) ?? null;
    const upper =
      out.ForecastResultsByTime?.reduce((n, r) => n + Number(r.PredictionIntervalUpperBound ?? 0), 0) ?? null;
    return { total: rest, lower, upper };
  }

  private async costAndUsage(input: GetCostAndUsageCommandInput): Promise<ResultByTime[]> {
    const results: ResultByTime[] = [];
    let token: string | undefined;
    do {
      this.count('GetCostAndUsage');
      const page = await this.ce.send(new GetCostAndUsageCommand({ ...input, NextPageToken: token }));
      results.push(...(page.ResultsByTime ?? []));
      token = page.NextPageToken;
    } while (token);
    // Pages may split one day's groups: merge them by period.
    const merged = new Map<string, ResultByTime>();
    for (const r of results) {
      const k = r.TimePeriod?.Start ?? '';
      const existing = merged.get(k);
      if (existing) existing.Groups = [...(existing.Groups ?? []), ...(r.Groups ?? [])];
      else merged.set(k, { ...r, Groups: [...(r.Groups ?? [])] });
    }
    return [...merged.values()].sort((a, b) => (a.TimePeriod?.Start ?? '').localeCompare(b.TimePeriod?.Start ?? ''));
  }

  private async budgetDetails(
    account: string,
    name: string,
  ): Promise<{ details: Enrichment['budget']; linkedAccounts: string[] | null } | null> {
    const key = `budget:${account}:${name}`;
    const hit = await this.options.cache.getCached<
      { details: Enrichment['budget']; linkedAccounts: string[] | null } | { missing: true }
    >(key);
    if (hit) return 'missing' in hit ? null : hit;
    try {
      const { Budget } = await this.budgets.send(new DescribeBudgetCommand({ AccountId: account, BudgetName: name }));
      const limit = Budget?.BudgetLimit;
      const linkedAccounts = Budget?.CostFilters?.LinkedAccount ?? null;
      const value: Enrichment['budget'] = limit?.Amount
        ? {
            limit: money(Number(limit.Amount), limit.Unit ?? 'USD'),
            actual: Budget?.CalculatedSpend?.ActualSpend?.Amount
              ? money(
                  Number(Budget.CalculatedSpend.ActualSpend.Amount),
                  Budget.CalculatedSpend.ActualSpend.Unit ?? 'USD',
                )
              : null,
            forecasted: Budget?.CalculatedSpend?.ForecastedSpend?.Amount
              ? money(
                  Number(Budget.CalculatedSpend.ForecastedSpend.Amount),
                  Budget.CalculatedSpend.ForecastedSpend.Unit ?? 'USD',
                )
              : null,
            timeUnit: Budget?.TimeUnit ?? null,
          }
        : null;
      const found = value ? { details: value, linkedAccounts } : null;
      await this.options.cache.putCached(key, found ?? { missing: true }, this.options.cacheTtlMs);
      return found;
    } catch (error) {
      this.options.logger?.warn({ budget: name, error: (error as Error).name }, 'budget details unavailable');
      return null;
    }
  }

  private count(operation: string) {
    this.options.onRequest?.(operation);
    this.options.logger?.info({ costExplorerRequest: operation }, 'cost explorer request');
  }
}

/**
 * [first of the month, today): Cost Explorer's End is exclusive, and today's cost is still coming in;
 * the forecast covers today onward. On the 1st the window is empty.
 */
export function monthToDate(today: Date): { start: string; end: string } {
  const start = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 1));
  const end = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()));
  return { start: isoDay(start), end: isoDay(end) };
}

/** [first of the month, the day after `asOf`): month to date through `asOf`'s UTC day, inclusive. */
export function monthThrough(asOf: Date): { start: string; end: string } {
  const start = new Date(Date.UTC(asOf.getUTCFullYear(), asOf.getUTCMonth(), 1));
  const end = new Date(Date.UTC(asOf.getUTCFullYear(), asOf.getUTCMonth(), asOf.getUTCDate() + 1));
  return { start: isoDay(start), end: isoDay(end) };
}

function nextMonth(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  return isoDay(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)));
}

/** The same days at the start of the previous month, cut at its end. */
export function previousPeriod(window: { start: string; end: string }): { Start: string; End: string } {
  const start = new Date(`${window.start}T00:00:00Z`);
  const days = Math.round((Date.parse(`${window.end}T00:00:00Z`) - start.getTime()) / DAY);
  const prevStart = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() - 1, 1));
  const prevEnd = new Date(Math.min(prevStart.getTime() + days * DAY, start.getTime()));
  return { Start: isoDay(prevStart), End: isoDay(prevEnd) };
}

function toEnrichment(
  account: string | null,
  window: { start: string; end: string },
  c: CostAnswer,
  budget: Enrichment['budget'],
  top: number,
): Enrichment {
  const total = c.services.reduce((n, s) => n + s.cost, 0);
  const previousTotal = Object.values(c.previous).reduce((n, v) => n + v, 0);
  const head = c.services.slice(0, top);
  const rest = c.services.slice(top);
  const services: ServiceCost[] = head.map((s) => serviceCost(s.name, s.cost, c.previous[s.name] ?? null));
  if (rest.length) {
    const restPrevious = rest.reduce((n, s) => n + (c.previous[s.name] ?? 0), 0);
    services.push(
      serviceCost(
        'Other',
        rest.reduce((n, s) => n + s.cost, 0),
        restPrevious || null,
      ),
    );
  }
  const hasCosts = c.daily.length > 0;
  return {
    accountId: account,
    currency: 'USD',
    window,
    monthToDate: hasCosts ? money(total) : null,
    previousPeriod: Object.keys(c.previous).length ? money(previousTotal) : null,
    forecast: c.forecast
      ? {
          total: money(total + c.forecast.total),
          lower: c.forecast.lower === null ? null : money(total + c.forecast.lower),
          upper: c.forecast.upper === null ? null : money(total + c.forecast.upper),
        }
      : null,
    services,
    daily: c.daily,
    accounts: c.accounts?.map((a) => ({ id: a.id, name: a.name, cost: money(a.cost) })) ?? null,
    budget,
    unavailable: c.unavailable,
  };
}

/**
 * Which linked accounts an alert is about, for the LINKED_ACCOUNT filter: a budget's own cost
 * filter, a billing alarm's LinkedAccount dimension, an anomaly's root-cause accounts. Empty means
 * the whole bill the account sees (its own, or an organization's in a payer account), which is what
 * an unscoped budget or billing alarm measures.
 */
export function linkedScope(event: SpendEvent, account: string, budgetLinkedAccounts: string[] | null): string[] {
  switch (event.kind) {
    case 'budget':
      return budgetLinkedAccounts ?? [];
    case 'billing-alarm':
      return event.alarm.linkedAccount ? [event.alarm.linkedAccount] : [];
    case 'anomaly': {
      const accounts = [
        ...new Set(
          event.anomaly.rootCauses.map((c) => c.linkedAccount).filter((a): a is string => !!a && /^\d{12}$/.test(a)),
        ),
      ];
      return accounts.length ? accounts : [account];
    }
    default:
      return [account];
  }
}

function serviceCost(name: string, cost: number, previous: number | null): ServiceCost {
  return {
    name,
    cost: money(cost),
    previous: previous === null ? null : money(previous),
    changePercent: previous ? Math.round(((cost - previous) / previous) * 1000) / 10 : null,
  };
}

function describeFailure(error: unknown): string {
  const name = (error as Error)?.name ?? 'Error';
  if (name === 'MonthJustBegun') return 'the month has just begun: no cost yet this month';
  if (name === 'DataUnavailableException')
    return 'Cost Explorer has no data for this account yet (DataUnavailableException)';
  if (name === 'ThrottlingException' || name === 'LimitExceededException')
    return `Cost Explorer is throttling requests (${name})`;
  if (name === 'AccessDeniedException')
    return 'the pipeline may not read Cost Explorer (AccessDeniedException: enable Cost Explorer and check ce:GetCostAndUsage)';
  return `Cost Explorer request failed (${name})`;
}

const round = (n: number) => Math.round(n * 100) / 100;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);
