import { CHANNEL_DIMENSION, METRICS } from './metrics.ts';
import { CHANNELS, type Channel, type Spec } from './spec.ts';

/**
 * The pipeline's CloudWatch alarms on itself, as data, when the config asks for them
 * (`monitoring.alarms`; the hourly watchdog covers the same ground without them): one per dead-letter
 * queue's depth and age, per function's errors, and, when the handlers publish metrics too
 * (`monitoring.metrics`), per channel's missing daily heartbeat. `S` is a string in tests and an
 * output when deploying.
 */
export interface AlarmPlan<S> {
  /** The logical name, also the end of the alarm's name. */
  key: string;
  description: string;
  namespace: string;
  metricName: string;
  dimensions: Record<string, S>;
  statistic: 'Sum' | 'Maximum';
  period: number;
  evaluationPeriods: number;
  datapointsToAlarm: number;
  threshold: number;
  comparisonOperator: 'GreaterThanOrEqualToThreshold' | 'LessThanThreshold';
  treatMissingData: 'notBreaching' | 'breaching';
}

export interface MonitoredNames<S> {
  /** Each deployed channel's dead-letter queue name; a channel without one has no alarms. */
  deadLetters: Partial<Record<Channel, S>>;
  /** Every function's name, by a readable key (`SlackConsumer`, `DigestJob`, ...). */
  functions: Record<string, S>;
  /** The namespace the handlers write their metrics to. */
  metricsNamespace: string;
}

const FIVE_MINUTES = 300;
const HOUR = 3600;
/** The heartbeat is sent daily; an hour's slack covers a late run before the alarm speaks. */
const HEARTBEAT_WINDOW_HOURS = 25;

export function operationsAlarms<S>(
  spec: Spec,
  names: MonitoredNames<S>,
  options: { metrics: boolean } = { metrics: true },
): AlarmPlan<S>[] {
  const alarms: AlarmPlan<S>[] = [];
  for (const channel of CHANNELS) {
    const queueName = names.deadLetters[channel];
    if (queueName === undefined) continue;
    // Half the retention: someone has as long again to redrive before the records expire.
    const maxAge = Math.floor(spec.consumers[channel].dlqRetentionSeconds / 2);
    alarms.push(
      {
        key: `${channel}-dead-letters`,
        description: `A ${channel} record was dead-lettered: a destination refused it or it failed every retry. Read its reason in the message attributes, fix, then redrive.`,
        namespace: 'AWS/SQS',
        metricName: 'ApproximateNumberOfMessagesVisible',
        dimensions: { QueueName: queueName },
        statistic: 'Maximum',
        period: FIVE_MINUTES,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        threshold: 1,
        comparisonOperator: 'GreaterThanOrEqualToThreshold',
        treatMissingData: 'notBreaching',
      },
      {
        key: `${channel}-dead-letters-age`,
        description: `The oldest dead-lettered ${channel} record is ${maxAge / 86_400} days old; it expires at ${spec.consumers[channel].dlqRetentionSeconds / 86_400} days.`,
        namespace: 'AWS/SQS',
        metricName: 'ApproximateAgeOfOldestMessage',
        dimensions: { QueueName: queueName },
        statistic: 'Maximum',
        period: FIVE_MINUTES,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        threshold: maxAge,
        comparisonOperator: 'GreaterThanOrEqualToThreshold',
        treatMissingData: 'notBreaching',
      },
    );
    if (options.metrics)
      alarms.push({
        key: `${channel}-heartbeat-missing`,
        description: `No heartbeat went through the ${channel} consumer for ${HEARTBEAT_WINDOW_HOURS} hours: the topic, queue or function is broken.`,
        namespace: names.metricsNamespace,
        metricName: METRICS.heartbeat,
        dimensions: { [CHANNEL_DIMENSION]: channel as S },
        statistic: 'Sum',
        period: HOUR,
        evaluationPeriods: HEARTBEAT_WINDOW_HOURS,
        datapointsToAlarm: HEARTBEAT_WINDOW_HOURS,
        threshold: 1,
        comparisonOperator: 'LessThanThreshold',
        // No datapoint is exactly what a missing heartbeat looks like.
        treatMissingData: 'breaching',
      });
  }
  for (const [key, functionName] of Object.entries(names.functions)) {
    alarms.push({
      key: `${kebab(key)}-errors`,
      description: `${key} failed whole invocations (crash or timeout). Record failures are reported per record and do not count here.`,
      namespace: 'AWS/Lambda',
      metricName: 'Errors',
      dimensions: { FunctionName: functionName },
      statistic: 'Sum',
      period: FIVE_MINUTES,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      threshold: 1,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      treatMissingData: 'notBreaching',
    });
  }
  return alarms;
}

function kebab(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}
