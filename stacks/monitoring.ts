import { metricsNamespace } from './metrics.ts';
import { operationsAlarms } from './monitoring-plan.ts';
import type { ChannelQueues } from './queues.ts';
import { CHANNELS, spec, type Channel } from './spec.ts';

type SstFunction = InstanceType<typeof sst.aws.Function>;

/**
 * The operations topic and the alarms that publish to it (see monitoring-plan.ts). Subscribe an email
 * address or a pager to it; it is not the spend topic, so a broken pipeline still reaches someone.
 */
export function createMonitoring(queues: ChannelQueues, functions: Record<string, SstFunction>) {
  const topic = new sst.aws.SnsTopic(spec.operationsTopic.name);
  const deadLetters = byChannel((channel) => queues[channel].deadLetters.nodes.queue.name);
  const names = Object.fromEntries(Object.entries(functions).map(([key, fn]) => [key, fn.name] as const));
  for (const plan of operationsAlarms(spec, {
    deadLetters,
    functions: names,
    metricsNamespace: metricsNamespace($app.stage),
  })) {
    const { key, description, ...metric } = plan;
    new aws.cloudwatch.MetricAlarm(`Alarm-${key}`, {
      name: `${$app.name}-${$app.stage}-${key}`,
      alarmDescription: description,
      ...metric,
      alarmActions: [topic.arn],
      okActions: [topic.arn],
    });
  }
  return topic;
}

function byChannel<T>(value: (channel: Channel) => T): Record<Channel, T> {
  return Object.fromEntries(CHANNELS.map((channel) => [channel, value(channel)])) as Record<Channel, T>;
}
