import type { InboundMessage } from '../envelope/unwrap.ts';
import { isRecord } from '../envelope/unwrap.ts';
import { NormalizeError } from '../errors.ts';
import { eventId } from '../event/id.ts';
import { money, type Money } from '../event/money.ts';
import type { AnomalyDetails, AnomalyEvent, Severity } from '../event/schema.ts';
import { baseFields, formatMoney, num, str, toIsoUtc, type NormalizeOptions } from './common.ts';
import { awsConsoleUrl } from './console-url.ts';

export function looksLikeAnomaly(message: InboundMessage): boolean {
  return isRecord(message.json) && 'anomalyId' in message.json;
}

/**
 * Reads a Cost Anomaly Detection alert: the SNS form (current and older date-only) and the
 * EventBridge form, whose `detail` spells `dimensionValue`.
 */
export function normalizeAnomaly(message: InboundMessage, options: NormalizeOptions): AnomalyEvent {
  const m = message.json as Record<string, unknown>;
  const anomalyId = str(m.anomalyId);
  if (!anomalyId) throw new NormalizeError('Cost Anomaly Detection message without an anomalyId', 'anomaly');
  const impact = isRecord(m.impact) ? m.impact : {};
  const diagnostics: string[] = [];
  const usd = amountReader(diagnostics);
  const score = isRecord(m.anomalyScore) ? m.anomalyScore : null;
  const anomaly: AnomalyDetails = {
    id: anomalyId,
    monitorArn: str(m.monitorArn),
    monitorName: str(m.monitorName),
    start: dateOrTime(m.anomalyStartDate),
    end: dateOrTime(m.anomalyEndDate),
    score: score ? { max: num(score.maxScore), current: num(score.currentScore) } : null,
    dimensionalValue: str(m.dimensionalValue) ?? str(m.dimensionValue),
    impact: {
      total: usd(impact, 'totalImpact', { positive: true }),
      max: usd(impact, 'maxImpact', { positive: true }),
      percentage: readNumber(impact, 'totalImpactPercentage', diagnostics),
      actualSpend: usd(impact, 'totalActualSpend'),
      expectedSpend: usd(impact, 'totalExpectedSpend'),
    },
    rootCauses: (Array.isArray(m.rootCauses) ? m.rootCauses : []).filter(isRecord).map((c, i) => ({
      service: str(c.service),
      region: str(c.region),
      linkedAccount: str(c.linkedAccount),
      linkedAccountName: str(c.linkedAccountName),
      usageType: str(c.usageType),
      contribution: isRecord(c.impact) ? usd(c.impact, 'contribution', { at: `rootCauses[${i}].impact` }) : null,
    })),
    detailsUrl: awsConsoleUrl(str(m.anomalyDetailsLink)),
    subscriptionId: str(m.subscriptionId),
    subscriptionName: str(m.subscriptionName),
  };
  const accountId = str(m.accountId) ?? message.context.eventBridge?.account ?? null;
  const where = anomaly.dimensionalValue ?? anomaly.rootCauses[0]?.service ?? 'spend';
  const unreadable = diagnostics.length > 0;
  if (str(m.anomalyDetailsLink) && !anomaly.detailsUrl)
    diagnostics.push('anomalyDetailsLink is not an AWS console link; the default console page is linked instead');
  const readable = readableImpact(anomaly.impact, anomaly.rootCauses);
  const total = anomaly.impact.total ?? readable;
  const pct = anomaly.impact.percentage !== null ? ` (+${anomaly.impact.percentage}%)` : '';
  const window = anomaly.start ? ` since ${anomaly.start.slice(0, 10)}` : '';
  const expected =
    anomaly.impact.actualSpend && anomaly.impact.expectedSpend
      ? ` Actual ${formatMoney(anomaly.impact.actualSpend)} against ${formatMoney(anomaly.impact.expectedSpend)} expected.`
      : '';
  const causes = anomaly.rootCauses
    .slice(0, 3)
    .map((c) => [c.service, c.region, c.linkedAccountName ?? c.linkedAccount, c.usageType].filter(Boolean).join(' / '))
    .filter(Boolean);
  return Object.assign(
    baseFields(
      message,
      {
        // The subscription is left out: the EventBridge form has none, and the same anomaly through
        // two channels to one topic is one alert.
        id: eventId('anomaly', [
          anomalyId,
          anomaly.end,
          (anomaly.impact.total ?? anomaly.impact.max)?.amount,
          anomaly.impact.max?.amount,
          anomaly.impact.actualSpend?.amount,
          ...anomaly.rootCauses.map((c) =>
            [c.service, c.region, c.linkedAccount, c.usageType, c.contribution?.amount].join('/'),
          ),
        ]),
        service: 'cost-anomaly-detection',
        accountId,
        occurredAt: detectionTime(message.context.timestamp, toIsoUtc(m.anomalyStartDate), toIsoUtc(m.anomalyEndDate)),
        severity: anomalySeverity(readable, unreadable),
        title: `Cost anomaly in ${where}: ${formatMoney(total)} above expected${pct}`,
        summary: `Unexpected spend of ${formatMoney(total)} in ${where}${window}.${expected}${causes.length ? ` Root causes: ${causes.join('; ')}.` : ''}`,
        consoleUrl:
          anomaly.detailsUrl ?? 'https://console.aws.amazon.com/cost-management/home#/anomaly-detection/overview',
        diagnostics,
      },
      options,
    ),
    { kind: 'anomaly' as const, anomaly },
  );
}

/**
 * Reads dollar amounts from numbers or numeric text. A field that is absent is null (older messages
 * carry fewer); one that is present but unreadable (`1e309`, `"NaN"`, `{}`, `null`), or negative
 * where an impact cannot be, is null too and said so in `diagnostics`.
 */
function amountReader(diagnostics: string[]) {
  return (from: Record<string, unknown>, key: string, opts: { positive?: boolean; at?: string } = {}) => {
    const n = readNumber(from, key, diagnostics, opts.at ?? 'impact');
    if (n === null) return null;
    if (opts.positive && n < 0) {
      diagnostics.push(`${opts.at ?? 'impact'}.${key} is negative (${n}); an impact above expected cannot be`);
      return null;
    }
    return money(n, 'USD');
  };
}

/** A number field; a present but unreadable value is reported in `diagnostics`. */
function readNumber(from: Record<string, unknown>, key: string, diagnostics: string[], at = 'impact'): number | null {
  if (!(key in from) || from[key] === undefined) return null;
  const n = num(from[key]);
  if (n === null) diagnostics.push(`${at}.${key} not readable: ${shown(from[key])}`);
  return n;
}

function shown(value: unknown): string {
  const text = typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

/**
 * The largest impact the readable figures show: the total, the maximum, actual less expected
 * spend, or the root causes' contributions added up. When the total is unreadable, the others
 * still rate the anomaly.
 */
function readableImpact(impact: AnomalyDetails['impact'], causes: AnomalyDetails['rootCauses']): Money | null {
  const candidates: number[] = [];
  for (const m of [impact.total, impact.max]) if (m) candidates.push(m.amount);
  if (impact.actualSpend && impact.expectedSpend)
    candidates.push(impact.actualSpend.amount - impact.expectedSpend.amount);
  const contributions = causes.flatMap((c) => (c.contribution ? [c.contribution.amount] : []));
  if (contributions.length) candidates.push(contributions.reduce((a, b) => a + b, 0));
  return candidates.length ? money(Math.max(...candidates), 'USD') : null;
}

/**
 * When the alert was published: the envelope's time, unless it contradicts the anomaly's own dates
 * (before its start, or more than a week after its end: a replayed or simulated message).
 */
function detectionTime(timestamp: string | null, start: string | null, end: string | null): string | null {
  const week = 7 * 86_400_000;
  if (timestamp && (!start || timestamp >= start) && (!end || Date.parse(timestamp) - Date.parse(end) <= week))
    return timestamp;
  return end ?? start ?? timestamp;
}

/**
 * Total impact of $1,000 or more is critical, $100 or more a warning, less is info. When a figure
 * was there but could not be read (`unreadable`), the size is uncertain: at least a warning.
 */
export function anomalySeverity(total: Money | null, unreadable = false): Severity {
  const amount = total?.amount ?? 0;
  return amount >= 1000 ? 'critical' : amount >= 100 || unreadable ? 'warning' : 'info';
}

function dateOrTime(value: unknown): string | null {
  const s = str(value);
  if (!s) return null;
  // Kept as AWS wrote it (a date in older messages, a timestamp in newer ones) when it is ISO 8601.
  if (/^\d{4}-\d{2}-\d{2}$/.test(s) || /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(s))
    return s;
  return toIsoUtc(s);
}
