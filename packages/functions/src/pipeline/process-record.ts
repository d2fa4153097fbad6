import { deliveryTarget, normalize, NoiseController, routeEvent, settingsAt, unwrapSqsRecord, type GroupState, type RouteMatch } from '@spend-alerts/core';
import type { SQSRecord } from 'aws-lambda';
import { readFlush } from './control.ts';
import { isHeartbeat } from './heartbeat.ts';
import { deliverEvents, type DeliveryFailure } from './deliver.ts';
import type { ChannelDeps } from './deps.ts';

/** What became of one record: acknowledged, to be retried (with the destination's wait), or dead-lettered. */
export type RecordOutcome =
  | { status: 'done'; delivered: number }
  | { status: 'retry'; reason: string; retryAfterMs?: number }
  | { status: 'dead'; reason: string; receiver?: string; failure?: string };

/**
 * One SQS record through the pipeline: unwrap, normalize, route to this channel's receivers, noise
 * control, and only for events some receiver will see: enrich, render, deliver. A record holding a
 * scheduled group flush delivers that group. Never throws for a bad message: an unreadable one is
 * still delivered as `unrecognized`.
 */
export async function processRecord(record: SQSRecord, deps: ChannelDeps): Promise<RecordOutcome> {
  const attempt = Number(record.attributes?.ApproximateReceiveCount ?? 1) || 1;
  const noise = new NoiseController(deps.config, deps.store, deps.accounts);
  const flush = readFlush(record);
  if (flush) return flushGroup(flush.groupId, noise, deps, attempt);

  const failures: DeliveryFailure[] = [];
  let delivered = 0;
  for (const item of unwrapSqsRecord(record)) {
    if (item.type === 'control') {
      deps.logger.warn({ control: item.control, topicArn: item.context.topicArn }, 'SNS control message on the queue: not an alert');
      continue;
    }
    if (isHeartbeat(item)) {
      deps.metrics?.count('Heartbeat');
      deps.logger.info({ outcome: 'heartbeat', correlationId: item.context.messageId }, 'record outcome');
      continue;
    }
    deps.metrics?.count('Received');
    const event = normalize(item, { now: () => deps.clock.now() });
    const matches = routeEvent(event, deps.config, deps.accounts).matches.filter((m) => m.receiver.type === deps.channel);
    if (!matches.length) deps.logger.info({ eventId: event.id, correlationId: event.correlationId, kind: event.kind, outcome: 'no-receiver' }, 'record outcome');
    for (const match of matches) {
      const admission = await noise.admit(event, match, deps.clock.now());
      switch (admission.action) {
        case 'drop':
        case 'digest':
          if (!(admission.action === 'drop' && admission.reason === 'duplicate')) {
            await deps.store.recordDecision(event.id, deliveryTarget(match.receiver), admission.action === 'digest' ? 'buffered' : 'suppressed', admission.action === 'drop' ? `${admission.reason}: ${admission.detail}` : 'digest');
          }
          deps.logger.info({ eventId: event.id, correlationId: event.correlationId, kind: event.kind, receiver: match.receiver.name, outcome: admission.action === 'drop' ? admission.reason : 'digest-buffered', detail: admission.action === 'drop' ? admission.detail : undefined, attempt }, 'record outcome');
          break;
        case 'grouped':
          if (admission.scheduled) await deps.queue.scheduleFlush(admission.groupId, deps.clock.realDelayMs(admission.flushAt - deps.clock.now().getTime()));
          deps.logger.info({ eventId: event.id, correlationId: event.correlationId, kind: event.kind, receiver: match.receiver.name, outcome: 'grouped', group: admission.groupKey, attempt }, 'record outcome');
          break;
        case 'send': {
          const out = await deliverEvents(admission.events, match, admission.groupKey, deps, attempt);
          delivered += out.delivered;
          failures.push(...out.failures);
        }
      }
    }
  }
  return outcomeOf(failures, delivered);
}

async function flushGroup(groupId: string, noise: NoiseController, deps: ChannelDeps, attempt: number): Promise<RecordOutcome> {
  const group = await deps.store.getGroup(groupId);
  if (!group) return { status: 'done', delivered: 0 };
  const now = deps.clock.now();
  if (group.flushAt !== null && group.flushAt > now.getTime() + 1000) {
    // Woken early (SQS delays are capped at 15 minutes): wait again for the rest.
    await deps.queue.scheduleFlush(groupId, deps.clock.realDelayMs(group.flushAt - now.getTime()));
    return { status: 'done', delivered: 0 };
  }
  const taken = await noise.take({ ...group, flushAt: Math.min(group.flushAt ?? now.getTime(), now.getTime()) }, now.getTime());
  if (!taken) return { status: 'done', delivered: 0 };
  const match = matchFor(taken.group, deps);
  if (!match) return { status: 'dead', reason: `receiver "${taken.group.receiver}" is no longer in the configuration`, receiver: taken.group.receiver, failure: 'permanent' };
  const out = await deliverEvents(taken.events, match, taken.group.groupKey, deps, attempt);
  if (out.failures.length === 0) {
    await noise.complete(taken, deliveryTarget(match.receiver), match.settings.repeatInterval, deps.clock.now());
    const next = await deps.store.getGroup(groupId);
    if (next?.flushAt != null) await deps.queue.scheduleFlush(groupId, deps.clock.realDelayMs(next.flushAt - deps.clock.now().getTime()));
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
    return { status: 'retry', reason: transient.map((f) => `${f.receiver}: ${f.reason}`).join('; '), retryAfterMs: Math.max(0, ...transient.map((f) => f.retryAfterMs ?? 0)) || undefined };
  }
  if (failures.length) return { status: 'dead', reason: failures.map((f) => `${f.receiver}: ${f.reason}`).join('; '), receiver: failures[0]!.receiver, failure: failures[0]!.failure };
  return { status: 'done', delivered };
}
