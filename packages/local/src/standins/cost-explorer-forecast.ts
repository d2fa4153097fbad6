/**
 * GetCostForecast over the spend model: the same prediction the simulated Budgets uses for its
 * FORECASTED amounts (the mean of the last seven known days, for every day ahead), so a budget's
 * forecast equals month-to-date plus this answer for `[today, next month)`.
 */
import { addDays, daysBetween, nextMonthStart } from '../sim/calendar.ts';
import { centsToAmount } from '../sim/cents.ts';
import { compileFilter } from './cost-explorer-filter.ts';
import { invalid, readEnum, readTimePeriod } from './cost-explorer-protocol.ts';
import { assertDataAvailable, type CostExplorerContext } from './cost-explorer-usage.ts';

const METRICS = [
  'AMORTIZED_COST',
  'BLENDED_COST',
  'NET_AMORTIZED_COST',
  'NET_UNBLENDED_COST',
  'UNBLENDED_COST',
  'USAGE_QUANTITY',
  'NORMALIZED_USAGE_AMOUNT',
] as const;

/**
 * Two-sided normal quantiles for a prediction interval level: the interval widens with the level
 * asked for, as the real one does. Linear between these points is close enough for a simulation.
 */
const Z: ReadonlyArray<readonly [number, number]> = [
  [51, 0.69],
  [60, 0.842],
  [70, 1.036],
  [80, 1.282],
  [90, 1.645],
  [95, 1.96],
  [99, 2.576],
];

/** Relative spread of one day's prediction at 80%; it grows with the square root of the horizon. */
const DAILY_SPREAD_AT_80 = 0.05;

/** Answers GetCostForecast. */
export function getCostForecast(ctx: CostExplorerContext, input: Record<string, unknown>): Record<string, unknown> {
  const { start, end } = readTimePeriod(input.TimePeriod);
  if (start < ctx.today)
    invalid(
      `Start date must be equal to or later than the current date (${ctx.today}) to avoid a mismatch between forecasted and actual values`,
    );
  const metric = readEnum(input.Metric, 'Metric', METRICS);
  if (metric === 'USAGE_QUANTITY' || metric === 'NORMALIZED_USAGE_AMOUNT')
    invalid(`Metric ${metric} is not supported by the local Cost Explorer (it simulates costs, not usage)`);
  const granularity = readEnum(input.Granularity, 'Granularity', ['DAILY', 'MONTHLY', 'HOURLY'] as const);
  if (granularity === 'HOURLY') invalid('Hourly granularity is not supported for forecasts');
  const level = input.PredictionIntervalLevel ?? 80;
  if (typeof level !== 'number' || !Number.isInteger(level) || level < 51 || level > 99)
    invalid('PredictionIntervalLevel must be an integer between 51 and 99');
  const match = compileFilter(input.Filter);
  assertDataAvailable(ctx, match, addDays(ctx.today, -1));

  const rate = ctx.model.dailyForecastWhere(ctx.today, (a, s) => !ctx.noData.has(a.id) && match(a, s));
  const spread = DAILY_SPREAD_AT_80 * (quantile(level) / quantile(80));
  const results: Array<Record<string, unknown>> = [];
  let total = 0;
  for (const { from, to } of periods(start, end, granularity)) {
    let mean = 0;
    let lower = 0;
    let upper = 0;
    for (let d = from; d < to; d = addDays(d, 1)) {
      const horizon = daysBetween(ctx.today, d) + 1;
      const half = Math.round(rate * spread * Math.sqrt(horizon));
      mean += rate;
      lower += Math.max(0, rate - half);
      upper += rate + half;
    }
    total += mean;
    results.push({
      TimePeriod: { Start: from, End: to },
      MeanValue: centsToAmount(mean),
      PredictionIntervalLowerBound: centsToAmount(lower),
      PredictionIntervalUpperBound: centsToAmount(upper),
    });
  }
  return { Total: { Amount: centsToAmount(total), Unit: 'USD' }, ForecastResultsByTime: results };
}

function periods(start: string, end: string, granularity: 'DAILY' | 'MONTHLY'): Array<{ from: string; to: string }> {
  const out: Array<{ from: string; to: string }> = [];
  for (let from = start; from < end; ) {
    const next = granularity === 'DAILY' ? addDays(from, 1) : nextMonthStart(from);
    const to = next < end ? next : end;
    out.push({ from, to });
    from = to;
  }
  return out;
}

function quantile(level: number): number {
  for (let i = 1; i < Z.length; i++) {
    const [l1, z1] = Z[i]!;
    const [l0, z0] = Z[i - 1]!;
    if (level <= l1) return z0 + ((z1 - z0) * (level - l0)) / (l1 - l0);
  }
  return Z[Z.length - 1]![1];
}
