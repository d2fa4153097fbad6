import {
  normalize,
  routeEvent,
  threadKey,
  unwrapSqsRecord,
  type RouteMatch,
  type SpendEvent,
} from '@spend-alerts/core';
import type { SQSRecord } from 'aws-lambda';
import { readFlush, type FlushMessage } from './control.ts';
import type { ChannelDeps } from './deps.ts';
import { heartbeatTime, isHeartbeat } from './heartbeat.ts';

/** What one record holds, read without any I/O: a scheduled group flush, or alerts (and control messages). */
export interface ReadRecord {
  record: SQSRecord;
  flush: FlushMessage | null;
  items: ReadItem[];
  /**
   * Records in the same lane are handled one after another, in the batch's order (an alarm's ALARM
   * before its OK, so Slack threads and repeat marks see them in order); lanes run concurrently.
   */
  lane: string;
}

export type ReadItem =
  | { type: 'control'; control: string; topicArn: string | null }
  | { type: 'heartbeat'; messageId: string | null; at: string | null }
  /** `matches`: the receivers of this consumer's channel that routing sends the event to. */
  | { type: 'event'; event: SpendEvent; matches: RouteMatch[] };

/** Unwraps, normalizes and routes a record. Never throws for a bad message: an unreadable one is still read as `unrecognized`. */
export function readRecord(
  record: SQSRecord,
  deps: Pick<ChannelDeps, 'clock' | 'config' | 'accounts' | 'channel'>,
): ReadRecord {
  const flush = readFlush(record);
  if (flush) return { record, flush, items: [], lane: `group:${flush.groupId}` };
  const items: ReadItem[] = [];
  for (const item of unwrapSqsRecord(record)) {
    if (item.type === 'control')
      items.push({ type: 'control', control: item.control, topicArn: item.context.topicArn ?? null });
    else if (isHeartbeat(item))
      items.push({ type: 'heartbeat', messageId: item.context.messageId ?? null, at: heartbeatTime(item) });
    else {
      const event = normalize(item, { now: () => deps.clock.now() });
      items.push({
        type: 'event',
        event,
        matches: routeEvent(event, deps.config, deps.accounts).matches.filter((m) => m.receiver.type === deps.channel),
      });
    }
  }
  const first = items.find((i): i is Extract<ReadItem, { type: 'event' }> => i.type === 'event')?.event;
  const thread = first ? threadKey(first) : null;
  return { record, flush: null, items, lane: thread ? `thread:${thread}` : `record:${record.messageId}` };
}
