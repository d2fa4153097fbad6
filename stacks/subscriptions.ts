import { queueFromTopicsPolicy } from './policies.ts';
import { type ChannelQueues, queuedChannels } from './queues.ts';
import { links } from './spec.ts';
import type { createSpendTopics } from './topic.ts';

/**
 * Fans the spend topic(s) out to every channel's queue. SNS envelopes are kept (no raw delivery): the
 * Subject and MessageId they carry name the budget and correlate the event.
 */
export function subscribeQueues(queues: ChannelQueues, topics: ReturnType<typeof createSpendTopics>): void {
  const sources =
    topics.billing === topics.main
      ? [{ topic: topics.main, opts: undefined }]
      : [
          { topic: topics.main, opts: undefined },
          { topic: topics.billing, opts: { provider: topics.billingProvider } },
        ];
  for (const { channel, queue } of queuedChannels(queues)) {
    const name = links.queue(channel);
    new aws.sqs.QueuePolicy(`${name}Policy`, {
      queueUrl: queue.url,
      policy: $jsonStringify(
        queueFromTopicsPolicy(
          queue.arn,
          sources.map((s) => s.topic.arn),
        ),
      ),
    });
    for (const { topic, opts } of sources) {
      new aws.sns.TopicSubscription(
        `${name}From${opts ? 'UsEast1' : 'SpendEvents'}`,
        { topic: topic.arn, protocol: 'sqs', endpoint: queue.arn },
        opts,
      );
    }
  }
}
