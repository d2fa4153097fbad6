import type { SpendEvent } from '../event/schema.ts';
import type { Labels } from '../routing/matchers.ts';

/**
 * The alert an event is about, across notifications: the same budget, threshold and period;
 * the same alarm in the same state; the same anomaly on the same day. `repeatInterval` holds
 * back a second notification with the same key.
 */
export function repeatKey(event: SpendEvent): string {
  const acct = event.accountId ?? '-';
  switch (event.kind) {
    case 'budget': {
      const b = event.budget;
      return [
        'budget',
        acct,
        b.name,
        b.alertType,
        b.threshold?.amount ?? b.usage?.threshold ?? '',
        periodWindow(b.period, b.notificationDate ?? event.occurredAt),
      ].join('|');
    }
    case 'alarm':
    case 'billing-alarm':
      return ['alarm', acct, event.alarm.arn ?? event.alarm.name, event.alarm.state].join('|');
    case 'anomaly':
      return ['anomaly', acct, event.anomaly.id, (event.anomaly.end ?? event.occurredAt).slice(0, 10)].join('|');
    default:
      return `${event.kind}|${event.id}`;
  }
}

/**
 * What a Slack thread is about: later alerts for the same budget and period, the same alarm,
 * or the same anomaly are posted as replies. Null when an event starts no thread.
 */
export function threadKey(event: SpendEvent): string | null {
  const acct = event.accountId ?? '-';
  switch (event.kind) {
    case 'budget':
      return [
        'budget',
        acct,
        event.budget.name,
        periodWindow(event.budget.period, event.budget.notificationDate ?? event.occurredAt),
      ].join('|');
    case 'alarm':
    case 'billing-alarm':
      return ['alarm', acct, event.alarm.arn ?? event.alarm.name].join('|');
    case 'anomaly':
      return ['anomaly', acct, event.anomaly.id].join('|');
    default:
      return null;
  }
}

/** The budget period a date falls in: `2024-05` monthly, `2024-Q2`, `2024`, `2024-05-03` daily. */
export function periodWindow(period: string | null, date: string): string {
  const day = date.slice(0, 10);
  const month = Number(day.slice(5, 7));
  switch (period) {
    case 'daily':
      return day;
    case 'quarterly':
      return `${day.slice(0, 4)}-Q${Math.ceil(month / 3)}`;
    case 'annually':
      return day.slice(0, 4);
    default:
      return day.slice(0, 7);
  }
}

/** The group an event joins at a receiver: its values of the route's `groupBy` labels. `...` groups by every label. */
export function groupKey(groupBy: string[], labels: Labels): string {
  const names = groupBy.includes('...') ? Object.keys(labels).sort() : groupBy;
  const parts = names.map((name) => {
    const v = labels[name];
    return `${name}=${JSON.stringify(Array.isArray(v) ? v.join(',') : (v ?? ''))}`;
  });
  return `{${parts.join(', ')}}`;
}
