/**
 * `new Date(Date.parse(text)).toISOString()` for the timestamps AWS messages carry, without
 * building a Date: already canonical UTC (`2024-01-01T00:00:00.000Z`), without milliseconds, with
 * a zero offset, or a bare date (which ECMAScript reads as UTC). Undefined for anything else,
 * including out-of-range fields, which the caller then hands to `Date.parse` as before.
 * @example canonicalUtc('2024-01-01T10:00:00+00:00') // '2024-01-01T10:00:00.000Z'
 */
export function canonicalUtc(text: string): string | undefined {
  if (text.length === 24 && isCanonical(text)) return text; // the usual case: nothing to build
  const m = SHAPE.exec(text);
  if (!m) return undefined;
  const [, date, year, month, day, time, hour, minute, second, millis] = m as unknown as [string, string, string, string, string, string | undefined, string, string, string, string | undefined];
  if (!validDate(Number(year), Number(month), Number(day))) return undefined;
  if (time === undefined) return `${date}T00:00:00.000Z`;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return undefined;
  return `${date}T${time}.${millis ?? '000'}Z`;
}

/**
 * Milliseconds since the epoch of a time `canonicalUtc` returned: `Date.parse` without the parser.
 * @example utcMillis('1970-01-02T00:00:00.000Z') // 86400000
 */
export function utcMillis(canonical: string): number {
  const days = daysFromCivil(digits(canonical, 0, 4), digits(canonical, 5, 2), digits(canonical, 8, 2));
  return days * 86_400_000 + digits(canonical, 11, 2) * 3_600_000 + digits(canonical, 14, 2) * 60_000 + digits(canonical, 17, 2) * 1000 + digits(canonical, 20, 3);
}

/** A date, optionally with a time to the second or millisecond in UTC (Z or a zero offset). */
const SHAPE = /^((\d{4})-(\d{2})-(\d{2}))(?:T((\d{2}):(\d{2}):(\d{2}))(?:\.(\d{3}))?(?:Z|[+-]00:?00))?$/;

/** `YYYY-MM-DDTHH:MM:SS.sssZ` with every field in range, checked character by character. */
function isCanonical(t: string): boolean {
  for (let i = 0; i < 24; i++) {
    const c = t.charCodeAt(i);
    const expected = CANONICAL_SEPARATORS[i];
    if (expected === undefined ? c < 48 || c > 57 : c !== expected) return false;
  }
  return validDate(digits(t, 0, 4), digits(t, 5, 2), digits(t, 8, 2)) && digits(t, 11, 2) <= 23 && digits(t, 14, 2) <= 59 && digits(t, 17, 2) <= 59;
}

/** The separator each position of `YYYY-MM-DDTHH:MM:SS.sssZ` holds; undefined where a digit goes. */
const CANONICAL_SEPARATORS: Array<number | undefined> = [...'0000-00-00T00:00:00.000Z'].map((c) => (c === '0' ? undefined : c.charCodeAt(0)));

/** The decimal number written by `length` ASCII digits at `start`. */
function digits(t: string, start: number, length: number): number {
  let n = 0;
  for (let i = start; i < start + length; i++) n = n * 10 + t.charCodeAt(i) - 48;
  return n;
}

function validDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month);
}

function daysIn(year: number, month: number): number {
  if (month !== 2) return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}

/** Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `days_from_civil`). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}
