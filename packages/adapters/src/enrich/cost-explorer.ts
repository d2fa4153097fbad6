import { BudgetsClient, DescribeBudgetCommand } from '@aws-sdk/client-budgets';
import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import {
  type Enrichment,
  enrichmentFromHistory,
  linkedScope,
  money,
  monthThrough,
  monthToDate,
  previousPeriod,
  type SpendEvent,
} from '@spend-alerts/core';
import type { Logger } from '../log.ts';
import { CostHistory } from './cost-history.ts';
import type { CostHistoryStore } from './history-store.ts';

/** Where answers are kept between invocations and consumers (the ledger table). */
export interface EnrichmentCache {
  getCached<T>(key: string): Promise<T | null>;
  putCached(key: string, value: unknown, ttlMs: number): Promise<void>;
}

export interface CostExplorerEnricherOptions {
  cache: EnrichmentCache;
  history: CostHistoryStore;
  /** Cost Explorer's endpoint is us-east-1 only. */
  costExplorer?: CostExplorerClient;
  budgets?: BudgetsClient;
  topServices: number;
  /** One refresh of the organization's costs per this window (`enrichment.cacheTtl`). */
  cacheTtlMs: number;
  /** The month's Cost Explorer request budget (`enrichment.maxRequestsPerMonth`). */
  maxRequestsPerMonth: number;
  /** In a payer account: also break costs down by linked account. */
  payer: boolean;
  now?: () => Date;
  logger?: Logger;
  /** Called once per Cost Explorer request (each page counts: every request costs $0.01). */
  onRequest?: (operation: string) => void;
  sleep?: (ms: number) => Promise<void>;
  /** How long to wait for another consumer's refresh before going without it. */
  waitForOthersMs?: number;
}

type BudgetDetails = { details: Enrichment['budget']; linkedAccounts: string[] | null };

/**
 * Adds the cost context an alert needs: month-to-date by service (top N and Other) against the same
 * days of the previous month, the daily series, the month-end forecast, the linked-account breakdown
 * in a payer account, and a budget's own details. Every answer comes from the organization's daily
 * costs ({@link CostHistory}: one Cost Explorer request set a window, whatever the burst); the
 * forecast is the budget's own from AWS Budgets (free) or a projection from the daily costs, never a
 * GetCostForecast. A failure degrades the alert ("breakdown unavailable: …"), never blocks it.
 */
export class CostExplorerEnricher {
  private costExplorer: CostExplorerClient | undefined;
  private budgetsClient: BudgetsClient | undefined;
  private readonly now: () => Date;
  private readonly history: CostHistory;

  constructor(private readonly options: CostExplorerEnricherOptions) {
    this.costExplorer = options.costExplorer;
    this.budgetsClient = options.budgets;
    this.now = options.now ?? (() => new Date());
    this.history = new CostHistory({
      store: options.history,
      costExplorer: () => this.ce,
      refreshEveryMs: options.cacheTtlMs,
      maxRequestsPerMonth: options.maxRequestsPerMonth,
      now: this.now,
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.onRequest ? { onRequest: options.onRequest } : {}),
      ...(options.sleep ? { sleep: options.sleep } : {}),
      ...(options.waitForOthersMs !== undefined ? { waitForOthersMs: options.waitForOthersMs } : {}),
    });
  }

  async enrich(event: SpendEvent): Promise<Enrichment | null> {
    const account = event.accountId;
    if (!account || event.kind === 'unrecognized') return null;
    const budget = event.kind === 'budget' ? await this.budgetDetails(account, event.budget.name) : null;
    const scope = linkedScope(event, account, budget?.linkedAccounts ?? null);
    return this.breakdown(
      monthToDate(this.now()),
      scope,
      scope.length === 1 ? scope[0]! : account,
      budget?.details ?? null,
    );
  }

  /**
   * The whole bill the account sees (its own, or the organization's in a payer account), month to
   * date through `asOf`'s UTC day inclusive, for digests. A digest sent on the 1st covers the last
   * day of the month before: asking for the period's last day keeps it about the month it reports
   * on. `accountId` only labels the answer (null when unknown).
   * @example await enricher.enrichAccount(null, new Date('2024-03-31T00:00:00Z')) // March, 1–31
   */
  async enrichAccount(accountId: string | null, asOf: Date): Promise<Enrichment> {
    return this.breakdown(monthThrough(asOf), [], accountId, null);
  }

  private async breakdown(
    window: { start: string; end: string },
    scope: string[],
    accountId: string | null,
    budget: Enrichment['budget'],
  ): Promise<Enrichment> {
    const from = previousPeriod(window).start;
    const history =
      window.start === window.end ? { days: [], unavailable: null } : await this.history.days(from, window.end);
    return enrichmentFromHistory({
      days: history.days,
      window,
      scope,
      top: this.options.topServices,
      accountId,
      budget,
      byAccount: this.options.payer,
      unavailable: history.unavailable,
    });
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

  /** A budget's limit, spend and forecast from AWS Budgets (DescribeBudget is free), cached a window. */
  private async budgetDetails(account: string, name: string): Promise<BudgetDetails | null> {
    const key = `budget:${account}:${name}`;
    const hit = await this.options.cache.getCached<BudgetDetails | { missing: true }>(key);
    if (hit) return 'missing' in hit ? null : hit;
    try {
      const { Budget } = await this.budgets.send(new DescribeBudgetCommand({ AccountId: account, BudgetName: name }));
      const limit = Budget?.BudgetLimit;
      const spend = (s: { Amount?: string; Unit?: string } | undefined) =>
        s?.Amount ? money(Number(s.Amount), s.Unit ?? 'USD') : null;
      const details: Enrichment['budget'] = limit?.Amount
        ? {
            limit: money(Number(limit.Amount), limit.Unit ?? 'USD'),
            actual: spend(Budget?.CalculatedSpend?.ActualSpend),
            forecasted: spend(Budget?.CalculatedSpend?.ForecastedSpend),
            timeUnit: Budget?.TimeUnit ?? null,
          }
        : null;
      const found = details ? { details, linkedAccounts: Budget?.CostFilters?.LinkedAccount ?? null } : null;
      await this.options.cache.putCached(key, found ?? { missing: true }, this.options.cacheTtlMs);
      return found;
    } catch (error) {
      this.options.logger?.warn({ budget: name, error: (error as Error).name }, 'budget details unavailable');
      return null;
    }
  }
}
