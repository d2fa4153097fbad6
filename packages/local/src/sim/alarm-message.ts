/**
 * The JSON CloudWatch publishes to SNS when a billing alarm (`AWS/Billing` `EstimatedCharges`,
 * us-east-1 only) changes state, in the current field set of tests/fixtures/cloudwatch/ (see
 * SOURCES.md there): `+0000` times, the region's display name, lower-case dimension keys.
 */
import { addDays } from './calendar.ts';
import { centsToNumber } from './cents.ts';
import { PAYER_ACCOUNT_ID } from './catalog.ts';
import type { PublishedMessage } from './budget-message.ts';

/** The parts of a config billing alarm (`BillingAlarmSpec`) a message needs. */
export interface SimBillingAlarm {
  name: string;
  /** USD. */
  threshold: number;
  /** `ServiceName` dimension, e.g. AmazonEC2. */
  service?: string | undefined;
  /** `LinkedAccount` dimension. */
  linkedAccount?: string | undefined;
  description?: string | undefined;
}

/** The states a billing alarm moves between in the simulation. */
export type AlarmState = 'ALARM' | 'OK';

/** Where and when the alarm fired; defaults fit the simulated payer. */
export interface BillingAlarmOptions {
  /** The account that owns the alarm. Default: the simulated payer. */
  accountId?: string;
  /** Where the alarm notifies. Default: the SpendEvents topic in us-east-1. */
  topicArn?: string;
  /** Time of day the state changed, `HH:MM:SS.mmm` UTC. Default `06:13:14.090`. */
  time?: string;
  /** Default: the opposite state. */
  previousState?: AlarmState | 'INSUFFICIENT_DATA';
}

/** The metric is evaluated over six hours, the resolution AWS publishes estimated charges at. */
const PERIOD_SECONDS = 21_600;

/**
 * The message of a billing alarm entering `state` on `day`, quoting `valueCents` as its
 * datapoint (the month-to-date estimated charges in the alarm's scope).
 * @example billingAlarmMessage({ name: 'estimated-charges-over-10k', threshold: 10000 }, 'ALARM', '2026-04-21', 1_002_345)
 */
export function billingAlarmMessage(
  alarm: SimBillingAlarm,
  state: AlarmState,
  day: string,
  valueCents: number,
  options: BillingAlarmOptions = {},
): PublishedMessage {
  const accountId = options.accountId ?? PAYER_ACCOUNT_ID;
  const time = options.time ?? '06:13:14.090';
  const previous = options.previousState ?? (state === 'ALARM' ? 'OK' : 'ALARM');
  const datapointAt = datapointStamp(day, time);
  const verb = state === 'ALARM' ? 'was greater than' : 'was not greater than';
  const reason = `Threshold Crossed: 1 out of the last 1 datapoints [${javaDouble(centsToNumber(valueCents))} (${datapointAt})] ${verb} the threshold (${javaDouble(alarm.threshold)}) (minimum 1 datapoint for ${previous} -> ${state} transition).`;
  const dimensions = [
    ...(alarm.service ? [{ value: alarm.service, name: 'ServiceName' }] : []),
    ...(alarm.linkedAccount ? [{ value: alarm.linkedAccount, name: 'LinkedAccount' }] : []),
    { value: 'USD', name: 'Currency' },
  ];
  const topicArn = options.topicArn ?? `arn:aws:sns:us-east-1:${accountId}:SpendEvents`;
  const body = {
    AlarmName: alarm.name,
    AlarmDescription: alarm.description ?? null,
    AWSAccountId: accountId,
    // The deployment created the alarm before the month began.
    AlarmConfigurationUpdatedTimestamp: `${addDays(`${day.slice(0, 7)}-01`, -1)}T12:00:00.000+0000`,
    NewStateValue: state,
    NewStateReason: reason,
    StateChangeTime: `${day}T${time}+0000`,
    Region: 'US East (N. Virginia)',
    AlarmArn: `arn:aws:cloudwatch:us-east-1:${accountId}:alarm:${alarm.name}`,
    OldStateValue: previous,
    OKActions: [topicArn],
    AlarmActions: [topicArn],
    InsufficientDataActions: [],
    Trigger: {
      MetricName: 'EstimatedCharges',
      Namespace: 'AWS/Billing',
      StatisticType: 'Statistic',
      Statistic: 'MAXIMUM',
      Unit: null,
      Dimensions: dimensions,
      Period: PERIOD_SECONDS,
      EvaluationPeriods: 1,
      DatapointsToAlarm: 1,
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: alarm.threshold,
      TreatMissingData: 'missing',
      EvaluateLowSampleCountPercentile: '',
    },
  };
  // CloudWatch serializes doubles the Java way (`"Threshold":10000.0`); JSON.stringify drops the `.0`.
  const message = JSON.stringify(body).replace(
    `"Threshold":${JSON.stringify(alarm.threshold)},`,
    `"Threshold":${javaDouble(alarm.threshold)},`,
  );
  return { subject: `${state}: "${alarm.name}" in US East (N. Virginia)`, message };
}

/** A double as Java's `Double.toString` prints it, as CloudWatch's reasons do: 10000 → `10000.0`. */
export function javaDouble(n: number): string {
  if (n !== 0 && (Math.abs(n) >= 1e7 || Math.abs(n) < 1e-3)) {
    const [mantissa, exponent] = n.toExponential().split('e') as [string, string];
    return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
  }
  return Number.isInteger(n) ? `${n}.0` : String(n);
}

/** The datapoint is stamped one period before the state change, to the minute: `dd/MM/yy HH:mm:ss`. */
function datapointStamp(day: string, time: string): string {
  const at = new Date(Date.parse(`${day}T${time}Z`) - PERIOD_SECONDS * 1000).toISOString();
  return `${at.slice(8, 10)}/${at.slice(5, 7)}/${at.slice(2, 4)} ${at.slice(11, 16)}:00`;
}
