import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { SpendEvent } from '@spend-alerts/core';
import { epochSeconds, N, S, str, type Item } from './items.ts';
import type { RepeatMark, ThreadMark } from './roles.ts';

export const DAY = 86_400_000;
/** Group members and digest entries keep the original text up to this size, so items stay far below 400 KB. */
const MAX_STORED_RAW = 64 * 1024;
const MAX_STORED_EVENT = 300 * 1024;
const MAX_STORED_STRING = 16 * 1024;
/** Well under DynamoDB's 1,024 bytes, leaving room for the prefixes the store adds. */
const MAX_SORT_KEY = 700;
/** How long a Slack thread is remembered for replies. */
export const THREAD_RETENTION_MS = 100 * DAY;
/** How long delivery records are kept by default. */
export const DELIVERY_RETENTION_MS = 90 * DAY;

/**
 * An event as stored for later (group members, the digest buffer): the original text cut to a bounded
 * size, and, for the rare message whose other fields are huge (a 256 KB budget name), every long
 * string cut too, so the item stays far below DynamoDB's 400 KB. The in-memory stores keep the same
 * shape, so that a test on them sees what the table would give back.
 */
export function storable(event: SpendEvent): SpendEvent {
  const cut =
    event.raw.length > MAX_STORED_RAW
      ? { ...event, raw: `${event.raw.slice(0, MAX_STORED_RAW)}\n…[truncated for storage]` }
      : event;
  if (JSON.stringify(cut).length <= MAX_STORED_EVENT) return cut;
  return JSON.parse(
    JSON.stringify(cut, (_key, value: unknown) =>
      typeof value === 'string' && value.length > MAX_STORED_STRING
        ? `${value.slice(0, MAX_STORED_STRING)}…[truncated for storage]`
        : value,
    ),
  ) as SpendEvent;
}

/**
 * A stored event, gzipped: a budget notification's event is 3 to 4 KB of JSON, written once to a
 * group or a digest buffer and deleted once, each billed by the kilobyte; gzipped it is about one.
 */
export function packEvent(event: SpendEvent): AttributeValue {
  return { B: gzipSync(JSON.stringify(storable(event))) };
}

/** The event of a group member or digest entry (gzipped; plain JSON as written before). */
export function unpackEvent(item: Item): SpendEvent {
  const value = item.event;
  if (value && 'B' in value && value.B) return JSON.parse(gunzipSync(value.B).toString('utf8')) as SpendEvent;
  return JSON.parse(str(item, 'event') ?? '{}') as SpendEvent;
}

/**
 * A sort key within DynamoDB's 1,024-byte limit: keys built from message text (a budget name) are
 * hashed when long, keeping a readable prefix.
 */
export function boundedKey(key: string): string {
  if (Buffer.byteLength(key) <= MAX_SORT_KEY) return key;
  return `${key.slice(0, 200)}#sha256:${createHash('sha256').update(key).digest('hex')}`;
}

/** The last of each key. */
export function uniqueBy<T>(list: T[], key: (t: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const t of list) seen.set(key(t), t);
  return [...seen.values()];
}

/** The partition keys of each kind of record, in one place: the roles share the table. */
export const KEYS = {
  delivery: (eventId: string) => `DELIVERY#${eventId}`,
  repeat: (target: string) => `REPEAT#${target}`,
  thread: (target: string) => `THREAD#${target}`,
  deadLetter: (queue: string) => `DEADLETTER#${queue}`,
  groups: 'GROUPS',
  group: (groupId: string) => `GROUP#${boundedKey(groupId)}`,
  digest: (receiver: string) => `DIGEST#${receiver}`,
  /** One marker per buffered event, so that a redelivered one is buffered once. */
  digested: (receiver: string) => `DIGESTED#${receiver}`,
  digestSent: (receiver: string) => `DIGESTSENT#${receiver}`,
  silences: 'SILENCES',
  cache: (key: string) => `CACHE#${boundedKey(key)}`,
  lease: (key: string) => `LEASE#${boundedKey(key)}`,
} as const;

/** A repeat mark's item: written by the delivery ledger with a send, read by noise control. */
export function repeatItem(target: string, mark: RepeatMark): Item {
  return {
    pk: S(KEYS.repeat(target)),
    sk: S(boundedKey(mark.repeatKey)),
    at: N(mark.at),
    expiresAt: N(epochSeconds(mark.expiresAt)),
  };
}

/** A thread's item: written by the delivery ledger with the send that started it, or by the thread store. */
export function threadItem(target: string, thread: ThreadMark, now: number): Item {
  return {
    pk: S(KEYS.thread(target)),
    sk: S(boundedKey(thread.key)),
    ts: S(thread.ts),
    expiresAt: N(epochSeconds(now + THREAD_RETENTION_MS)),
  };
}
