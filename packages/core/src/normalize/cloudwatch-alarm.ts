import type { InboundMessage } from '../envelope/unwrap.ts';
import { isRecord } from '../envelope/unwrap.ts';
import { NormalizeError } from '../errors.ts';
import { eventId } from '../event/id.ts';
import { money } from '../event/money.ts';
import type { AlarmDetails, AlarmEvent, BillingAlarmEvent, Severity } from '../event/schema.ts';
import { formatDecimal } from '../format/decimal.ts';
import { baseFields, formatMoney, num, str, toIsoUtc, type NormalizeOptions } from './common.ts';
import { arnField, regionCode } from './regions.ts';

const STATES = ['ALARM', 'OK', 'INSUFFICIENT_DATA'] as const;
type AlarmState = (typeof STATES)[number];

export function looksLikeCloudWatchAlarm(message: InboundMessage): boolean {
  return isRecord(message.json) && 'AlarmName' in message.json && 'NewStateValue' in message.json;
}

/** The EventBridge form: `detail-type` "CloudWatch Alarm State Change", camelCase detail. */
export function looksLikeEventBridgeAlarm(message: InboundMessage): boolean {
  return (
    message.context.eventBridge?.detailType === 'CloudWatch Alarm State Change' &&
    isRecord(message.json) &&
    'alarmName' in message.json
  );
}

/**
 * Reads the EventBridge form by restating it in the SNS form's terms, so one reader serves both:
 * the threshold comes from the state's `reasonData`, the metric from `configuration.metrics`.
 */
export function normalizeEventBridgeAlarm(
  message: InboundMessage,
  options: NormalizeOptions,
): AlarmEvent | BillingAlarmEvent {
  const d = message.json as Record<string, unknown>;
  const eb = message.context.eventBridge;
  const state = isRecord(d.state) ? d.state : {};
  const previous = isRecord(d.previousState) ? d.previousState : {};
  const configuration = isRecord(d.configuration) ? d.configuration : {};
  let reasonData: Record<string, unknown> = {};
  try {
    const parsed: unknown = typeof state.reasonData === 'string' ? JSON.parse(state.reasonData) : null;
    if (isRecord(parsed)) reasonData = parsed;
  } catch {
    // reasonData is informative only; the reason text still carries the datapoint
  }
  const metrics = (Array.isArray(configuration.metrics) ? configuration.metrics : []).filter(isRecord).map((m) => {
    const ms = isRecord(m.metricStat) ? m.metricStat : null;
    const metric = ms && isRecord(ms.metric) ? ms.metric : null;
    const dims = metric && isRecord(metric.dimensions) ? metric.dimensions : {};
    return {
      Id: m.id,
      Expression: m.expression,
      MetricStat: metric
        ? {
            Metric: {
              MetricName: metric.name,
              Namespace: metric.namespace,
              Dimensions: Object.entries(dims).map(([name, value]) => ({ name, value })),
            },
            Period: ms?.period,
            Stat: ms?.stat,
          }
        : undefined,
    };
  });
  const region = eb?.region ?? null;
  const account = eb?.account ?? null;
  const name = str(d.alarmName);
  const restated = {
    AlarmName: name,
    AlarmDescription: configuration.description ?? null,
    AWSAccountId: account,
    AlarmArn: region && account && name ? `arn:aws:cloudwatch:${region}:${account}:alarm:${name}` : null,
    NewStateValue: state.value,
    OldStateValue: previous.value,
    NewStateReason: state.reason,
    StateChangeTime: state.timestamp,
    Region: region,
    Trigger: {
      Threshold: reasonData.threshold,
      Period: reasonData.period,
      Statistic: reasonData.statistic,
      Metrics: metrics,
    },
  };
  return normalizeCloudWatchAlarm({ ...message, json: restated }, options);
}

/**
 * Reads a CloudWatch alarm state change as published to SNS. `AWS/Billing` `EstimatedCharges`
 * alarms become `billing-alarm`, every other metric `alarm`; a change to OK is a resolution.
 */
export function normalizeCloudWatchAlarm(
  message: InboundMessage,
  options: NormalizeOptions,
): AlarmEvent | BillingAlarmEvent {
  const m = message.json as Record<string, unknown>;
  const name = str(m.AlarmName);
  const state = asState(m.NewStateValue);
  if (!name) throw new NormalizeError('CloudWatch alarm message without an AlarmName', 'alarm');
  if (!state)
    throw new NormalizeError(
      `CloudWatch alarm "${name}" has an unknown NewStateValue ${JSON.stringify(m.NewStateValue)}`,
      'alarm',
    );
  const trigger = isRecord(m.Trigger) ? m.Trigger : {};
  const stat = metricStat(trigger);
  const dimensions = readDimensions(trigger.Dimensions ?? stat?.Metric.Dimensions);
  const metric = str(trigger.MetricName) ?? str(stat?.Metric.MetricName);
  const namespace = str(trigger.Namespace) ?? str(stat?.Metric.Namespace);
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
    statistic: str(trigger.Statistic) ?? str(trigger.ExtendedStatistic) ?? str(stat?.Stat),
    comparisonOperator: str(trigger.ComparisonOperator),
    period: num(trigger.Period),
    evaluationPeriods: num(trigger.EvaluationPeriods),
    dimensions,
    region: regionCode(arn, str(m.Region)),
    currency: isBilling ? (dimensions.Currency ?? 'USD') : null,
    service: dimensions.ServiceName ?? null,
    linkedAccount: dimensions.LinkedAccount ?? null,
  };
  const accountId = str(m.AWSAccountId) ?? (arn ? arnField(arn, 4) : undefined) ?? null;
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
        ? `https://${alarm.region}.${alarm.region.startsWith('cn-') ? 'console.amazonaws.cn' : 'console.aws.amazon.com'}/cloudwatch/home?region=${alarm.region}#alarmsV2:alarm/${encodeURIComponent(name)}`
        : null,
      diagnostics:
        occurredAt || !m.StateChangeTime ? [] : [`StateChangeTime not readable: ${JSON.stringify(m.StateChangeTime)}`],
    },
    options,
  );
  return isBilling
    ? Object.assign(base, { kind: 'billing-alarm' as const, alarm })
    : Object.assign(base, { kind: 'alarm' as const, alarm });
}

/** ALARM is critical, INSUFFICIENT_DATA a warning (the watch has gone blind), OK info. */
export function alarmSeverity(state: AlarmState): Severity {
  return state === 'ALARM' ? 'critical' : state === 'INSUFFICIENT_DATA' ? 'warning' : 'info';
}

function describe(alarm: AlarmDetails, isBilling: boolean): { title: string; summary: string } {
  const scope = [alarm.service, alarm.linkedAccount ? `account ${alarm.linkedAccount}` : null]
    .filter(Boolean)
    .join(', ');
  const cur = alarm.currency ?? 'USD';
  const what = isBilling
    ? `Estimated charges${scope ? ` (${scope})` : ''}`
    : alarm.metric
      ? `${alarm.namespace ?? ''} ${alarm.metric}`.trim()
      : null;
  const label = isBilling ? 'Billing alarm' : 'Alarm';
  const was = alarm.previousState ? ` (was ${alarm.previousState})` : '';
  const reason = alarm.reason ? ` ${alarm.reason}` : '';
  if (alarm.state === 'INSUFFICIENT_DATA') {
    return {
      title: `${label} "${alarm.name}": insufficient data`,
      summary: `${what ?? 'The alarm'} has no recent datapoints, so the alarm cannot evaluate.${reason}`,
    };
  }
  const value = shown(alarm.value, isBilling, cur);
  const threshold = shown(alarm.threshold, isBilling, cur);
  // Without a metric, value or threshold there is nothing to compare: say the state change and why.
  if (!what || alarm.value === null || alarm.threshold === null) {
    const valueText = what && alarm.value !== null ? `: ${what} at ${value}` : '';
    const verb = alarm.state === 'OK' ? 'Resolved: ' : '';
    return {
      title: `${verb}${label.toLowerCase() === 'alarm' && !verb ? 'Alarm' : verb ? label.toLowerCase() : label} "${alarm.name}" is ${alarm.state}${was}${valueText}`,
      summary:
        `${alarm.description ? `${alarm.description}.` : ''}${reason}`.trim() || `The alarm changed to ${alarm.state}.`,
    };
  }
  const below = /^LessThan/.test(alarm.comparisonOperator ?? '');
  if (alarm.state === 'OK') {
    return {
      title: `Resolved: ${label.toLowerCase()} "${alarm.name}" is OK at ${value}`,
      summary: `${what} back ${below ? 'above' : 'within'} the threshold of ${threshold}.${reason}`,
    };
  }
  return {
    title: `${label} "${alarm.name}": ${what} ${value} ${below ? 'below' : 'over'} ${threshold}`,
    summary: `${what} ${below ? 'fell to' : 'reached'} ${value}, ${below ? 'under' : 'past'} the threshold of ${threshold}.${reason}`,
  };
}

/** A datapoint or threshold as the title shows it: money for a billing alarm. */
function shown(n: number | null, isBilling: boolean, currency: string): string {
  return n === null ? 'n/a' : isBilling ? formatMoney(money(n, currency)) : roundForDisplay(n);
}

/** Four significant digits are enough to read a datapoint; the full value stays in the event. */
function roundForDisplay(n: number): string {
  if (Number.isInteger(n) || Math.abs(n) >= 1000) return formatDecimal(n, 0, 2);
  return String(Number(n.toPrecision(4)));
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
function metricStat(trigger: Record<string, unknown>): { Metric: Record<string, unknown>; Stat: unknown } | null {
  if (!Array.isArray(trigger.Metrics)) return null;
  for (const entry of trigger.Metrics) {
    if (isRecord(entry) && isRecord(entry.MetricStat) && isRecord(entry.MetricStat.Metric)) {
      return { Metric: entry.MetricStat.Metric, Stat: entry.MetricStat.Stat };
    }
  }
  return null;
}
