import type { CostDay } from '@spend-alerts/core';

/** A day of cost as the ledger keeps it, with when Cost Explorer was asked for it. */
export interface StoredCostDay extends CostDay {
  fetchedAt: number;
}

/**
 * Where the organization's daily costs are kept between consumers and invocations (the ledger),
 * with the single-flight lease of a refresh and the month's Cost Explorer request budget.
 */
export interface CostHistoryStore {
  /** The stored days in `[from, to)`, oldest first. */
  days(from: string, to: string): Promise<StoredCostDay[]>;
  putDays(days: StoredCostDay[]): Promise<void>;
  /** When the last refresh ran (epoch ms), and when it last failed. */
  lastRefresh(): Promise<{ at: number; failedAt: number | null } | null>;
  recordRefresh(at: number, failed: boolean): Promise<void>;
  /** Takes one request from the month's budget; false when the budget is used up. */
  reserveRequest(month: string, max: number): Promise<boolean>;
  /** Requests taken from the month's budget so far. */
  requestsUsed(month: string): Promise<number>;
  acquireLease(key: string, ttlMs: number): Promise<boolean>;
  releaseLease(key: string): Promise<void>;
}
