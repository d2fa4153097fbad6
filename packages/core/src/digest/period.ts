import type { DigestSchedule } from '../config/primitives.ts';
import { WEEKDAYS } from '../config/primitives.ts';
import type { SpendEvent } from '../event/schema.ts';

/**
 * Digest periods in the receiver's time zone. A daily digest sent at local hour H on day D
 * covers local day D-1, from its midnight to D's midnight; a weekly one sent on weekday W covers
 * the seven local days before. The bounds are instants found from local midnights, so a period
 * with a daylight-saving change is 23 or 25 hours (167 or 169 for a week), never a shifted 24.
 *
 * The digest function runs hourly at minute 5 UTC. A period is due from its send time (the first
 * instant the local clock reads H:00 or later on the send day) until `catchUpHours` later: a run
 * that failed or never happened is made up by the next ones, and a digest that would arrive more
 * than half a day late is skipped, since the next one follows soon and says the same. In zones
 * with half- or quarter-hour offsets (Asia/Kolkata, Asia/Kathmandu) the first run after H:00
 * comes up to 55 minutes after it. Several runs in the window return the same period, with the
 * same `key`: the delivery ledger, keyed on (receiver, key), makes it go out once.
 */
export interface DigestPeriod {
  /** `day:2024-03-31@Europe/Berlin` or `week:2024-03-25@America/New_York`: the first local day covered. */
  key: string;
  every: DigestSchedule['every'];
  timeZone: string;
  /** The first local day covered, YYYY-MM-DD. */
  firstDay: string;
  /** The last local day covered, inclusive. */
  lastDay: string;
  /** ISO UTC instant of the first day's local midnight (inclusive). */
  start: string;
  /** ISO UTC instant of the local midnight after the last day (exclusive). */
  end: string;
  /** Length in hours: 24 or 168, give or take a daylight-saving hour (less in zones that once skipped a day). */
  hours: number;
  /** When the digest became due: local H:00 on the send day, as an ISO UTC instant. */
  sendAt: string;
}

/** How long after its send time a missed digest is still sent, by default. */
export const DEFAULT_CATCH_UP_HOURS = 12;

const MINUTE = 60_000;
const DAY = 86_400_000;

/**
 * The period that should be sent at `now`, or null when none is due: the latest period whose
 * send time has passed, while `now` is less than `catchUpHours` after that send time.
 * @example dueDigest({ every: 'day', hour: 8, weekday: 'monday', timeZone: 'Europe/Berlin', sendWhenEmpty: true }, new Date('2024-04-01T06:05:00Z'))?.key // 'day:2024-03-31@Europe/Berlin'
 */
export function dueDigest(
  schedule: DigestSchedule,
  now: Date,
  options: { catchUpHours?: number } = {},
): DigestPeriod | null {
  const period = latestDigestPeriod(schedule, now);
  const late = now.getTime() - Date.parse(period.sendAt);
  return late < (options.catchUpHours ?? DEFAULT_CATCH_UP_HOURS) * 3_600_000 ? period : null;
}

/** The latest period whose send time is at or before `now`, however long ago (previews, dashboards). */
export function latestDigestPeriod(schedule: DigestSchedule, now: Date): DigestPeriod {
  const tz = schedule.timeZone;
  const wall = wallClock(now.getTime(), tz);
  const today = Math.floor(wall / DAY) * DAY;
  const reached = wall - today >= schedule.hour * 60 * MINUTE;
  let back: number;
  if (schedule.every === 'day') back = reached ? 0 : 1;
  else {
    const weekday = new Date(today).getUTCDay();
    back = (weekday - WEEKDAYS.indexOf(schedule.weekday) + 7) % 7;
    if (back === 0 && !reached) back = 7;
  }
  const sendDay = today - back * DAY;
  const firstDay = sendDay - (schedule.every === 'day' ? 1 : 7) * DAY;
  const start = instantOfWall(firstDay, tz);
  const end = instantOfWall(sendDay, tz);
  const first = isoDate(firstDay);
  return {
    key: `${schedule.every}:${first}@${tz}`,
    every: schedule.every,
    timeZone: tz,
    firstDay: first,
    lastDay: isoDate(sendDay - DAY),
    start: new Date(start).toISOString(),
    end: new Date(end).toISOString(),
    hours: Math.round((end - start) / 3_600_000),
    sendAt: new Date(instantOfWall(sendDay + schedule.hour * 60 * MINUTE, tz)).toISOString(),
  };
}

/**
 * The buffered events a period's digest carries: every event that occurred before the period's
 * end, oldest first. Older ones are included on purpose: an event that reached the buffer after
 * its own period was sent (a late SQS delivery, an anomaly dated the day before) goes out in the
 * next digest instead of never. Events at or after the end wait for the next period. An event
 * buffered twice (a redelivery after a crash) goes out once.
 */
export function periodEvents(buffer: SpendEvent[], period: DigestPeriod): SpendEvent[] {
  const end = Date.parse(period.end);
  const seen = new Set<string>();
  return buffer
    .filter((e) => Date.parse(e.occurredAt) < end && !seen.has(e.id) && seen.add(e.id))
    .sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
}

/**
 * The days a period covers, as people write them: `Sunday 31 March 2024`,
 * `25–31 March 2024`, `29 January – 4 February 2024`.
 */
export function periodLabel(period: DigestPeriod): string {
  const [first, last] = [new Date(`${period.firstDay}T00:00:00Z`), new Date(`${period.lastDay}T00:00:00Z`)];
  const fmt = (d: Date, o: Intl.DateTimeFormatOptions) =>
    new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', ...o }).format(d);
  if (period.firstDay === period.lastDay)
    return fmt(first, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).replace(',', '');
  const year = (d: Date) => d.getUTCFullYear();
  if (year(first) !== year(last))
    return `${fmt(first, { day: 'numeric', month: 'long', year: 'numeric' })} – ${fmt(last, { day: 'numeric', month: 'long', year: 'numeric' })}`;
  if (first.getUTCMonth() !== last.getUTCMonth())
    return `${fmt(first, { day: 'numeric', month: 'long' })} – ${fmt(last, { day: 'numeric', month: 'long', year: 'numeric' })}`;
  return `${first.getUTCDate()}–${fmt(last, { day: 'numeric', month: 'long', year: 'numeric' })}`;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * The local wall-clock time of an instant, to the minute, as milliseconds since the epoch of a
 * clock that reads the local time in UTC (so civil-date arithmetic is plain UTC arithmetic).
 * One cached formatter per zone: this runs dozens of times per period.
 */
function wallClock(instant: number, timeZone: string): number {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(instant)).map((x) => [x.type, Number(x.value)]));
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!);
}

/** The zone's offset at an instant, in ms (offsets are whole minutes since the 1970s). */
function offsetAt(instant: number, timeZone: string): number {
  return wallClock(instant, timeZone) - Math.floor(instant / MINUTE) * MINUTE;
}

/**
 * The first instant whose local time is at or after a wall-clock time. A time that occurs twice
 * (the repeated hour when clocks go back) gives its first occurrence; one that does not occur
 * (skipped when clocks go forward, or a midnight skipped in zones that change at 00:00) gives
 * the moment the clocks jumped.
 */
function instantOfWall(wall: number, timeZone: string): number {
  // A day either side sees the offsets before and after any change near `wall`.
  const offsets = [...new Set([-DAY, 0, DAY].map((d) => offsetAt(wall + d, timeZone)))];
  const exact = offsets.map((o) => wall - o).filter((t) => wallClock(t, timeZone) === wall);
  if (exact.length) return Math.min(...exact);
  // In a gap: binary search, to the minute, for the first instant past it.
  let lo = wall - Math.max(...offsets);
  let hi = wall - Math.min(...offsets);
  while (hi - lo > MINUTE) {
    const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
    if (wallClock(mid, timeZone) >= wall) hi = mid;
    else lo = mid;
  }
  return hi;
}

function isoDate(wall: number): string {
  return new Date(wall).toISOString().slice(0, 10);
}
