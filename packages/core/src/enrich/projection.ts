/**
 * The month-end forecast, projected from the month's daily costs: what is spent so far, plus the
 * mean of the last week's days for each day left, with an 80% interval from how much those days
 * varied (daily costs taken as independent). No Cost Explorer request: GetCostForecast costs $0.01
 * a call and says much the same for a steady bill.
 */

/** The z-score of an 80% two-sided interval. */
const Z80 = 1.2816;
const RECENT_DAYS = 7;
/** With fewer days, the spread says nothing yet: no interval. */
const MIN_DAYS_FOR_INTERVAL = 3;

export interface Projection {
  total: number;
  lower: number | null;
  upper: number | null;
}

/**
 * @param daily the month's complete days so far, oldest first
 * @param daysInMonth how many days the month has
 * @returns null before the first day is in, or once the month is over
 * @example projectMonthEnd([10, 10, 10], 30) // { total: 300, lower: 300, upper: 300 }
 */
export function projectMonthEnd(daily: readonly number[], daysInMonth: number): Projection | null {
  const n = daily.length;
  const remaining = daysInMonth - n;
  if (n === 0 || remaining <= 0) return null;
  const spent = daily.reduce((a, b) => a + b, 0);
  const recent = daily.slice(-RECENT_DAYS);
  const mean = recent.reduce((a, b) => a + b, 0) / recent.length;
  const total = spent + mean * remaining;
  if (n < MIN_DAYS_FOR_INTERVAL) return { total: round(total), lower: null, upper: null };
  const variance = recent.reduce((a, b) => a + (b - mean) ** 2, 0) / (recent.length - 1);
  const spread = Z80 * Math.sqrt(variance) * Math.sqrt(remaining);
  return { total: round(total), lower: round(Math.max(spent, total - spread)), upper: round(total + spread) };
}

/** Days in the month of an ISO date. */
export function daysInMonth(day: string): number {
  const [y, m] = day.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

const round = (n: number) => Math.round(n * 100) / 100;
