import { SEVERITIES, type EventKind, type Severity } from '../event/kinds.ts';
import type { SpendEvent } from '../event/schema.ts';
import type { AccountDirectory } from '../routing/labels.ts';
import { accountName } from './facts.ts';

/** What a notification is about as a whole: one event or a group. */
export interface GroupSummary {
  count: number;
  /** The worst severity among firing events; among all when every event is resolved. */
  severity: Severity;
  /** `resolved` only when every event is. */
  status: 'firing' | 'resolved';
  /** The shared account, when every event has the same one. */
  accountId: string | null;
  /** `5 budget alerts for account production`, `3 spend alerts` */
  headline: string;
  /** `3 budgets, 2 anomalies`: how many of each kind, most frequent first. */
  kinds: string;
  /** True when the events are of more than one kind. */
  mixed: boolean;
  /** The earliest and latest `occurredAt` (ISO). */
  span: { from: string; to: string };
}

const NOUNS: Record<EventKind, [string, string]> = {
  budget: ['budget', 'budgets'],
  'billing-alarm': ['billing alarm', 'billing alarms'],
  alarm: ['alarm', 'alarms'],
  anomaly: ['anomaly', 'anomalies'],
  'budget-adjustment': ['budget adjustment', 'budget adjustments'],
  unrecognized: ['unrecognized message', 'unrecognized messages'],
};

const HEADLINE_NOUNS: Record<EventKind, [string, string]> = {
  budget: ['budget alert', 'budget alerts'],
  'billing-alarm': ['billing alarm', 'billing alarms'],
  alarm: ['alarm', 'alarms'],
  anomaly: ['cost anomaly', 'cost anomalies'],
  'budget-adjustment': ['budget adjustment', 'budget adjustments'],
  unrecognized: ['unrecognized message', 'unrecognized messages'],
};

/** The worse of severities: critical over warning over info. */
export function worstSeverity(severities: Severity[]): Severity {
  return severities.reduce<Severity>(
    (worst, s) => (SEVERITIES.indexOf(s) > SEVERITIES.indexOf(worst) ? s : worst),
    'info',
  );
}

/** Summarizes the events a notification carries. */
export function summarizeGroup(events: SpendEvent[], accounts?: AccountDirectory): GroupSummary {
  const firing = events.filter((e) => e.status === 'firing');
  const status = firing.length === 0 && events.length > 0 ? 'resolved' : 'firing';
  const severity = worstSeverity((firing.length ? firing : events).map((e) => e.severity));
  const accountIds = new Set(events.map((e) => e.accountId));
  const accountId = accountIds.size === 1 ? ([...accountIds][0] ?? null) : null;

  const counts = new Map<EventKind, number>();
  for (const e of events) counts.set(e.kind, (counts.get(e.kind) ?? 0) + 1);
  const byCount = [...counts].sort((a, b) => b[1] - a[1]);
  const plural = (nouns: [string, string], n: number) => (n === 1 ? nouns[0] : nouns[1]);
  const kinds = byCount.map(([kind, n]) => `${n} ${plural(NOUNS[kind], n)}`).join(', ');
  const mixed = counts.size > 1;

  const n = events.length;
  const only = byCount[0]?.[0];
  const what =
    mixed || !only ? `${n} spend ${n === 1 ? 'alert' : 'alerts'}` : `${n} ${plural(HEADLINE_NOUNS[only], n)}`;
  const name = accountName(accountId, accounts);
  const headline = `${what}${name ? ` for account ${name}` : ''}${status === 'resolved' ? ', resolved' : ''}`;
  const times = events.map((e) => e.occurredAt).sort();
  const span = { from: times[0] ?? '', to: times[times.length - 1] ?? '' };
  return { count: n, severity, status, accountId, headline, kinds, mixed, span };
}
