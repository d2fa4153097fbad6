/**
 * `new Date(Date.parse(text)).toISOString()` for the timestamps AWS messages carry, without
 * building a Date: already canonical UTC (`2024-01-01T00:00:00.000Z`), without milliseconds, with
 * a zero offset, or a bare date (which ECMAScript reads as UTC). Undefined for anything else,
 * including out-of-range fields, which the caller then hands to `Date.parse` as before.
 * @example canonicalUtc('2024-01-01T10:00:00+00:00') // '2024-01-01T10:00:00.000Z'
 */
export function canonicalUtc(text: string): string | undefined {
  const m = SHAPE.exec(text);
  if (!m) return undefined;
  const [, date, year, month, day, time, hour, minute, second, millis] = m as unknown as [string, string, string, string, string, string | undefined, string, string, string, string | undefined];
  const mm = Number(month);
  const dd = Number(day);
  if (mm < 1 || mm > 12 || dd < 1 || dd > daysIn(Number(year), mm)) return undefined;
  if (time === undefined) return `${date}T00:00:00.000Z`;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return undefined;
  return `${date}T${time}.${millis ?? '000'}Z`;
}

/** A date, optionally with a time to the second or millisecond in UTC (Z or a zero offset). */
const SHAPE = /^((\d{4})-(\d{2})-(\d{2}))(?:T((\d{2}):(\d{2}):(\d{2}))(?:\.(\d{3}))?(?:Z|[+-]00:?00))?$/;

function daysIn(year: number, month: number): number {
  if (month !== 2) return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}
