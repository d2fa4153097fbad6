/**
 * Two consumers per channel racing on the same records, in this process: every batch is handed to
 * both at the same moment, as an at-least-once queue may when a message is delivered again while
 * its first delivery is still being worked on. Each consumer has its own dependencies (clients,
 * caches), as two Lambda instances do. Shared by tests/faults/racing.int.test.ts and the bench.
 */
import { Writable } from 'node:stream';
import { SQSClient } from '@aws-sdk/client-sqs';
import { awsClientConfig } from '@spend-alerts/adapters';
import { awsChannelDeps, createChannelHandler } from '@spend-alerts/functions';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { SqsPoller } from '@spend-alerts/local/runtime/poller.ts';
import { CHANNELS, spec } from '@spend-alerts/stacks/spec';
import { startTopology, type Topology } from '../../bench/lib/topology.ts';
import { billingAlarms, BENCH_ACCOUNTS } from '../../bench/lib/traffic.ts';
import { threeChannelConfig } from './config.ts';
import { countAtDestinations, type DestinationCount } from './count.ts';

/** Three channels; `groupWait` decides whether alerts go out one by one (0s) or in groups. */
export function racingConfig(groupWait: string): string {
  return threeChannelConfig({ groupWait, groupInterval: '2s' });
}

export interface RacingReport extends DestinationCount {
  conditionalCheckFailures: number;
}

export async function runRacing(options: { events: number; groupWait: string }): Promise<RacingReport> {
  const topo = await startTopology({
    configYaml: racingConfig(options.groupWait),
    countDynamo: true,
    sqsTime: { receiveS: 30, backoffS: 1 },
  });
  const pollers: SqsPoller[] = [];
  try {
    const quiet = new Writable({ write: (_chunk, _enc, done) => done() });
    const env = topo.consumerEnv();
    for (const channel of CHANNELS) {
      const [a, b] = await Promise.all(
        [0, 1].map(() => awsChannelDeps(channel, { env, clock: topo.clock, logDestination: quiet })),
      );
      a!.deliveryLeaseMs = b!.deliveryLeaseMs = Number(env.SPEND_ALERTS_DELIVERY_LEASE_MS) || undefined;
      const first = createChannelHandler(async () => a!);
      const second = createChannelHandler(async () => b!);
      const racing = async (event: SQSEvent): Promise<SQSBatchResponse> => {
        const [x, y] = await Promise.all([first(event), second(event)]);
        return { batchItemFailures: [...x.batchItemFailures, ...y.batchItemFailures] };
      };
      const q = topo.stack.queues[channel];
      pollers.push(
        new SqsPoller({
          sqs: new SQSClient(awsClientConfig(env, 'SQS')),
          queueUrl: q.url,
          queueArn: q.arn,
          consumer: { ...spec.consumers[channel], batchWindowSeconds: 0 },
          handler: racing,
        }),
      );
    }
    const messages = billingAlarms(options.events, BENCH_ACCOUNTS, 'racing');
    await topo.publish(messages);
    for (const p of pollers) p.start();
    await drained(topo, pollers);
    return {
      ...(await countAtDestinations(topo.config, messages, topo.stack)),
      conditionalCheckFailures: topo.conditionalCheckFailures(),
    };
  } finally {
    await Promise.all(pollers.map((p) => p.stop()));
    await topo.close();
  }
}

/**
 * Nothing visible or in flight on any queue and no poller busy for 3 s (longer than
 * groupInterval, so a pending group flush has come and gone). Delayed messages are not waited
 * for: a consumer that finds a group leased by the other schedules a wake-up at the lease's
 * expiry (five minutes), the safety net for a consumer that dies mid-flush, which finds nothing.
 */
async function drained(t: Topology, ps: SqsPoller[], timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let quietSince = Date.now();
  while (Date.now() < deadline) {
    const depths = await Promise.all(CHANNELS.map((c) => t.stack.depth(t.stack.queues[c].url)));
    const idle = depths.every((d) => d.visible + d.inFlight === 0) && ps.every((p) => !p.busy);
    if (!idle) quietSince = Date.now();
    else if (Date.now() - quietSince >= 3000) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the queues did not drain');
}
