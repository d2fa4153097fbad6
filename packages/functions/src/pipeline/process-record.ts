import { deliveryTarget, NoiseController, settingsAt, type GroupState, type RouteMatch } from '@spend-alerts/core';
import type { SQSRecord } from 'aws-lambda';
import { deliverEvents, type DeliveryFailure } from './deliver.ts';
import type { BatchMarks } from './batch-marks.ts';
import type { ChannelDeps } from './deps.ts';
import { readRecord, type ReadRecord } from './read-record.ts';
import { WATCHDOG_KEYS, WATCHDOG_RECORD_TTL_MS } from '../watchdog/run-watchdog.ts';

/** What became of one record: acknowledged, to be retried (with the destination's wait), or dead-lettered. */
export type RecordOutcome =
  | { status: 'done'; delivered: number }
  | { status: 'retry'; reason: string; retryAfterMs?: number }
  | { status: 'dead'; reason: string; receiver?: string; failure?: string };

/** State shared by the records of one batch: noise control reading the silences once, and the batch's repeat and thread marks. */
export interface BatchContext {
  noise: NoiseController;
  marks: BatchMarks | null;
}

export function batchContext(deps: ChannelDeps, marks: BatchMarks | null = null): BatchContext {
  const lastSent = marks ? (target: string, key: string) => marks.lastSent(target, key) : undefined;
  return {
    noise: new NoiseController(deps.config, deps.stores.noise, deps.accounts, {
      dedupAtDelivery: true,
      cacheSilences: true,
      lastSent,
    }),
    marks,
  };
}

/**
 * One SQS record through the pipeline: unwrap, normalize, route to this channel's receivers, noise
 * control, and only for events some receiver will see: enrich, render, deliver. A record holding a
 * scheduled group flush delivers that group. Never throws for a bad message: an unreadable one is
 * still delivered as `unrecognized`.
 */
export async function processRecord(
  record: SQSRecord,
  deps: ChannelDeps,
  batch: BatchContext = batchContext(deps),
  read: ReadRecord = readRecord(record, deps),
): Promise<RecordOutcome> {
  const attempt = Number(record.attributes?.ApproximateReceiveCount ?? 1) || 1;
  const noise = batch.noise;
  if (read.flush) return flushGroup(read.flush.groupId, batch, deps, attempt);

  const failures: DeliveryFailure[] = [];
  let delivered = 0;
  for (const item of read.items) {
    if (item.type === 'control') {
      deps.logger.warn(
        { control: item.control, topicArn: item.topicArn },
        'SNS control message on the queue: not an alert',
      );
      continue;
    }
    if (item.type === 'heartbeat') {
      deps.metrics?.count('Heartbeat');
      // What the watchdog checks: this channel's consumer saw the heartbeat published at `at`.
      if (item.at)
        await deps.stores.cache.putCached(
          WATCHDOG_KEYS.heartbeatSeen(deps.channel),
          { at: item.at },
          WATCHDOG_RECORD_TTL_MS,
        );
      deps.logger.info({ outcome: 'heartbeat', correlationId: item.messageId }, 'record outcome');
      continue;
    }
    deps.metrics?.count('Received');
    const { event, matches } = item;
    if (!matches.length)
      deps.logger.info(
        { eventId: event.id, correlationId: event.correlationId, kind: event.kind, outcome: 'no-receiver' },
        'record outcome',
      );
    for (const match of matches) {
      const admission = await noise.admit(event, match, deps.clock.now());
      switch (admission.action) {
        case 'drop':
        case 'digest':
          if (!(admission.action === 'drop' && admission.reason === 'duplicate')) {
            await deps.stores.deliveries.recordDecision(
              event.id,
              deliveryTarget(match.receiver),
              admission.action === 'digest' ? 'buffered' : 'suppressed',
              admission.action === 'drop' ? `${admission.reason}: ${admission.detail}` : 'digest',
            );
          }
          deps.logger.info(
            {
              eventId: event.id,
              correlationId: event.correlationId,
              kind: event.kind,
              receiver: match.receiver.name,
              outcome: admission.action === 'drop' ? admission.reason : 'digest-buffered',
              detail: admission.action === 'drop' ? admission.detail : undefined,
              attempt,
            },
            'record outcome',
          );
          break;
        case 'grouped':
          if (admission.scheduled)
            await deps.queue.scheduleFlush(
              admission.groupId,
              deps.clock.realDelayMs(admission.flushAt - deps.clock.now().getTime()),
            );
          deps.logger.info(
            {
              eventId: event.id,
              correlationId: event.correlationId,
              kind: event.kind,
              receiver: match.receiver.name,
              outcome: 'grouped',
              group: admission.groupKey,
              attempt,
            },
            'record outcome',
          );
          break;
        case 'send': {
          const out = await deliverEvents(admission.events, match, admission.groupKey, deps, attempt, batch.marks);
          delivered += out.delivered;
          failures.push(...out.failures);
        }
      }
    }
  }
  return outcomeOf(failures, delivered);
}

async function flushGroup(
  groupId: string,
  batch: BatchContext,
  deps: ChannelDeps,
  attempt: number,
): Promise<RecordOutcome> {
  const noise = batch.noise;
  const group = await deps.stores.noise.getGroup(groupId);
  if (!group || group.flushAt === null) return { status: 'done', delivered: 0 };
  const now = deps.clock.now().getTime();
  if (group.flushAt > now + 1000) {
    // Woken early (SQS delays are capped at 15 minutes): wait again for the rest.
    await deps.queue.scheduleFlush(groupId, deps.clock.realDelayMs(group.flushAt - now));
    return { status: 'done', delivered: 0 };
  }
  // Up to a second early counts as due (clocks of two hosts differ): take it as at its flush time.
  const taken = await noise.take(group, Math.max(now, group.flushAt));
  if (!taken) return { status: 'done', delivered: 0 };
  const match = matchFor(taken.group, deps);
  if (!match)
    return {
      status: 'dead',
      reason: `receiver "${taken.group.receiver}" is no longer in the configuration`,
      receiver: taken.group.receiver,
      failure: 'permanent',
    };
  const out = await deliverEvents(taken.events, match, taken.group.groupKey, deps, attempt, batch.marks);
  if (out.failures.length === 0) {
    await noise.release(taken, deps.clock.now());
    const next = await deps.stores.noise.getGroup(groupId);
    if (next?.flushAt != null)
      await deps.queue.scheduleFlush(groupId, deps.clock.realDelayMs(next.flushAt - deps.clock.now().getTime()));
  }
  return outcomeOf(out.failures, out.delivered);
}

/** The receiver and settings a group was formed with, re-read from the current config. */
function matchFor(group: GroupState, deps: ChannelDeps): RouteMatch | null {
  const receiver = deps.config.receivers.find((r) => r.name === group.receiver);
  if (!receiver) return null;
  const settings = settingsAt(deps.config, group.routePath) ?? settingsAt(deps.config, 'route')!;
  return { path: group.routePath, route: group.route, receiver, settings: { ...settings, receiver: receiver.name } };
}

/** Transient failures retry the record (the ledger skips what was delivered); only permanent ones left: dead-letter it. */
function outcomeOf(failures: DeliveryFailure[], delivered: number): RecordOutcome {
  const transient = failures.filter((f) => f.retryable);
  if (transient.length) {
    return {
      status: 'retry',
      reason: transient.map((f) => `${f.receiver}: ${f.reason}`).join('; '),
      retryAfterMs: Math.max(0, ...transient.map((f) => f.retryAfterMs ?? 0)) || undefined,
    };
  }
  if (failures.length)
    return {
      status: 'dead',
      reason: failures.map((f) => `${f.receiver}: ${f.reason}`).join('; '),
      receiver: failures[0]!.receiver,
      failure: failures[0]!.failure,
    };
  return { status: 'done', delivered };
}
