import type { Enrichment } from '../enrich/types.ts';
import { money, type Money } from '../event/money.ts';
import type { AnomalyDetails, SpendEvent } from '../event/schema.ts';
import { formatDecimal } from '../format/decimal.ts';
import { formatMoney } from '../normalize/common.ts';
import type { AccountDirectory } from '../routing/labels.ts';

/**
 * The key facts of an event, as label and value, shared by every channel so that Slack, email
 * and digests say the same thing. Values are unescaped text: each renderer escapes for its medium.
 */
export interface Fact {
  label: string;
  value: string;
}

/** `production (123456789012)` when the directory knows the account, else the id; null without one. */
export function accountLabel(accountId: string | null, accounts?: AccountDirectory): string | null {
  if (!accountId) return null;
  const name = accounts?.(accountId)?.name;
  return name ? `${name} (${accountId})` : accountId;
}

/** The account's name when known, else its id: for headlines where the id in brackets is noise. */
export function accountName(accountId: string | null, accounts?: AccountDirectory): string | null {
  if (!accountId) return null;
  return accounts?.(accountId)?.name ?? accountId;
}

/** `accountName` and `accountLabel` from one look-up in the directory; null without an account. */
export function accountNames(
  accountId: string | null,
  accounts?: AccountDirectory,
): { name: string; label: string } | null {
  if (!accountId) return null;
  const known = accounts?.(accountId)?.name;
  return { name: known ?? accountId, label: known ? `${known} (${accountId})` : accountId };
}

/** A percentage as people read it: whole numbers from 10% up, one decimal below. */
export function formatPercent(value: number): string {
  const abs = Math.abs(value);
  const shown = abs >= 10 ? formatDecimal(Math.round(abs), 0, 3) : String(Math.round(abs * 10) / 10);
  return `${value < 0 ? '-' : ''}${shown}%`;
}

/** A change as an arrow and a percentage: `▲ 12%`, `▼ 3.4%`, `▬ 0%`; null when unknown. */
export function formatChange(percent: number | null): string | null {
  if (percent === null || !Number.isFinite(percent)) return null;
  const arrow = percent > 0 ? '▲' : percent < 0 ? '▼' : '▬';
  return `${arrow} ${formatPercent(Math.abs(percent))}`;
}

const OPERATORS: Record<string, string> = {
  GreaterThanThreshold: '>',
  GreaterThanOrEqualToThreshold: '≥',
  LessThanThreshold: '<',
  LessThanOrEqualToThreshold: '≤',
  LessThanLowerOrGreaterThanUpperThreshold: 'outside',
  LessThanLowerThreshold: 'below',
  GreaterThanUpperThreshold: 'above',
};

/** The facts a person needs to judge the alert, per kind; enrichment adds a forecast to budgets. */
export function eventFacts(event: SpendEvent, enrichment: Enrichment | null, accounts?: AccountDirectory): Fact[] {
  const facts: Fact[] = [];
  switch (event.kind) {
    case 'budget': {
      const b = event.budget;
      // The event's own rounding (one decimal), so facts, titles and subjects agree.
      const pct = b.percentOfLimit !== null ? ` (${b.percentOfLimit}%)` : '';
      const unit = b.usage?.unit ? ` ${b.usage.unit}` : '';
      const spend = b.usage
        ? `${b.usage.value ?? 'n/a'}${unit} of ${b.usage.limit ?? 'n/a'}${unit}`
        : `${formatMoney(b.spend)} of ${formatMoney(b.limit)}`;
      add(facts, b.alertType === 'ACTUAL' ? 'Actual spend' : 'Forecasted spend', `${spend}${pct}`);
      add(
        facts,
        'Threshold',
        b.threshold
          ? `> ${formatMoney(b.threshold)}`
          : b.usage?.threshold != null
            ? `> ${b.usage.threshold}${unit}`
            : null,
      );
      add(facts, 'Budget', `${b.name} · ${b.period ?? 'unknown period'} ${b.type.toLowerCase()}`);
      if (enrichment?.budget?.forecasted) add(facts, 'Budget forecast', formatMoney(enrichment.budget.forecasted));
      else if (enrichment?.forecast && (b.period === 'monthly' || b.period === null))
        add(facts, 'Month-end forecast', formatMoney(enrichment.forecast.total));
      break;
    }
    case 'alarm':
    case 'billing-alarm': {
      const a = event.alarm;
      const billing = event.kind === 'billing-alarm';
      const op = a.comparisonOperator ? (OPERATORS[a.comparisonOperator] ?? a.comparisonOperator) : 'vs';
      add(facts, 'State', `${a.previousState ?? 'unknown'} → ${a.state}`);
      add(
        facts,
        event.kind === 'billing-alarm' ? 'Estimated charges' : 'Value',
        `${alarmFigure(a.value, billing, a.currency)} (threshold ${op} ${alarmFigure(a.threshold, billing, a.currency)})`,
      );
      if (event.kind === 'alarm')
        add(
          facts,
          'Metric',
          [a.namespace, a.metric].filter(Boolean).join(' ') + (a.statistic ? ` (${a.statistic})` : ''),
        );
      add(facts, 'Alarm', a.name);
      add(facts, 'Region', a.region);
      add(facts, 'Service', a.service);
      add(facts, 'Linked account', accountLabel(a.linkedAccount, accounts));
      break;
    }
    case 'anomaly': {
      const { impact } = event.anomaly;
      const pct = impact.percentage !== null ? ` (+${impact.percentage}%)` : '';
      add(facts, 'Total impact', `${formatMoney(impact.total ?? impact.max)}${pct}`);
      if (impact.actualSpend && impact.expectedSpend)
        add(facts, 'Actual vs expected', `${formatMoney(impact.actualSpend)} vs ${formatMoney(impact.expectedSpend)}`);
      add(facts, 'Max daily impact', impact.max ? formatMoney(impact.max) : null);
      add(facts, 'Window', anomalyWindow(event.anomaly));
      add(
        facts,
        'Monitor',
        event.anomaly.monitorName ?? event.anomaly.subscriptionName ?? event.anomaly.monitorArn?.split('/').pop(),
      );
      break;
    }
    case 'budget-adjustment': {
      const { name, previousLimit, currentLimit } = event.budgetAdjustment;
      add(facts, 'Budget', name);
      add(
        facts,
        'Limit',
        `${formatMoney(previousLimit)} → ${formatMoney(currentLimit)}${limitDelta(previousLimit, currentLimit)}`,
      );
      break;
    }
    case 'unrecognized':
      add(facts, 'Format', event.unrecognized.format);
      add(facts, 'Resembles', event.unrecognized.resembles ?? 'no known format');
      add(facts, 'SNS subject', event.source.subject);
      break;
  }
  add(facts, 'Account', accountLabel(event.accountId, accounts));
  return facts;
}

/** Adds a fact when it has a value. */
function add(facts: Fact[], label: string, value: string | null | undefined): void {
  if (value) facts.push({ label, value });
}

/** An alarm's value or threshold: money for a billing alarm, the bare number otherwise. */
function alarmFigure(n: number | null, billing: boolean, currency: string | null): string {
  return n === null ? 'n/a' : billing ? formatMoney(money(n, currency ?? 'USD')) : String(n);
}

/** One line per root cause, largest contribution first: `Amazon EC2 · us-east-1 · test (1234…) · BoxUsage — $601.00`. */
export function rootCauseLines(anomaly: AnomalyDetails, accounts?: AccountDirectory): string[] {
  return [...anomaly.rootCauses]
    .sort((a, b) => (b.contribution?.amount ?? 0) - (a.contribution?.amount ?? 0))
    .map((c) => {
      const account = c.linkedAccount
        ? (accounts?.(c.linkedAccount)?.name ?? c.linkedAccountName ?? null)
        : c.linkedAccountName;
      const accountText =
        account && c.linkedAccount && account !== c.linkedAccount
          ? `${account} (${c.linkedAccount})`
          : (account ?? c.linkedAccount);
      const where = [c.service, c.region, accountText, c.usageType].filter(Boolean).join(' · ') || 'unknown';
      return c.contribution ? `${where} — ${formatMoney(c.contribution)}` : where;
    });
}

/** The days the anomaly spans, as dates: `2021-05-24 → 2021-05-25`, or one date. */
export function anomalyWindow(anomaly: AnomalyDetails): string | null {
  const start = anomaly.start?.slice(0, 10);
  const end = anomaly.end?.slice(0, 10);
  if (!start && !end) return null;
  return start === end || !end ? `${start}` : `${start ?? '?'} → ${end}`;
}

function limitDelta(previous: Money, current: Money): string {
  if (previous.currency !== current.currency) return '';
  const delta = current.amount - previous.amount;
  if (delta === 0) return ' (unchanged)';
  const sign = delta > 0 ? '+' : '-';
  const pct = previous.amount !== 0 ? `, ${sign}${formatPercent(Math.abs((delta / previous.amount) * 100))}` : '';
  return ` (${sign}${formatMoney(money(Math.abs(delta), current.currency))}${pct})`;
}
