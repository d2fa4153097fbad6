import {
  accountName,
  anomalyWindow,
  eventFacts,
  formatChange,
  formatPercent,
  rootCauseLines,
} from '../channels/facts.ts';
import { worstSeverity } from '../channels/group.ts';
import type { BudgetSpec } from '../config/schema.ts';
import type { DigestSchedule } from '../config/primitives.ts';
import type { Enrichment } from '../enrich/types.ts';
import { money, type Money } from '../event/money.ts';
import { SEVERITIES, type EventKind, type Severity } from '../event/kinds.ts';
import type { SpendEvent } from '../event/schema.ts';
import { formatMoney } from '../normalize/common.ts';
import type { AccountDirectory } from '../routing/labels.ts';
import type { SpendChartData } from './chart-svg.ts';
import { periodLabel, type DigestPeriod } from './period.ts';

/** A budget from the config, with its spend when the caller knows it (DescribeBudgets). */
export interface DigestBudgetInput {
  spec: BudgetSpec;
  /** Actual spend in the budget's current period. */
  actual?: Money | null;
  /** AWS Budgets' own forecast for the period. */
  forecasted?: Money | null;
}

/** What the last digest of this receiver saw, kept to find what moved since. */
export interface PreviousDigest {
  /** Its month-to-date window (`end` exclusive); movers are measured against it only in the same month. */
  window?: { start: string; end: string } | null;
  services: Array<{ name: string; cost: Money }>;
}

export interface BuildDigestInput {
  receiver: string;
  period: DigestPeriod;
  /** The receiver's buffered events for the period (see `periodEvents`). */
  events: SpendEvent[];
  /** Current costs, or null when enrichment is off or failed. */
  enrichment: Enrichment | null;
  budgets?: DigestBudgetInput[];
  previousDigest?: PreviousDigest | null;
  accounts?: AccountDirectory;
  /** Services listed (default 5) and alerts shown per kind (default 5). */
  limits?: { services?: number; movers?: number; itemsPerKind?: number };
}

/** Where a budget's spend came from: the caller, Cost Explorer's month to date, or the latest alert. */
export type BudgetSource = 'given' | 'cost-explorer' | 'alert';

export interface DigestBudget {
  name: string;
  period: BudgetSpec['period'];
  account: string | null;
  limit: Money;
  actual: Money | null;
  /** actual / limit × 100, one decimal. */
  percent: number | null;
  forecasted: Money | null;
  forecastPercent: number | null;
  /** `over` at 100% actual, `at-risk` at 80% actual or a forecast past the limit. */
  level: 'ok' | 'at-risk' | 'over' | 'unknown';
  source: BudgetSource | null;
}

export interface DigestService {
  name: string;
  cost: Money;
  /** Share of month to date, percent. */
  share: number | null;
  /** Against the same days last month. */
  changePercent: number | null;
}

/**
 * A service whose spend moved. Since the last digest (same month): its spend since then against
 * what its own daily average before would have given. Otherwise: month to date against the same
 * days last month, as Cost Explorer compared them.
 */
export interface DigestMover {
  name: string;
  /** Extra (or, negative, less) spend than the basis predicts. */
  delta: Money;
  changePercent: number | null;
  basis: 'last-digest' | 'last-month';
}

export interface DigestAlertItem {
  id: string;
  title: string;
  severity: Severity;
  status: 'firing' | 'resolved';
  occurredAt: string;
  account: string | null;
  /** The alert's main fact: `Actual spend: $560.00 of $500.00 (112%)`. */
  detail: string | null;
  url: string | null;
}

export interface DigestAlertGroup {
  kind: EventKind;
  /** `Budget alerts`, `Cost anomalies` */
  label: string;
  count: number;
  firing: number;
  resolved: number;
  severity: Severity;
  /** The worst and newest first. */
  items: DigestAlertItem[];
  /** How many more were left out. */
  more: number;
}

/**
 * The digest of one receiver for one period, channel-neutral: renderers only lay it out.
 * Text fields are unescaped; each renderer escapes for its medium.
 */
export interface Digest {
  receiver: string;
  period: DigestPeriod;
  /** `Sunday 31 March 2024` */
  periodText: string;
  /** `Daily spend digest: Sunday 31 March 2024` */
  title: string;
  /** One line: what happened and where spend stands. */
  summary: string;
  /** No alerts in the period: send the all-quiet version, or nothing (`sendWhenEmpty`). */
  empty: boolean;
  currency: string;
  spend: {
    month: string;
    window: { start: string; end: string };
    monthToDate: Money | null;
    /** Against the same days last month. */
    changePercent: number | null;
    forecast: Enrichment['forecast'];
  } | null;
  budgets: DigestBudget[];
  services: DigestService[];
  movers: DigestMover[];
  alerts: { total: number; firing: number; resolved: number; groups: DigestAlertGroup[] };
  links: Array<{ label: string; url: string }>;
  /** What the chart shows; null without daily costs. */
  chart: SpendChartData | null;
  /** Why the cost part is missing or partial. */
  unavailable: string | null;
}

/** Kinds in the order a spend digest reads them: money first, other alarms and the unreadable last. */
const KINDS: Array<[EventKind, string, string]> = [
  ['budget', 'Budget alert', 'Budget alerts'],
  ['anomaly', 'Cost anomaly', 'Cost anomalies'],
  ['billing-alarm', 'Billing alarm', 'Billing alarms'],
  ['budget-adjustment', 'Budget adjustment', 'Budget adjustments'],
  ['alarm', 'Other alarm', 'Other alarms'],
  ['unrecognized', 'Unrecognized message', 'Unrecognized messages'],
];
const kindOrder = (kind: EventKind) => KINDS.findIndex(([k]) => k === kind);
const kindNoun = (kind: EventKind, n: number) => KINDS[kindOrder(kind)]![n === 1 ? 1 : 2];

/** Global console pages: Billing and Cost Management has no per-region console. */
export const CONSOLE_LINKS = [
  { label: 'Cost Explorer', url: 'https://console.aws.amazon.com/costmanagement/home#/cost-explorer' },
  { label: 'Budgets', url: 'https://console.aws.amazon.com/costmanagement/home#/budgets' },
  {
    label: 'Cost Anomaly Detection',
    url: 'https://console.aws.amazon.com/costmanagement/home#/anomaly-detection/overview',
  },
] as const;

/**
 * Builds the digest: spend against budgets, forecast, top services and movers, and the period's
 * alerts grouped by kind. Pure: everything it knows comes in as arguments.
 */
export function buildDigest(input: BuildDigestInput): Digest {
  const { enrichment: e, period, events } = input;
  const currency = e?.currency ?? 'USD';
  const budgets = (input.budgets ?? []).map((b) => budgetStatus(b, e, events));
  const services = e ? topServices(e, input.limits?.services ?? 5) : [];
  const movers = e ? findMovers(e, input.previousDigest ?? null, input.limits?.movers ?? 3) : [];
  const alerts = groupAlerts(events, input.accounts, input.limits?.itemsPerKind ?? 5);
  const spend = e
    ? {
        month: e.window.start.slice(0, 7),
        window: e.window,
        monthToDate: e.monthToDate,
        changePercent:
          e.monthToDate && e.previousPeriod && e.previousPeriod.amount !== 0
            ? round1(((e.monthToDate.amount - e.previousPeriod.amount) / e.previousPeriod.amount) * 100)
            : null,
        forecast: e.forecast,
      }
    : null;
  const periodText = periodLabel(period);
  const digest: Omit<Digest, 'summary'> = {
    receiver: input.receiver,
    period,
    periodText,
    title: `${period.every === 'day' ? 'Daily' : 'Weekly'} spend digest: ${periodText}`,
    empty: events.length === 0,
    currency,
    spend,
    budgets,
    services,
    movers,
    alerts,
    links: [...CONSOLE_LINKS],
    chart: e ? chartData(e, input.budgets ?? []) : null,
    unavailable: e ? e.unavailable : 'Cost data unavailable: enrichment is off or failed.',
  };
  return { ...digest, summary: summaryLine(digest) };
}

/** Whether to send at all: an empty period goes out only when the receiver asked for all-quiet lines. */
export function shouldSendDigest(digest: Digest, schedule: Pick<DigestSchedule, 'sendWhenEmpty'>): boolean {
  return !digest.empty || schedule.sendWhenEmpty;
}

/** What to keep for the next digest's movers. */
export function digestSnapshot(digest: Digest): PreviousDigest {
  return {
    window: digest.spend?.window ?? null,
    services: digest.services.map((s) => ({ name: s.name, cost: s.cost })),
  };
}

function budgetStatus(input: DigestBudgetInput, e: Enrichment | null, events: SpendEvent[]): DigestBudget {
  const { spec } = input;
  let actual: Money | null = input.actual ?? null;
  let forecasted: Money | null = input.forecasted ?? null;
  let source: BudgetSource | null = actual ? 'given' : null;
  // Cost Explorer's month to date measures a monthly budget only when both cover the same cost.
  if (!actual && e && spec.period === 'monthly') {
    const scoped =
      spec.account && spec.account !== e.accountId
        ? (e.accounts?.find((a) => a.id === spec.account)?.cost ?? null)
        : e.monthToDate;
    if (scoped) {
      actual = scoped;
      source = 'cost-explorer';
      if (!forecasted && (!spec.account || spec.account === e.accountId)) forecasted = e.forecast?.total ?? null;
    }
  }
  if (!actual) {
    const latest = events
      .filter(
        (ev) =>
          ev.kind === 'budget' && ev.budget.name === spec.name && ev.budget.alertType === 'ACTUAL' && ev.budget.spend,
      )
      .sort((a, b) => b.occurredAt.localeCompare(a.occurredAt))[0];
    if (latest?.kind === 'budget') {
      actual = latest.budget.spend;
      source = 'alert';
    }
  }
  // Budget limits are configured in USD; a percent of amounts in another currency would mislead.
  const limit = money(spec.limit, 'USD');
  const percentOf = (m: Money | null) =>
    m && m.currency === limit.currency ? round1((m.amount / spec.limit) * 100) : null;
  const percent = percentOf(actual);
  const forecastPercent = percentOf(forecasted);
  const level =
    percent === null
      ? 'unknown'
      : percent >= 100
        ? 'over'
        : percent >= 80 || (forecastPercent ?? 0) >= 100
          ? 'at-risk'
          : 'ok';
  return {
    name: spec.name,
    period: spec.period,
    account: spec.account ?? null,
    limit,
    actual,
    percent,
    forecasted,
    forecastPercent,
    level,
    source,
  };
}

function topServices(e: Enrichment, count: number): DigestService[] {
  const total = e.monthToDate?.amount ?? e.services.reduce((s, x) => s + x.cost.amount, 0);
  return e.services
    .filter((s) => s.name !== 'Other')
    .slice(0, count)
    .map((s) => ({
      name: s.name,
      cost: s.cost,
      share: total > 0 ? round1((s.cost.amount / total) * 100) : null,
      changePercent: s.changePercent,
    }));
}

function findMovers(e: Enrichment, previous: PreviousDigest | null, count: number): DigestMover[] {
  const sameMonth = previous?.window && previous.window.start === e.window.start && previous.window.end < e.window.end;
  const movers: DigestMover[] = [];
  if (sameMonth) {
    const daysBefore = days(previous.window!.start, previous.window!.end);
    const daysSince = days(previous.window!.end, e.window.end);
    for (const s of e.services) {
      const before = previous.services.find((p) => p.name === s.name);
      if (s.name === 'Other' || !before || daysBefore <= 0 || daysSince <= 0) continue;
      const since = s.cost.amount - before.cost.amount;
      const expected = (before.cost.amount / daysBefore) * daysSince;
      movers.push({
        name: s.name,
        delta: money(since - expected, s.cost.currency),
        changePercent: expected > 0 ? round1(((since - expected) / expected) * 100) : null,
        basis: 'last-digest',
      });
    }
  } else {
    for (const s of e.services) {
      if (s.name === 'Other' || !s.previous) continue;
      movers.push({
        name: s.name,
        delta: money(s.cost.amount - s.previous.amount, s.cost.currency),
        changePercent: s.changePercent,
        basis: 'last-month',
      });
    }
  }
  // Money, not percent, ranks them: +400% on $2 matters less than +10% on $5,000.
  return movers
    .filter((m) => Math.abs(m.delta.amount) >= 0.01)
    .sort((a, b) => Math.abs(b.delta.amount) - Math.abs(a.delta.amount))
    .slice(0, count);
}

function groupAlerts(events: SpendEvent[], accounts: AccountDirectory | undefined, perKind: number): Digest['alerts'] {
  const byKind = new Map<EventKind, SpendEvent[]>();
  for (const ev of events) byKind.set(ev.kind, [...(byKind.get(ev.kind) ?? []), ev]);
  const rank = (ev: SpendEvent) => (ev.status === 'resolved' ? -1 : SEVERITIES.indexOf(ev.severity));
  const groups = [...byKind].map(([kind, list]): DigestAlertGroup => {
    const sorted = [...list].sort((a, b) => rank(b) - rank(a) || b.occurredAt.localeCompare(a.occurredAt));
    const firing = list.filter((ev) => ev.status === 'firing');
    return {
      kind,
      label: kindNoun(kind, 2),
      count: list.length,
      firing: firing.length,
      resolved: list.length - firing.length,
      severity: worstSeverity((firing.length ? firing : list).map((ev) => ev.severity)),
      items: sorted.slice(0, perKind).map((ev) => alertItem(ev, accounts)),
      more: Math.max(0, list.length - perKind),
    };
  });
  groups.sort((a, b) => kindOrder(a.kind) - kindOrder(b.kind));
  const firing = events.filter((ev) => ev.status === 'firing').length;
  return { total: events.length, firing, resolved: events.length - firing, groups };
}

function alertItem(ev: SpendEvent, accounts: AccountDirectory | undefined): DigestAlertItem {
  return {
    id: ev.id,
    title: ev.title,
    severity: ev.severity,
    status: ev.status,
    occurredAt: ev.occurredAt,
    account: accountName(ev.accountId, accounts),
    detail: alertDetail(ev, accounts),
    url: ev.consoleUrl,
  };
}

/**
 * What the title does not already say: where an anomaly came from, an alarm's state change.
 * A budget's or an adjustment's title carries its amounts, so they get no detail line.
 */
function alertDetail(ev: SpendEvent, accounts: AccountDirectory | undefined): string | null {
  switch (ev.kind) {
    case 'anomaly':
      return rootCauseLines(ev.anomaly, accounts)[0] ?? anomalyWindow(ev.anomaly);
    case 'budget':
    case 'budget-adjustment':
      return null;
    default: {
      const fact = eventFacts(ev, null, accounts).find((f) => f.label !== 'Account');
      return fact ? `${fact.label}: ${fact.value}` : null;
    }
  }
}

function chartData(e: Enrichment, budgets: DigestBudgetInput[]): SpendChartData | null {
  if (!e.daily.length) return null;
  return {
    month: e.window.start.slice(0, 7),
    currency: e.currency,
    daily: e.daily,
    // Only budgets over the same cost as the line: a linked account's budget against the
    // payer's total would look safe when it is not.
    budgets: budgets
      .filter((b) => b.spec.period === 'monthly' && (!b.spec.account || b.spec.account === e.accountId))
      .map((b) => ({ name: b.spec.name, limit: b.spec.limit })),
    forecast: e.forecast?.total.amount ?? null,
  };
}

function summaryLine(d: Omit<Digest, 'summary'>): string {
  const when = d.period.every === 'day' ? `on ${d.periodText}` : `in the week of ${d.periodText}`;
  const what = d.empty
    ? `All quiet: no spend alerts ${when}.`
    : `${d.alerts.total} spend ${d.alerts.total === 1 ? 'alert' : 'alerts'} ${when}: ${d.alerts.groups.map((g) => `${g.count} ${kindNoun(g.kind, g.count).toLowerCase()}`).join(', ')}.`;
  const parts: string[] = [];
  if (d.spend?.monthToDate)
    parts.push(
      `Month to date ${formatMoney(d.spend.monthToDate)}${d.spend.changePercent !== null ? ` (${formatChange(d.spend.changePercent)} vs last month)` : ''}`,
    );
  const main = d.budgets.find((b) => b.percent !== null);
  if (main) parts.push(`${formatPercent(main.percent!)} of ${main.name}`);
  if (d.spend?.forecast) parts.push(`forecast ${formatMoney(d.spend.forecast.total)}`);
  return parts.length ? `${what} ${parts.join(', ')}.` : what;
}

function days(start: string, end: string): number {
  return Math.round((Date.parse(`${end}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / 86_400_000);
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
