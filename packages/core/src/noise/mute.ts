import type { MuteTimeWindow } from '../config/schema.ts';
import type { WEEKDAYS } from '../config/primitives.ts';

/** The local weekday, day of month, month and minutes since midnight of an instant in a time zone. */
export function localParts(at: Date, timeZone: string) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'long',
      day: 'numeric',
      month: 'numeric',
      year: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return {
    weekday: String(parts.weekday).toLowerCase() as (typeof WEEKDAYS)[number],
    day: Number(parts.day),
    month: Number(parts.month),
    year: Number(parts.year),
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Whether a mute time window covers an instant. A time range may wrap midnight (`22:00`–`07:00`). */
export function isMuted(window: MuteTimeWindow, at: Date): boolean {
  const local = localParts(at, window.timeZone);
  return window.intervals.some(
    (i) =>
      (!i.weekdays || i.weekdays.includes(local.weekday)) &&
      (!i.daysOfMonth || i.daysOfMonth.includes(local.day)) &&
      (!i.months || i.months.includes(local.month)) &&
      (!i.times ||
        i.times.some(({ start, end }) => {
          const [s, e] = [minutesOf(start), minutesOf(end)];
          return s <= e ? local.minutes >= s && local.minutes < e : local.minutes >= s || local.minutes < e;
        })),
  );
}
