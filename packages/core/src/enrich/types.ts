import type { Money } from '../event/money.ts';

/** One service's cost in the breakdown, against the same days of the previous month. */
export interface ServiceCost {
  /** As Cost Explorer names it (`Amazon Elastic Compute Cloud - Compute`), or `Other`. */
  name: string;
  cost: Money;
  previous: Money | null;
  /** Percent change against `previous`; null when there was nothing to compare with. */
  changePercent: number | null;
}

/**
 * The cost context added to an alert: why spend moved and what comes next. Every part may be
 * missing; `unavailable` says why, and renderers show the alert without it.
 */
export interface Enrichment {
  accountId: string | null;
  currency: string;
  /** The month-to-date window, `end` exclusive (YYYY-MM-DD). */
  window: { start: string; end: string };
  monthToDate: Money | null;
  /** The same number of days at the start of the previous month. */
  previousPeriod: Money | null;
  /**
   * Month-end forecast: a budget's own from AWS Budgets, else projected from the month's daily costs,
   * with an 80% interval when there are days enough to say.
   */
  forecast: { total: Money; lower: Money | null; upper: Money | null } | null;
  /** Top services by month-to-date cost, then one `Other` entry for the rest. */
  services: ServiceCost[];
  /** Daily cost for the window, oldest first, for the sparkline and the digest chart. */
  daily: Array<{ date: string; amount: number }>;
  /** When the account is a payer: cost by linked account. */
  accounts: Array<{ id: string; name: string | null; cost: Money }> | null;
  /** From DescribeBudget, for budget events. */
  budget: { limit: Money; actual: Money | null; forecasted: Money | null; timeUnit: string | null } | null;
  /** Why some or all of the breakdown is missing ("Cost Explorer throttled"). Null when complete. */
  unavailable: string | null;
}
