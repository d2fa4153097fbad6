/**
 * UTC calendar days as AWS billing counts them: `YYYY-MM-DD` strings outside, day numbers
 * (days since 1970-01-01) inside, so that day arithmetic never meets time zones or DST.
 */

const DAY_MS = 86_400_000;
const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** A budget's period, as the config spells it. */
export type Period = 'daily' | 'monthly' | 'quarterly' | 'annually';

/** True for a real calendar day written `YYYY-MM-DD`. */
export function isDay(value: unknown): value is string {
  if (typeof value !== 'string' || !DAY_PATTERN.test(value)) return false;
  return formatDay(dayNumber(value)) === value; // rejects 2026-02-30 and friends
}

/** Days since 1970-01-01 (UTC). */
export function dayNumber(day: string): number {
  const m = DAY_PATTERN.exec(day);
  if (!m) throw new RangeError(`not a day (YYYY-MM-DD): ${JSON.stringify(day)}`);
  return Math.floor(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS);
}

/** The `YYYY-MM-DD` of a day number. */
export function formatDay(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

/** The UTC day a moment falls on. */
export function dayOf(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The day `days` after `day` (before it, when negative). */
export function addDays(day: string, days: number): string {
  return formatDay(dayNumber(day) + days);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(day: string): number {
  return (dayNumber(day) + 4) % 7; // 1970-01-01 was a Thursday
}

/** The first day of `day`'s month. */
export function monthStart(day: string): string {
  return `${day.slice(0, 7)}-01`;
}

/** The first day of the month after `day`'s. */
export function nextMonthStart(day: string): string {
  const year = Number(day.slice(0, 4));
  const month = Number(day.slice(5, 7));
  return month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, '0')}-01`;
}

/** The first day of the budget period `day` falls in. */
export function periodStart(day: string, period: Period): string {
  if (period === 'daily') return day;
  if (period === 'monthly') return monthStart(day);
  if (period === 'annually') return `${day.slice(0, 4)}-01-01`;
  const quarterMonth = Math.floor((Number(day.slice(5, 7)) - 1) / 3) * 3 + 1;
  return `${day.slice(0, 4)}-${String(quarterMonth).padStart(2, '0')}-01`;
}

/** The first day after the budget period `day` falls in (an exclusive end, as Cost Explorer's). */
export function periodEnd(day: string, period: Period): string {
  if (period === 'daily') return addDays(day, 1);
  let end = nextMonthStart(periodStart(day, period));
  const months = period === 'monthly' ? 1 : period === 'quarterly' ? 3 : 12;
  for (let i = 1; i < months; i++) end = nextMonthStart(end);
  return end;
}

/** Every day in `[start, end)`. */
export function daysIn(start: string, end: string): string[] {
  const out: string[] = [];
  for (let n = dayNumber(start), last = dayNumber(end); n < last; n++) out.push(formatDay(n));
  return out;
}

/** The date as the Budgets notification prints it: `March 05, 2023` (the day is zero-padded). */
export function budgetsDate(day: string): string {
  return `${MONTH_NAMES[Number(day.slice(5, 7)) - 1]} ${day.slice(8, 10)}, ${day.slice(0, 4)}`;
}
