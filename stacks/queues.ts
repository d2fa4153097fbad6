import { CHANNELS, links, spec, type Channel } from './spec.ts';

/** A channel's queue, with its dead-letter queue after `maxReceiveCount` receives. */
function createChannelQueues(channel: Channel) {
  const consumer = spec.consumers[channel];
  const deadLetters = new sst.aws.Queue(links.dlq(channel), {
    transform: { queue: { messageRetentionSeconds: consumer.dlqRetentionSeconds } },
  });
  const queue = new sst.aws.Queue(links.queue(channel), {
    // At least six times the function timeout, so a record is not redelivered while a batch still runs.
    visibilityTimeout: `${consumer.visibilityTimeoutSeconds} seconds`,
    dlq: { queue: deadLetters.arn, retry: consumer.maxReceiveCount },
  });
  return { queue, deadLetters };
}

/** One queue and one dead-letter queue per channel the config delivers to (`channelsInUse`). */
export function createQueues(channels: readonly Channel[]) {
  const entries = channels.map((channel) => [channel, createChannelQueues(channel)] as const);
  return Object.fromEntries(entries) as Partial<Record<Channel, ReturnType<typeof createChannelQueues>>>;
}

/** The channels that have queues, in `CHANNELS` order, each with its queues. */
export function queuedChannels(queues: ChannelQueues) {
  return CHANNELS.flatMap((channel) => {
    const q = queues[channel];
    return q ? [{ channel, ...q }] : [];
  });
}

export type ChannelQueues = ReturnType<typeof createQueues>;
