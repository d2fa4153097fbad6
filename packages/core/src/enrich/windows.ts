/**
 * The date windows a breakdown covers, as Cost Explorer counts days: ISO dates (YYYY-MM-DD), the
 * end exclusive.
 */
import type { SpendEvent } from '../event/schema.ts';

const DAY = 86_400_000;

export interface DayWindow {
  start: string;
  end: string;
}

export const isoDay = (d: Date): string => d.toISOString().slice(0, 10);

/** The day after `day`. */
export function nextDay(day: string): string {
  return isoDay(new Date(Date.parse(`${day}T00:00:00Z`) + DAY));
}

/** Every day of `[start, end)`. */
export function daysOf(window: DayWindow): string[] {
  const days: string[] = [];
  for (let d = window.start; d < window.end; d = nextDay(d)) days.push(d);
  return days;
}

/**
 * [first of the month, today): today's cost is still coming in. On the 1st the window is empty.
 * @example monthToDate(new Date('2024-05-14T10:00:00Z')) // { start: '2024-05-01', end: '2024-05-14' }
 */
export function monthToDate(today: Date): DayWindow {
  const start = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 1));
  const end = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()));
  return { start: isoDay(start), end: isoDay(end) };
}

/** [first of the month, the day after `asOf`): month to date through `asOf`'s UTC day, inclusive. */
export function monthThrough(asOf: Date): DayWindow {
  const start = new Date(Date.UTC(asOf.getUTCFullYear(), asOf.getUTCMonth(), 1));
  const end = new Date(Date.UTC(asOf.getUTCFullYear(), asOf.getUTCMonth(), asOf.getUTCDate() + 1));
  return { start: isoDay(start), end: isoDay(end) };
}

/** The first day of the month after the one `day` is in. */
export function nextMonth(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  return isoDay(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)));
}

/** The same days at the start of the previous month, cut at its end. */
export function previousPeriod(window: DayWindow): DayWindow {
  const start = new Date(`${window.start}T00:00:00Z`);
  const days = Math.round((Date.parse(`${window.end}T00:00:00Z`) - start.getTime()) / DAY);
  const prevStart = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() - 1, 1));
  const prevEnd = new Date(Math.min(prevStart.getTime() + days * DAY, start.getTime()));
  return { start: isoDay(prevStart), end: isoDay(prevEnd) };
}

/**
 * Which linked accounts an alert is about: a budget's own cost filter, a billing alarm's
 * LinkedAccount dimension, an anomaly's root-cause accounts. Empty means the whole bill the account
 * sees (its own, or an organization's in a payer account), which is what an unscoped budget or
 * billing alarm measures.
 */
export function linkedScope(event: SpendEvent, account: string, budgetLinkedAccounts: string[] | null): string[] {
  switch (event.kind) {
    case 'budget':
      return budgetLinkedAccounts ?? [];
    case 'billing-alarm':
      return event.alarm.linkedAccount ? [event.alarm.linkedAccount] : [];
    case 'anomaly': {
      const accounts = [
        ...new Set(
          event.anomaly.rootCauses.map((c) => c.linkedAccount).filter((a): a is string => !!a && /^\d{12}$/.test(a)),
        ),
      ];
      return accounts.length ? accounts : [account];
    }
    default:
      return [account];
  }
}
