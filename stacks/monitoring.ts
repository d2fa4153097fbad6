import type { Config } from '@spend-alerts/core';
import { metricsNamespace } from './metrics.ts';
import { operationsAlarms } from './monitoring-plan.ts';
import { type ChannelQueues, queuedChannels } from './queues.ts';
import { spec } from './spec.ts';

type SstFunction = InstanceType<typeof sst.aws.Function>;
type SstTopic = InstanceType<typeof sst.aws.SnsTopic>;

/**
 * The operations topic: where the watchdog, and the alarms when asked for, say the pipeline itself is
 * in trouble. Subscribe an email address or a pager to it; it is not the spend topic, so a broken
 * pipeline still reaches someone.
 */
export function createOperationsTopic(): SstTopic {
  return new sst.aws.SnsTopic(spec.operationsTopic.name);
}

/**
 * CloudWatch alarms on the pipeline, publishing to the operations topic, only with
 * `monitoring.alarms` (see monitoring-plan.ts): the watchdog watches without them.
 */
export function createAlarms(
  config: Config,
  topic: SstTopic,
  queues: ChannelQueues,
  functions: Record<string, SstFunction>,
): void {
  if (!config.monitoring.alarms) return;
  const deadLetters = Object.fromEntries(
    queuedChannels(queues).map(({ channel, deadLetters }) => [channel, deadLetters.nodes.queue.name]),
  );
  const names = Object.fromEntries(Object.entries(functions).map(([key, fn]) => [key, fn.name] as const));
  const plans = operationsAlarms(
    spec,
    { deadLetters, functions: names, metricsNamespace: metricsNamespace($app.stage) },
    { metrics: config.monitoring.metrics },
  );
  for (const plan of plans) {
    const { key, description, ...metric } = plan;
    new aws.cloudwatch.MetricAlarm(`Alarm-${key}`, {
      name: `${$app.name}-${$app.stage}-${key}`,
      alarmDescription: description,
      ...metric,
      alarmActions: [topic.arn],
      okActions: [topic.arn],
    });
  }
}
