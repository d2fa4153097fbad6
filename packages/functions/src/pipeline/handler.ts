import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { backoffMs } from './backoff.ts';
import type { ChannelDeps } from './deps.ts';
import { classifyAwsError } from '@spend-alerts/adapters/errors';
import { spec } from '@spend-alerts/stacks/spec';
import { BatchMarks } from './batch-marks.ts';
import { batchContext, processRecord, type RecordOutcome } from './process-record.ts';
import { readRecord, type ReadRecord } from './read-record.ts';

/** Thrown for a record that should come back later; Powertools reports it in `batchItemFailures`. */
class RetryLater extends Error {
  override name = 'RetryLater';
}

/**
 * A channel consumer: SQS batch in, `{ batchItemFailures }` out, each record on its own. Records run
 * concurrently, except that records about the same alert (the same Slack thread key) or the same group
 * keep the batch's order. Transient failures back off (visibility extended with jitter) and return the
 * record as failed; permanent ones go to the DLQ with their reason and are acknowledged, so a poison
 * message never blocks the queue and no retries are spent on it. A record on its last receive before
 * the queue's redrive policy would move it goes to the DLQ by this code instead, with its reason.
 */
export function createChannelHandler(deps: () => Promise<ChannelDeps>) {
  let ready: Promise<ChannelDeps> | undefined;
  return async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
    ready ??= deps();
    const d = await ready.catch((error) => {
      ready = undefined; // let the next invocation try again (a missing secret may be set meanwhile)
      throw error;
    });
    const processor = new BatchProcessor(EventType.SQS); // it keeps the batch's records: one per invocation
    const reads = new Map<string, ReadRecord | null>();
    for (const record of event.Records) {
      try {
        reads.set(record.messageId, readRecord(record, d));
      } catch (error) {
        reads.set(record.messageId, null);
        d.logger.error({ sqsMessageId: record.messageId, err: error }, 'could not read the record');
      }
    }
    // One read for the batch's repeat marks and thread timestamps; without it each alert reads its own.
    const marks = await BatchMarks.read(
      d.stores,
      [...reads.values()].filter((r): r is ReadRecord => r !== null),
    ).catch((error: Error) => {
      d.logger.warn({ err: error }, "could not read the batch's marks; reading them per alert");
      return null;
    });
    const batch = batchContext(d, marks);
    const lanes = new Map<string, Promise<unknown>>();
    const maxReceives = spec.consumers[d.channel].maxReceiveCount;

    const handleRecord = async (record: SQSRecord, read: ReadRecord | null) => {
      const receiveCount = Number(record.attributes?.ApproximateReceiveCount ?? 1) || 1;
      let outcome: RecordOutcome;
      try {
        outcome = await processRecord(record, d, batch, read ?? undefined);
      } catch (error) {
        outcome = unexpectedOutcome(error);
        d.logger.error(
          {
            sqsMessageId: record.messageId,
            receiveCount,
            err: error,
            outcome: outcome.status === 'dead' ? 'dead-letter' : 'retry',
          },
          'record failed unexpectedly',
        );
      }
      if (outcome.status === 'retry' && receiveCount >= maxReceives) {
        outcome = {
          status: 'dead',
          reason: `still failing after ${receiveCount} receives: ${outcome.reason}`,
          failure: 'exhausted',
        };
      }
      if (outcome.status === 'retry') {
        await d.queue
          .backoff(record, backoffMs(receiveCount, outcome.retryAfterMs))
          .catch((e: Error) => d.logger.warn({ err: e }, 'could not extend visibility'));
        throw new RetryLater(outcome.reason);
      }
      if (outcome.status === 'dead') {
        if (!(await d.stores.deliveries.claimDeadLetter(d.channel, record.messageId))) {
          d.logger.info({ sqsMessageId: record.messageId, outcome: 'already-dead-lettered' }, 'record outcome');
          return;
        }
        try {
          await d.queue.deadLetter(record, {
            reason: outcome.reason,
            receiver: outcome.receiver,
            failure: outcome.failure,
          });
        } catch (error) {
          // Not parked, so not acknowledged: the retry parks it (or the queue's own redrive policy does).
          await d.stores.deliveries.releaseDeadLetter(d.channel, record.messageId).catch(() => undefined);
          d.logger.error({ sqsMessageId: record.messageId, err: error }, 'could not dead-letter the record');
          throw error;
        }
        d.metrics?.count('DeadLettered');
        d.logger.warn(
          { sqsMessageId: record.messageId, reason: outcome.reason, outcome: 'dead-lettered' },
          'record dead-lettered',
        );
      }
    };

    // Powertools calls this for every record at once (processInParallel), in the batch's order.
    const recordHandler = (record: SQSRecord) => {
      const read = reads.get(record.messageId) ?? null;
      const lane = read?.lane ?? `record:${record.messageId}`;
      const run = (lanes.get(lane) ?? Promise.resolve()).then(() => handleRecord(record, read));
      lanes.set(
        lane,
        run.catch(() => undefined),
      );
      return run;
    };
    try {
      return await processPartialResponse(event, recordHandler, processor, {
        context: context as Context,
        processInParallel: true,
        throwOnFullBatchFailure: false,
      });
    } finally {
      d.metrics?.flush();
    }
  };
}

/**
 * An exception no step turned into an outcome (a bug, or an AWS call that failed): AWS client
 * errors no retry can fix (a ValidationException, say) go to the DLQ at once with their reason; the
 * rest are retried, and dead-lettered with their reason on the last receive.
 */
function unexpectedOutcome(error: unknown): RecordOutcome {
  const e = error as { name?: string; message?: string; $metadata?: unknown };
  const reason = `unexpected ${e?.name ?? 'error'}: ${String(e?.message ?? error).slice(0, 500)}`;
  if (e && typeof e === 'object' && '$metadata' in e && classifyAwsError(error) === 'permanent')
    return { status: 'dead', reason, failure: 'permanent' };
  return { status: 'retry', reason };
}
