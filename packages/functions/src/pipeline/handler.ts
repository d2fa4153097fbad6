import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { backoffMs } from './backoff.ts';
import type { ChannelDeps } from './deps.ts';
import { processRecord } from './process-record.ts';

/** Thrown for a record that should come back later; Powertools reports it in `batchItemFailures`. */
class RetryLater extends Error {
  override name = 'RetryLater';
}

/**
 * A channel consumer: SQS batch in, `{ batchItemFailures }` out, each record on its own. Transient
 * failures back off (visibility extended with jitter) and return the record as failed; permanent
 * ones go to the DLQ with their reason and are acknowledged, so a poison message never blocks the
 * queue and no retries are spent on it.
 */
export function createChannelHandler(deps: () => Promise<ChannelDeps>) {
  let ready: Promise<ChannelDeps> | undefined;
  const processor = new BatchProcessor(EventType.SQS);
  return async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
    ready ??= deps();
    const d = await ready.catch((error) => {
      ready = undefined; // let the next invocation try again (a missing secret may be set meanwhile)
      throw error;
    });
    const recordHandler = async (record: SQSRecord) => {
      const outcome = await processRecord(record, d);
      if (outcome.status === 'retry') {
        const receiveCount = Number(record.attributes?.ApproximateReceiveCount ?? 1) || 1;
        await d.queue.backoff(record, backoffMs(receiveCount, outcome.retryAfterMs)).catch((e: Error) => d.logger.warn({ err: e }, 'could not extend visibility'));
        throw new RetryLater(outcome.reason);
      }
      if (outcome.status === 'dead') {
        if (!(await d.store.claimDeadLetter(d.channel, record.messageId))) {
          d.logger.info({ sqsMessageId: record.messageId, outcome: 'already-dead-lettered' }, 'record outcome');
          return;
        }
        try {
          await d.queue.deadLetter(record, { reason: outcome.reason, receiver: outcome.receiver, failure: outcome.failure });
        } catch (error) {
          // Not parked, so not acknowledged: the retry parks it (or the queue's own redrive policy does).
          await d.store.releaseDeadLetter(d.channel, record.messageId).catch(() => undefined);
          d.logger.error({ sqsMessageId: record.messageId, err: error }, 'could not dead-letter the record');
          throw error;
        }
        d.metrics?.count('DeadLettered');
        d.logger.warn({ sqsMessageId: record.messageId, reason: outcome.reason, outcome: 'dead-lettered' }, 'record dead-lettered');
      }
    };
    // Sequential: a burst to one Slack workspace should not race its rate limit.
    try {
      return await processPartialResponse(event, recordHandler, processor, { context: context as Context, processInParallel: false, throwOnFullBatchFailure: false });
    } finally {
      d.metrics?.flush();
    }
  };
}
