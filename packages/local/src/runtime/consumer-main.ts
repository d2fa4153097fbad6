/**
 * A channel consumer as its own process: the same handler module Lambda runs, polled like the SQS
 * event source mapping. The local runtime starts one per channel, so that a consumer can be killed
 * and restarted while the queues keep their messages. Logs are JSON lines on standard output.
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import { awsClientConfig } from '@spend-alerts/adapters';
import { awsChannelDeps, createChannelHandler } from '@spend-alerts/functions';
import { CHANNELS, links, spec, type Channel } from '@spend-alerts/stacks/spec';
import { reportLine } from '../meter/lambda-report.ts';
import { clockFromEnv } from './clock.ts';
import { SqsPoller } from './poller.ts';
import { isProcessAlive } from './process.ts';

const channel = process.argv[2] as Channel;
if (!CHANNELS.includes(channel)) {
  process.stderr.write(`usage: consumer-main.ts ${CHANNELS.join('|')}\n`);
  process.exit(2);
}

const env = process.env;
const clock = clockFromEnv(env) ?? undefined;
const deps = await awsChannelDeps(channel, { env, clock });
// Test topologies that compress SQS time shorten delivery claims to match (see bench/lib/topology.ts).
if (Number(env.SPEND_ALERTS_DELIVERY_LEASE_MS) > 0) deps.deliveryLeaseMs = Number(env.SPEND_ALERTS_DELIVERY_LEASE_MS);
const queue = JSON.parse(env[`SST_RESOURCE_${links.queue(channel)}`] ?? '{}') as { url: string; arn: string };
const consumer = {
  ...spec.consumers[channel],
  batchWindowSeconds: Number(env.SPEND_ALERTS_BATCH_WINDOW ?? spec.consumers[channel].batchWindowSeconds),
};
const poller = new SqsPoller({
  sqs: new SQSClient(awsClientConfig(env, 'SQS')),
  queueUrl: queue.url,
  queueArn: queue.arn,
  consumer,
  handler: reported(createChannelHandler(async () => deps)),
  deliverTwice: env.SPEND_ALERTS_FAULT_DELIVER_TWICE === '1',
  onError: (error) => deps.logger.error({ err: error }, 'poller error'),
});
/**
 * After each invocation, one report line as Lambda writes it: its duration, the memory the spec
 * configures, and this process's peak resident memory, which the local runtime meters.
 */
function reported<E, R>(handler: (event: E) => Promise<R>): (event: E) => Promise<R> {
  return async (event) => {
    const started = performance.now();
    try {
      return await handler(event);
    } finally {
      const peakMb = process.resourceUsage().maxRSS / 1024;
      process.stdout.write(`${reportLine(performance.now() - started, spec.consumers[channel].memoryMb, peakMb)}\n`);
    }
  };
}

poller.start();
deps.logger.info({ msg: 'consumer started', pid: process.pid }, 'consumer started');

const stop = async () => {
  await poller.stop();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());

// A consumer lives only as long as the runtime that started it: if that process is killed outright
// (SIGKILL leaves no time to stop its children), the consumer stops too instead of polling forever.
const parent = Number(env.SPEND_ALERTS_PARENT_PID ?? process.ppid);
setInterval(() => {
  if (!isProcessAlive(parent)) void stop();
}, 1000).unref();
