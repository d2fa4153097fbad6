import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
} from '@aws-sdk/client-sqs';
import { SubscribeCommand } from '@aws-sdk/client-sns';
import type { LocalStack } from './stack.ts';

/**
 * A queue of the local runtime's own on the topic: it sees every message published, by the
 * simulation, by `spend-alerts send`, or by anyone with the SDK, for the dashboard and the run's
 * summary. Not part of the deployed topology.
 */
export async function startTopicTap(
  stack: LocalStack,
  onMessage: (message: string) => void,
): Promise<{ stop(): Promise<void>; caughtUp(): Promise<void> }> {
  const { QueueUrl } = await stack.sqs.send(new CreateQueueCommand({ QueueName: 'LocalDashboardTap' }));
  const { Attributes } = await stack.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  await stack.sns.send(
    new SubscribeCommand({
      TopicArn: stack.topicArn,
      Protocol: 'sqs',
      Endpoint: Attributes!.QueueArn!,
      Attributes: { RawMessageDelivery: 'true' },
    }),
  );
  let running = true;
  let idle = true;
  const loop = (async () => {
    while (running) {
      try {
        const out = await stack.sqs.send(
          new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
        );
        const messages = out.Messages ?? [];
        idle = messages.length === 0;
        for (const m of messages) onMessage(m.Body ?? '');
        if (messages.length)
          await stack.sqs.send(
            new DeleteMessageBatchCommand({
              QueueUrl,
              Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
            }),
          );
      } catch {
        if (running) await new Promise((r) => setTimeout(r, 200));
      }
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
    },
    async caughtUp() {
      for (let i = 0; i < 100 && !(idle && (await stack.depth(QueueUrl!)).visible === 0); i++)
        await new Promise((r) => setTimeout(r, 100));
    },
  };
}
