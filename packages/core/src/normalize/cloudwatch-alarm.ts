import type { InboundMessage } from '../envelope/unwrap.ts';
import { isRecord } from '../envelope/unwrap.ts';
import { NormalizeError } from '../errors.ts';
import { eventId } from '../event/id.ts';
import { money } from '../event/money.ts';
import type { AlarmDetails, AlarmEvent, BillingAlarmEvent, Severity } from '../event/schema.ts';
import { baseFields, formatMoney, num, str, toIsoUtc, type NormalizeOptions } from './common.ts';
import { regionCode } from './regions.ts';

const STATES = ['ALARM', 'OK', 'INSUFFICIENT_DATA'] as const;
type AlarmState = (typeof STATES)[number];

export function looksLikeCloudWatchAlarm(message: InboundMessage): boolean {
  return isRecord(message.json) && 'AlarmName' in message.json && 'NewStateValue' in message.json;
}

/**
 * Reads a CloudWatch alarm state change as published to SNS. `AWS/Billing` `EstimatedCharges`
 * alarms become `billing-alarm`, every other metric `alarm`; a change to OK is a resolution.
 */
export function normalizeCloudWatchAlarm(message: InboundMessage, options: NormalizeOptions): AlarmEvent | BillingAlarmEvent {
  const m = message.json as Record<string, unknown>;
  const name = str(m.AlarmName);
  const state = asState(m.NewStateValue);
  if (!name) throw new NormalizeError('CloudWatch alarm message without an AlarmName', 'alarm');
  if (!state) throw new NormalizeError(`CloudWatch alarm "${name}" has an unknown NewStateValue ${JSON.stringify(m.NewStateValue)}`, 'alarm');
  const trigger = isRecord(m.Trigger) ? m.Trigger : {};
  const stat = metricStat(trigger);
  const dimensions = readDimensions(trigger.Dimensions ?? stat?.Dimensions);
  const metric = str(trigger.MetricName) ?? str(stat?.MetricName);
  const namespace = str(trigger.Namespace) ?? str(stat?.Namespace);
  const isBilling = namespace === 'AWS/Billing' && metric === 'EstimatedCharges';
  const arn = str(m.AlarmArn);
  const reason = str(m.NewStateReason) ?? '';
  const alarm: AlarmDetails = {
    name,
    description: str(m.AlarmDescription),
    arn,
    state,
    previousState: asState(m.OldStateValue),
    reason,
    threshold: num(trigger.Threshold),
    value: datapoint(reason),
    metric,
    namespace,
    statistic: str(trigger.Statistic) ?? str(trigger.ExtendedStatistic),
    comparisonOperator: str(trigger.ComparisonOperator),
    period: num(trigger.Period),
    evaluationPeriods: num(trigger.EvaluationPeriods),
    dimensions,
    region: regionCode(arn, str(m.Region)),
    currency: isBilling ? (dimensions.Currency ?? 'USD') : null,
    service: dimensions.ServiceName ?? null,
    linkedAccount: dimensions.LinkedAccount ?? null,
  };
  const accountId = str(m.AWSAccountId) ?? arn?.split(':')[4] ?? null;
  const occurredAt = toIsoUtc(m.StateChangeTime);
  const kind = isBilling ? 'billing-alarm' : 'alarm';
  const { title, summary } = describe(alarm, isBilling);
  const base = baseFields(
    message,
    {
      id: eventId(kind, [accountId, arn ?? name, state, alarm.previousState, occurredAt ?? str(m.StateChangeTime)]),
      service: 'cloudwatch',
      accountId,
      occurredAt,
      severity: alarmSeverity(state),
      status: state === 'OK' ? 'resolved' : 'firing',
      title,
      summary,
      consoleUrl: alarm.region
        ? `https://${alarm.region}.console.aws.amazon.com/cloudwatch/home?region=${alarm.region}#alarmsV2:alarm/${encodeURIComponent(name)}`
        : null,
      diagnostics: occurredAt || !m.StateChangeTime ? [] : [`StateChangeTime not readable: ${JSON.stringify(m.StateChangeTime)}`],
    },
    options,
  );
  return isBilling ? { ...base, kind: 'billing-alarm', alarm } : { ...base, kind: 'alarm', alarm };
}

/** ALARM is critical, INSUFFICIENT_DATA a warning (the watch has gone blind), OK info. */
export function alarmSeverity(state: AlarmState): Severity {
  return state === 'ALARM' ? 'critical' : state === 'INSUFFICIENT_DATA' ? 'warning' : 'info';
}

function describe(alarm: AlarmDetails, isBilling: boolean): { title: string; summary: string } {
  const scope = [alarm.service, alarm.linkedAccount ? `account ${alarm.linkedAccount}` : null].filter(Boolean).join(', ');
  const cur = alarm.currency ?? 'USD';
  const show = (n: number | null) => (n === null ? 'n/a' : isBilling ? formatMoney(money(n, cur)) : String(n));
  const what = isBilling ? `Estimated charges${scope ? ` (${scope})` : ''}` : `${alarm.namespace ?? ''} ${alarm.metric ?? 'metric'}`.trim();
  const label = isBilling ? 'Billing alarm' : 'Alarm';
  if (alarm.state === 'OK') {
    return {
      title: `Resolved: ${label.toLowerCase()} "${alarm.name}" is OK${alarm.value !== null ? ` at ${show(alarm.value)}` : ''}`,
      summary: `${what} back within the threshold of ${show(alarm.threshold)}. ${alarm.reason}`.trim(),
    };
  }
  if (alarm.state === 'INSUFFICIENT_DATA') {
    return {
      title: `${label} "${alarm.name}": insufficient data`,
      summary: `${what} has no recent datapoints, so the alarm cannot evaluate. ${alarm.reason}`.trim(),
    };
  }
  return {
    title: `${label} "${alarm.name}": ${what} ${show(alarm.value)} over ${show(alarm.threshold)}`,
    summary: `${what} reached ${show(alarm.value)}, past the threshold of ${show(alarm.threshold)}. ${alarm.reason}`.trim(),
  };
}

function asState(value: unknown): AlarmState | null {
  return typeof value === 'string' && (STATES as readonly string[]).includes(value) ? (value as AlarmState) : null;
}

function readDimensions(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(value)) return out;
  for (const d of value) {
    if (!isRecord(d)) continue;
    const key = str(d.name) ?? str(d.Name);
    const val = d.value ?? d.Value;
    if (key && (typeof val === 'string' || typeof val === 'number')) out[key] = String(val);
  }
  return out;
}

/**
 * The most recent datapoint quoted in a state reason: `[12.5 (01/01/24 00:00:00)]` in current
 * messages, `1 datapoint (10.0) was greater than` in those before 2018.
 */
function datapoint(reason: string): number | null {
  const m =
    /\[\s*(-?[0-9][0-9.,]*(?:[eE][-+]?[0-9]+)?)\s*\(/.exec(reason) ??
    /datapoints?\s*\(\s*(-?[0-9][0-9.]*(?:[eE][-+]?[0-9]+)?)\s*[,)]/.exec(reason);
  return m ? num(m[1]) : null;
}

/**
 * A metric-math or anomaly-band alarm has no MetricName; its metric is in `Trigger.Metrics[]`.
 * Takes the first metric with a `MetricStat` (the one the expression is built on).
 */
function metricStat(trigger: Record<string, unknown>): Record<string, unknown> | null {
  if (!Array.isArray(trigger.Metrics)) return null;
  for (const entry of trigger.Metrics) {
    const metric = isRecord(entry) && isRecord(entry.MetricStat) && isRecord(entry.MetricStat.Metric) ? entry.MetricStat.Metric : null;
    if (metric) return metric;
  }
  return null;
}
