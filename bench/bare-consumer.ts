/**
 * The bare transport's consumer: the same poller as the channel consumers (Lambda's SQS event
 * source mapping: receive a batch, invoke, delete), with a handler that only notes when each
 * record arrived. Prints one JSON line per batch: `{"bare":[[snsMessageId, epochMs], …]}`.
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import { awsClientConfig } from '@spend-alerts/adapters';
import { SqsPoller } from '@spend-alerts/local/runtime/poller.ts';
import { links, spec, type Channel } from '@spend-alerts/stacks/spec';

const channel = (process.argv[2] ?? 'slack') as Channel;
const env = process.env;
const queue = JSON.parse(env[`SST_RESOURCE_${links.queue(channel)}`] ?? '{}') as { url: string; arn: string };
const poller = new SqsPoller({
  sqs: new SQSClient(awsClientConfig(env, 'SQS')),
  queueUrl: queue.url,
  queueArn: queue.arn,
  consumer: { ...spec.consumers[channel], batchWindowSeconds: Number(env.SPEND_ALERTS_BATCH_WINDOW ?? 0) },
  handler: async (event) => {
    const at = Date.now();
    const seen = event.Records.map((r) => [
      (JSON.parse(r.body) as { MessageId?: string }).MessageId ?? r.messageId,
      at,
    ]);
    process.stdout.write(`${JSON.stringify({ bare: seen })}\n`);
    return { batchItemFailures: [] };
  },
  onError: (error) => process.stderr.write(`${String(error)}\n`),
});
poller.start();
process.stdout.write(`${JSON.stringify({ ready: process.pid })}\n`);
process.on('SIGTERM', () => void poller.stop().then(() => process.exit(0)));
