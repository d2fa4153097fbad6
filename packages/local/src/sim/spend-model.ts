/**
 * A deterministic simulated AWS organization: what every linked account spends on every service
 * each day, in integer cents. Everything local that reports spend (the Cost Explorer and Budgets
 * stand-ins, the messages Budgets, CloudWatch and Cost Anomaly Detection publish) reads it, so
 * they all tell one story.
 *
 * Availability rule (the "lag rule"): on simulated day D, the costs of days before D are known
 * and D's own are not yet. Month-to-date on D therefore means `[first of month, D)`, which is
 * exactly what Cost Explorer returns for `TimePeriod { Start: first of month, End: D }` (End is
 * exclusive), and a forecast made on D covers `[D, month end]`, which is exactly the window
 * `GetCostForecast` accepts (it must start today or later).
 */
import {
  addDays,
  dayNumber,
  dayOf,
  daysBetween,
  formatDay,
  monthStart,
  nextMonthStart,
  periodEnd,
  periodStart,
  weekday,
  type Period,
} from './calendar.ts';
import {
  DEFAULT_ACCOUNTS,
  DEFAULT_ANOMALY,
  PAYER_ACCOUNT_ID,
  SERVICES,
  type SimAccount,
  type SimAnomaly,
  type SimService,
} from './catalog.ts';
import { unitNoise } from './prng.ts';

/** Which costs a question is about. Empty means the whole organization. */
export interface CostScope {
  /** One linked account. */
  account?: string | undefined;
  /**
   * A Cost Explorer service name (`Amazon Elastic Compute Cloud - Compute`) or a billing
   * `ServiceName` code (`AmazonEC2`, which covers both EC2 services as the billing metric does).
   */
  service?: string | undefined;
}

/** Several accounts and services at once; each list, when given, must match. */
export interface CostFilter {
  accounts?: readonly string[] | undefined;
  /** Cost Explorer service names or billing `ServiceName` codes. */
  services?: readonly string[] | undefined;
}

/** Picks cells (one account's cost of one service) for sums over arbitrary filters. */
export type CellMatch = (account: SimAccount, service: SimService) => boolean;

/** Cents by account id, then by Cost Explorer service name. Cells with no cost are left out. */
export type CostCells = Record<string, Record<string, number>>;

/** How to build the simulated organization; every option has a default that tells the standard story. */
export interface SpendModelOptions {
  /** The scenario month, `YYYY-MM`: where growth starts and the anomaly happens. Default: the month of `start`. */
  month?: string;
  /** When the simulated clock starts (only used to pick the default month). Default: now. */
  start?: Date | string;
  /** Same seed, same costs. */
  seed?: number;
  payerAccountId?: string;
  accounts?: readonly SimAccount[];
  services?: readonly SimService[];
  /** `null` for a month without an anomaly. */
  anomaly?: SimAnomaly | null;
  /** Daily cost growth, as a fraction of the month's level per day. */
  growthPerDay?: number;
  /** Spend before the month as a fraction of its level, reached over the month's first `days`. */
  ramp?: { from: number; days: number };
}

/** The simulated organization's spend. Every amount is integer cents; every day is `YYYY-MM-DD` (UTC). */
export interface SpendModel {
  readonly month: string;
  /** The scenario month's first day. */
  readonly monthStart: string;
  readonly seed: number;
  readonly payerAccountId: string;
  readonly accounts: readonly SimAccount[];
  readonly services: readonly SimService[];
  readonly anomaly: SimAnomaly | null;
  /** The anomaly's first day, or null. */
  readonly anomalyStart: string | null;
  accountName(id: string): string | undefined;
  /** Cost Explorer service names a scope's `service` stands for (a code may stand for several). */
  serviceNames(service: string): string[];
  /** One day's cost by account and service. */
  costFor(day: string, filter?: CostFilter): CostCells;
  /** One cell: what `account` spent on `service` (Cost Explorer name) on `day`. */
  cellCents(day: string, account: string, service: string): number;
  /** The same cell as it would have been without the anomaly (what anomaly detection expects). */
  expectedCents(day: string, account: string, service: string): number;
  /** Whether Cost Explorer has any data for the account on that day (false before it was created). */
  hasData(account: string, day: string): boolean;
  /** Sum over `[start, end)`. */
  costBetween(start: string, end: string, scope?: CostScope): number;
  /** Sum over `[start, end)` of the cells `match` picks (what Cost Explorer filters use). */
  costWhere(start: string, end: string, match: CellMatch): number;
  /** Month-to-date as known on `date`: `[first of month, date)` (the lag rule). */
  monthToDate(date: string, scope?: CostScope): number;
  /** Period-to-date as known on `date`; for a daily period that is yesterday's cost. */
  periodToDate(date: string, period: Period, scope?: CostScope): number;
  /** The cost predicted, on `date`, for each day from `date` on: the mean of the last seven known days. */
  dailyForecast(date: string, scope?: CostScope): number;
  /** The same prediction for the cells `match` picks. */
  dailyForecastWhere(date: string, match: CellMatch): number;
  /** Predicted cost, as of `today`, of the days in `[start, end)` (all on or after `today`). */
  forecastBetween(today: string, start: string, end: string, scope?: CostScope): number;
  /** Month-to-date plus the forecast of the rest of the month, as Budgets' FORECASTED amount. */
  forecastMonthEnd(date: string, scope?: CostScope): number;
  forecastPeriodEnd(date: string, period: Period, scope?: CostScope): number;
}

/** The seed of the default scenario; any other gives a different but equally plausible organization. */
export const DEFAULT_SEED = 20_260_401;

/**
 * Builds the simulated organization. Same options, same costs, on any machine.
 * @example createSpendModel({ month: '2026-04' }).monthToDate('2026-04-11') // cents of April 1–10
 */
export function createSpendModel(options: SpendModelOptions = {}): SpendModel {
  const start = options.start === undefined ? new Date() : options.start;
  const month = options.month ?? (typeof start === 'string' ? start : dayOf(start)).slice(0, 7);
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month))
    throw new RangeError(`month must be YYYY-MM, got ${JSON.stringify(month)}`);
  const seed = options.seed ?? DEFAULT_SEED;
  const payerAccountId = options.payerAccountId ?? PAYER_ACCOUNT_ID;
  // The default organization's management account takes the payer id asked for.
  const accounts =
    options.accounts ?? DEFAULT_ACCOUNTS.map((a) => (a.id === PAYER_ACCOUNT_ID ? { ...a, id: payerAccountId } : a));
  const services = options.services ?? SERVICES;
  const anomaly = options.anomaly === undefined ? DEFAULT_ANOMALY : options.anomaly;
  const growth = options.growthPerDay ?? 0.005;
  const ramp = options.ramp ?? { from: 0.8, days: 6 };
  /**
   * The level of spend `t` days after the scenario month starts (1 = the month's post-launch
   * level). A workload launched on the 1st ramps up over the first days, then spend grows
   * steadily; before the month it was lower, so the previous month (which enrichment compares
   * with) is cheaper and forecasts catch up over several days instead of on the 1st.
   */
  const trendOn = (t: number) => {
    if (t < 0) return Math.max(1 / 3, ramp.from * (1 + growth * t));
    if (t < ramp.days) return ramp.from + ((1 - ramp.from) * t) / ramp.days;
    return 1 + growth * (t - ramp.days);
  };
  const first = `${month}-01`;
  const anomalyStart = anomaly ? addDays(first, anomaly.startDay - 1) : null;
  const anomalyDays =
    anomalyStart && anomaly
      ? new Set(Array.from({ length: anomaly.days }, (_, i) => addDays(anomalyStart, i)))
      : new Set<string>();
  const accountIndex = new Map(accounts.map((a, i) => [a.id, i]));
  const serviceIndex = new Map(services.map((s, i) => [s.name, i]));
  const cache = new Map<number, Int32Array>();

  const namesFor = (service: string) =>
    services.filter((s) => s.name === service || s.code === service).map((s) => s.name);
  const scopeMatch = (scope: CostScope = {}): CellMatch => {
    const names = scope.service === undefined ? null : new Set(namesFor(scope.service));
    return (account, service) =>
      (scope.account === undefined || account.id === scope.account) && (names === null || names.has(service.name));
  };

  /** Costs of one day, every account × service, with and without the anomaly. */
  function day(d: string): Int32Array {
    const n = dayNumber(d);
    const hit = cache.get(n);
    if (hit) return hit;
    const cells = new Int32Array(accounts.length * services.length * 2);
    const trend = trendOn(daysBetween(first, d));
    const weekend = weekday(d) === 0 || weekday(d) === 6;
    accounts.forEach((account, a) => {
      if (account.createdOn !== undefined && d < account.createdOn) return;
      services.forEach((service, s) => {
        const base = account.baseDaily[service.name] ?? 0;
        if (base <= 0) return;
        const noise = 1 + 0.08 * (unitNoise(seed, 'cost', d, account.id, service.name) - 0.5);
        const expected = Math.round(base * 100 * trend * (weekend ? service.weekend : 1) * noise);
        const spike =
          anomaly && anomalyDays.has(d) && anomaly.account === account.id && anomaly.service === service.name
            ? Math.round(anomaly.extraDaily * 100 * (0.85 + 0.3 * unitNoise(seed, 'spike', d)))
            : 0;
        const i = (a * services.length + s) * 2;
        cells[i] = expected + spike;
        cells[i + 1] = expected;
      });
    });
    cache.set(n, cells);
    return cells;
  }

  function costWhere(startDay: string, end: string, match: CellMatch): number {
    const picked: number[] = [];
    for (const [a, account] of accounts.entries()) {
      for (const [s, service] of services.entries()) {
        if (match(account, service)) picked.push((a * services.length + s) * 2);
      }
    }
    let total = 0;
    for (let n = dayNumber(startDay), last = dayNumber(end); n < last; n++) {
      const cells = day(formatDay(n));
      for (const i of picked) total += cells[i]!;
    }
    return total;
  }

  function dailyForecastWhere(date: string, match: CellMatch): number {
    // A week back covers each weekday once, so the weekly pattern does not bias the mean.
    return Math.round(costWhere(addDays(date, -7), date, match) / 7);
  }

  const costBetween = (from: string, end: string, scope?: CostScope) => costWhere(from, end, scopeMatch(scope));

  function forecastBetween(today: string, from: string, end: string, scope?: CostScope): number {
    if (from < today) throw new RangeError(`a forecast covers days from ${today} on, not ${from}`);
    return dailyForecastWhere(today, scopeMatch(scope)) * Math.max(0, daysBetween(from, end));
  }

  const cell = (d: string, account: string, service: string, offset: 0 | 1) => {
    const a = accountIndex.get(account);
    const s = serviceIndex.get(service);
    return a === undefined || s === undefined ? 0 : day(d)[(a * services.length + s) * 2 + offset]!;
  };

  return {
    month,
    monthStart: first,
    seed,
    payerAccountId,
    accounts,
    services,
    anomaly,
    anomalyStart,
    accountName: (id) => accounts.find((a) => a.id === id)?.name,
    serviceNames: namesFor,
    costFor(d, filter = {}) {
      const accountSet = filter.accounts ? new Set(filter.accounts) : null;
      const serviceSet = filter.services ? new Set(filter.services.flatMap(namesFor)) : null;
      const out: CostCells = {};
      for (const account of accounts) {
        if (accountSet && !accountSet.has(account.id)) continue;
        for (const service of services) {
          if (serviceSet && !serviceSet.has(service.name)) continue;
          const cents = cell(d, account.id, service.name, 0);
          if (cents === 0) continue;
          out[account.id] ??= {};
          out[account.id]![service.name] = cents;
        }
      }
      return out;
    },
    cellCents: (d, account, service) => cell(d, account, service, 0),
    expectedCents: (d, account, service) => cell(d, account, service, 1),
    hasData(account, d) {
      const a = accounts.find((x) => x.id === account);
      return a !== undefined && (a.createdOn === undefined || d >= a.createdOn);
    },
    costBetween,
    costWhere,
    monthToDate: (date, scope) => costBetween(monthStart(date), date, scope),
    periodToDate(date, period, scope) {
      // The lag rule: on `date` only earlier days are known, so a daily budget reports yesterday.
      return period === 'daily'
        ? costBetween(addDays(date, -1), date, scope)
        : costBetween(periodStart(date, period), date, scope);
    },
    dailyForecast: (date, scope) => dailyForecastWhere(date, scopeMatch(scope)),
    dailyForecastWhere,
    forecastBetween,
    forecastMonthEnd: (date, scope) =>
      costBetween(monthStart(date), date, scope) + forecastBetween(date, date, nextMonthStart(date), scope),
    forecastPeriodEnd(date, period, scope) {
      if (period === 'daily') throw new RangeError('AWS Budgets has no forecasts for daily budgets');
      return (
        costBetween(periodStart(date, period), date, scope) +
        forecastBetween(date, date, periodEnd(date, period), scope)
      );
    },
  };
}
