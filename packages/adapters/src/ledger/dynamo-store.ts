import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type AttributeValue,
  type QueryCommandInput,
} from '@aws-sdk/client-dynamodb';
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { SilenceSchema, type GroupState, type NoiseStore, type Silence, type SpendEvent } from '@spend-alerts/core';
import { epochSeconds, expired, isConditionFailure, N, num, S, str, type Item } from './items.ts';

const DAY = 86_400_000;
/** Group members and digest entries keep the original text up to this size, so items stay far below 400 KB. */
const MAX_STORED_RAW = 64 * 1024;
const MAX_STORED_EVENT = 300 * 1024;
const MAX_STORED_STRING = 16 * 1024;
/** Well under DynamoDB's 1,024 bytes, leaving room for the prefixes the store adds. */
const MAX_SORT_KEY = 700;
/** How long a Slack thread is remembered for replies. */
const THREAD_RETENTION_MS = 100 * DAY;

/** What the ledger knows of one (event, receiver, destination). */
export interface DeliveryRecord {
  eventId: string;
  /** `<receiver>#<destination>` */
  target: string;
  /**
   * delivered; failed (its last attempt); suppressed by noise control; buffered for a digest;
   * sending: claimed by a consumer that is sending it now (until `leaseUntil`).
   */
  status: 'delivered' | 'failed' | 'suppressed' | 'buffered' | 'sending';
  ref: string | null;
  at: number;
  attempts: number;
  reason: string | null;
}

/** What claiming a delivery found: this consumer may send; it was delivered already; or another consumer is sending it until `untilMs`. */
export type DeliveryClaim = { status: 'claimed' } | { status: 'delivered' } | { status: 'held'; untilMs: number };

/** A repeat mark to write with a delivery (see `NoiseStore.markSent`). */
export interface RepeatMark {
  repeatKey: string;
  at: number;
  expiresAt: number;
}

export interface DynamoStoreOptions {
  client?: DynamoDBClient;
  tableName: string;
  /** The clock, for expiry checks on read. */
  now?: () => number;
  /** How long delivery records are kept. */
  deliveryRetentionMs?: number;
}

/**
 * Everything the pipeline remembers, in one DynamoDB table keyed `pk`/`sk`: the delivery ledger
 * (ids and outcomes, never whole events), noise-control state (repeat marks, groups and their
 * members, silences), the digest buffer, Slack thread timestamps, and the enrichment cache.
 * Each operation is one conditional single-item write or one query: the local stand-in has no
 * transactions. Items carry `expiresAt` for TTL and are also checked on read.
 */
export class DynamoStore implements NoiseStore {
  readonly client: DynamoDBClient;
  readonly table: string;
  private readonly now: () => number;
  private readonly retention: number;

  constructor(options: DynamoStoreOptions) {
    this.client = options.client ?? new DynamoDBClient({});
    this.table = options.tableName;
    this.now = options.now ?? Date.now;
    this.retention = options.deliveryRetentionMs ?? 90 * DAY;
  }

  // ---- the delivery ledger -------------------------------------------------------------

  async getDelivery(eventId: string, target: string): Promise<DeliveryRecord | null> {
    const item = await this.get(`DELIVERY#${eventId}`, target);
    return item ? toDelivery(item) : null;
  }

  /**
   * Claims one (event, destination) before it is sent, so that two consumers holding the same record
   * (SQS delivers a message twice now and then, and again when a visibility timeout runs out) do not
   * both send it. One conditional write: it succeeds unless the delivery is recorded as done or another
   * consumer's claim is still live. A claim whose holder died expires after `leaseMs`; `recordDelivered`
   * and `recordFailed` replace it.
   */
  async claimDelivery(eventId: string, target: string, leaseMs: number, attempts: number): Promise<DeliveryClaim> {
    const now = this.now();
    try {
      await this.put(
        {
          pk: S(`DELIVERY#${eventId}`),
          sk: S(target),
          status: S('sending'),
          at: N(now),
          leaseUntil: N(now + leaseMs),
          attempts: N(attempts),
          expiresAt: N(epochSeconds(now + this.retention)),
        },
        {
          ConditionExpression:
            'attribute_not_exists(pk) OR (#s <> :delivered AND (#s <> :sending OR leaseUntil <= :now))',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':delivered': S('delivered'), ':sending': S('sending'), ':now': N(now) },
        },
      );
      return { status: 'claimed' };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    const item = await this.get(`DELIVERY#${eventId}`, target);
    if (str(item, 'status') === 'delivered') return { status: 'delivered' };
    return { status: 'held', untilMs: num(item, 'leaseUntil') ?? now + 1000 };
  }

  /**
   * Records deliveries, their repeat marks and the Slack threads they started in one request (BatchWriteItem, retried for what DynamoDB
   * leaves unprocessed): the write that follows a send, kept to one round trip to keep the window
   * between the two short.
   */
  async recordSent(
    eventIds: string[],
    target: string,
    ref: string | null,
    attempts: number,
    repeats: RepeatMark[],
    threads: Array<{ key: string; ts: string }> = [],
  ): Promise<void> {
    const now = this.now();
    const items: Item[] = [
      ...eventIds.map((id) => ({
        pk: S(`DELIVERY#${id}`),
        sk: S(target),
        status: S('delivered'),
        ref: S(ref ?? ''),
        at: N(now),
        attempts: N(attempts),
        expiresAt: N(epochSeconds(now + this.retention)),
      })),
      ...uniqueBy(repeats, (r) => r.repeatKey).map((r) => ({
        pk: S(`REPEAT#${target}`),
        sk: S(boundedKey(r.repeatKey)),
        at: N(r.at),
        expiresAt: N(epochSeconds(r.expiresAt)),
      })),
      ...uniqueBy(threads, (t) => t.key).map((t) => ({
        pk: S(`THREAD#${target}`),
        sk: S(boundedKey(t.key)),
        ts: S(t.ts),
        expiresAt: N(epochSeconds(now + THREAD_RETENTION_MS)),
      })),
    ];
    await this.batchPut(items);
  }

  /** Records a successful delivery. Written right after the destination accepted it: the only duplicate window. */
  async recordDelivered(eventId: string, target: string, ref: string | null, attempts = 1): Promise<void> {
    const now = this.now();
    await this.put({
      pk: S(`DELIVERY#${eventId}`),
      sk: S(target),
      status: S('delivered'),
      ref: S(ref ?? ''),
      at: N(now),
      attempts: N(attempts),
      expiresAt: N(epochSeconds(now + this.retention)),
    });
  }

  /** Records a failure, unless the delivery already succeeded (a late failure never overwrites a success). */
  async recordFailed(eventId: string, target: string, reason: string, attempts: number): Promise<void> {
    await this.recordUnlessDelivered(eventId, target, 'failed', reason, attempts);
  }

  /** Records that noise control held an event back (repeat, silence, mute window…) or buffered it for a digest. */
  async recordDecision(
    eventId: string,
    target: string,
    status: 'suppressed' | 'buffered',
    reason: string,
  ): Promise<void> {
    await this.recordUnlessDelivered(eventId, target, status, reason, 0);
  }

  /** Every ledger entry: for the local run's summary and the dashboard (a scan; never used on the hot path). */
  async allDeliveries(): Promise<DeliveryRecord[]> {
    const { ScanCommand } = await import('@aws-sdk/client-dynamodb');
    const out: DeliveryRecord[] = [];
    let start: Item | undefined;
    do {
      const page = await this.client.send(
        new ScanCommand({
          TableName: this.table,
          FilterExpression: 'begins_with(pk, :p)',
          ExpressionAttributeValues: { ':p': S('DELIVERY#') },
          ExclusiveStartKey: start,
        }),
      );
      out.push(...(page.Items ?? []).map(toDelivery));
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  }

  private async recordUnlessDelivered(
    eventId: string,
    target: string,
    status: string,
    reason: string,
    attempts: number,
  ): Promise<void> {
    const now = this.now();
    try {
      await this.put(
        {
          pk: S(`DELIVERY#${eventId}`),
          sk: S(target),
          status: S(status),
          reason: S(reason),
          at: N(now),
          attempts: N(attempts),
          expiresAt: N(epochSeconds(now + this.retention)),
        },
        {
          ConditionExpression: 'attribute_not_exists(pk) OR #s <> :delivered',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':delivered': S('delivered') },
        },
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async deliveriesOf(eventId: string): Promise<DeliveryRecord[]> {
    return (
      await this.query({
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': S(`DELIVERY#${eventId}`) },
      })
    ).map(toDelivery);
  }

  /**
   * Claims the parking of one SQS message in the DLQ: a message delivered twice is parked once.
   * False when it was parked already.
   */
  async claimDeadLetter(queue: string, sqsMessageId: string): Promise<boolean> {
    return this.claim(`DEADLETTER#${queue}`, sqsMessageId, 14 * DAY);
  }

  /** Gives the claim back when parking failed, so the retry parks the message. */
  async releaseDeadLetter(queue: string, sqsMessageId: string): Promise<void> {
    await this.delete(`DEADLETTER#${queue}`, sqsMessageId);
  }

  // ---- NoiseStore ------------------------------------------------------------------------

  async wasDelivered(target: string, eventId: string): Promise<boolean> {
    return (await this.getDelivery(eventId, target))?.status === 'delivered';
  }

  async markDelivered(target: string, eventId: string): Promise<void> {
    if (!(await this.wasDelivered(target, eventId))) await this.recordDelivered(eventId, target, null);
  }

  async lastSent(target: string, repeatKey: string): Promise<number | null> {
    return num(await this.get(`REPEAT#${target}`, boundedKey(repeatKey)), 'at');
  }

  async markSent(target: string, repeatKey: string, at: number, expiresAt: number): Promise<void> {
    await this.put({
      pk: S(`REPEAT#${target}`),
      sk: S(boundedKey(repeatKey)),
      at: N(at),
      expiresAt: N(epochSeconds(expiresAt)),
    });
  }

  async getGroup(id: string): Promise<GroupState | null> {
    const item = await this.get('GROUPS', boundedKey(id));
    return item ? toGroup(item) : null;
  }

  async putGroupIf(group: GroupState, expected: number | null | 'absent'): Promise<boolean> {
    const item: Item = {
      pk: S('GROUPS'),
      sk: S(boundedKey(group.id)),
      receiver: S(group.receiver),
      route: S(group.route),
      routePath: S(group.routePath),
      groupKey: S(group.groupKey),
      groupInterval: N(group.groupInterval),
      expiresAt: N(epochSeconds(this.now() + 30 * DAY)),
    };
    if (group.flushAt !== null) item.flushAt = N(group.flushAt);
    if (group.lastSentAt !== null) item.lastSentAt = N(group.lastSentAt);
    const condition =
      expected === 'absent'
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : expected === null
          ? { ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(flushAt)' }
          : { ConditionExpression: 'flushAt = :expected', ExpressionAttributeValues: { ':expected': N(expected) } };
    try {
      await this.put(item, condition);
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async addMember(groupId: string, event: SpendEvent): Promise<void> {
    try {
      await this.put(
        {
          pk: S(`GROUP#${boundedKey(groupId)}`),
          sk: S(`MEMBER#${event.occurredAt}#${event.id}`),
          eventId: S(event.id),
          event: packEvent(event),
          expiresAt: N(epochSeconds(this.now() + 30 * DAY)),
        },
        { ConditionExpression: 'attribute_not_exists(pk)' },
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error; // already a member: adding twice keeps one
    }
  }

  async members(groupId: string): Promise<SpendEvent[]> {
    const items = await this.query({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': S(`GROUP#${boundedKey(groupId)}`) },
    });
    return items.map((i) => unpackEvent(i));
  }

  async removeMembers(groupId: string, eventIds: string[]): Promise<void> {
    const ids = new Set(eventIds);
    const items = await this.query({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': S(`GROUP#${boundedKey(groupId)}`) },
    });
    for (const item of items) {
      if (ids.has(str(item, 'eventId') ?? '')) await this.delete(`GROUP#${boundedKey(groupId)}`, str(item, 'sk')!);
    }
  }

  async dueGroups(now: number): Promise<GroupState[]> {
    const items = await this.query({
      KeyConditionExpression: 'pk = :pk',
      FilterExpression: 'flushAt <= :now',
      ExpressionAttributeValues: { ':pk': S('GROUPS'), ':now': N(now) },
    });
    return items.map(toGroup);
  }

  async addToDigest(receiver: string, event: SpendEvent, receivedAt: number): Promise<void> {
    // Keyed by the time the pipeline received it: a digest period covers the alerts received in it.
    // A redelivered event keeps its first entry: a marker per event (kept as long as the entries)
    // says it is buffered, written after the entry, so a crash between the two leaves at worst a
    // second entry (the digest keeps one) and never none. One write each, no read of the buffer.
    const key = `${new Date(receivedAt).toISOString()}#${event.id}`;
    const expiresAt = N(epochSeconds(this.now() + 45 * DAY));
    await this.put({
      pk: S(`DIGEST#${receiver}`),
      sk: S(key),
      eventId: S(event.id),
      event: packEvent(event),
      expiresAt,
    });
    try {
      await this.put(
        { pk: S(`DIGESTED#${receiver}`), sk: S(boundedKey(event.id)), entry: S(key), expiresAt },
        {
          ConditionExpression: 'attribute_not_exists(pk) OR entry = :entry',
          ExpressionAttributeValues: { ':entry': S(key) },
        },
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      await this.delete(`DIGEST#${receiver}`, key); // buffered before (or already sent): keep that one
    }
  }

  /** The digest buffer of a receiver: events received in [from, to), oldest first. */
  async digestEvents(receiver: string, fromIso: string, toIso: string): Promise<SpendEvent[]> {
    const items = await this.query({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': S(`DIGEST#${receiver}`), ':from': S(fromIso), ':to': S(`${toIso}`) },
    });
    return items.filter((i) => (str(i, 'sk') ?? '') < toIso).map((i) => unpackEvent(i));
  }

  /** Claims the sending of one digest period; false when it was already claimed (sent or being sent). */
  async claimDigest(receiver: string, periodKey: string, leaseMs: number): Promise<boolean> {
    return this.claim(`DIGESTSENT#${receiver}`, periodKey, leaseMs);
  }

  async markDigestSent(receiver: string, periodKey: string, ref: string | null): Promise<void> {
    await this.put({
      pk: S(`DIGESTSENT#${receiver}`),
      sk: S(periodKey),
      status: S('sent'),
      ref: S(ref ?? ''),
      at: N(this.now()),
      expiresAt: N(epochSeconds(this.now() + 400 * DAY)),
    });
  }

  /**
   * Closes a claimed period without a message: `empty` when there was nothing to say and the
   * receiver wants no all-quiet line, `failed` when delivery failed for good (with its reason).
   * Either way the period is not tried again; a failed period's alerts stay buffered for the next.
   */
  async recordDigestOutcome(
    receiver: string,
    periodKey: string,
    status: 'empty' | 'failed',
    reason: string,
  ): Promise<void> {
    await this.put({
      pk: S(`DIGESTSENT#${receiver}`),
      sk: S(periodKey),
      status: S(status),
      reason: S(reason),
      at: N(this.now()),
      expiresAt: N(epochSeconds(this.now() + 400 * DAY)),
    });
  }

  /** Gives back a claim after a transient failure, so the next run sends the period. A closed period stays closed. */
  async releaseDigest(receiver: string, periodKey: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteItemCommand({
          TableName: this.table,
          Key: { pk: S(`DIGESTSENT#${receiver}`), sk: S(periodKey) },
          ConditionExpression: '#s = :claimed',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':claimed': S('claimed') },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  /** What the ledger holds for one digest period: claimed (being sent), sent, empty or failed. */
  async digestRecord(
    receiver: string,
    periodKey: string,
  ): Promise<{ status: string; ref: string | null; reason: string | null; at: number } | null> {
    const item = await this.get(`DIGESTSENT#${receiver}`, periodKey);
    return item
      ? {
          status: str(item, 'status') ?? '',
          ref: str(item, 'ref') || null,
          reason: str(item, 'reason'),
          at: num(item, 'at') ?? 0,
        }
      : null;
  }

  /**
   * The digest buffer of a receiver up to `toIso` (exclusive, by received time), from its oldest
   * entry, with each entry's key for {@link removeDigestEvents}. Late arrivals from earlier periods
   * are in it on purpose: they go out in the next digest instead of never.
   */
  async digestBuffer(
    receiver: string,
    toIso: string,
  ): Promise<Array<{ key: string; receivedAt: string; event: SpendEvent }>> {
    const items = await this.query({
      KeyConditionExpression: 'pk = :pk AND sk < :to',
      ExpressionAttributeValues: { ':pk': S(`DIGEST#${receiver}`), ':to': S(toIso) },
    });
    return items.map((i) => {
      const key = str(i, 'sk') ?? '';
      return {
        key,
        receivedAt: key.slice(0, key.indexOf('#')),
        event: unpackEvent(i),
      };
    });
  }

  /** Removes sent entries from the digest buffer (keys from {@link digestBuffer}). */
  async removeDigestEvents(receiver: string, keys: string[]): Promise<void> {
    for (const key of keys) await this.delete(`DIGEST#${receiver}`, key);
  }

  async listSilences(): Promise<Silence[]> {
    const items = await this.query({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': S('SILENCES') },
    });
    return items.flatMap((i) => {
      const parsed = SilenceSchema.safeParse(JSON.parse(str(i, 'silence') ?? 'null'));
      return parsed.success ? [parsed.data] : [];
    });
  }

  async putSilence(silence: Silence): Promise<void> {
    await this.put({
      pk: S('SILENCES'),
      sk: S(silence.id),
      silence: S(JSON.stringify(silence)),
      expiresAt: N(epochSeconds(Date.parse(silence.endsAt) + 30 * DAY)),
    });
  }

  /**
   * Repeat marks and Slack thread timestamps for a batch of records, read together (BatchGetItem, 100
   * keys a request, strongly consistent): what `lastSent` and `getThread` would answer, keyed
   * `<target>|<key>`, null where there is none.
   */
  async readMarks(
    repeats: Array<{ target: string; repeatKey: string }>,
    threads: Array<{ target: string; key: string }>,
  ): Promise<{ lastSent: Map<string, number | null>; threads: Map<string, string | null> }> {
    const out = { lastSent: new Map<string, number | null>(), threads: new Map<string, string | null>() };
    const wanted = new Map<string, { pk: string; sk: string; repeat: boolean; key: string }>();
    for (const r of repeats) {
      const key = `${r.target}|${r.repeatKey}`;
      const [pk, sk] = [`REPEAT#${r.target}`, boundedKey(r.repeatKey)];
      out.lastSent.set(key, null);
      wanted.set(`${pk}\u0000${sk}`, { pk, sk, repeat: true, key });
    }
    for (const t of threads) {
      const key = `${t.target}|${t.key}`;
      const [pk, sk] = [`THREAD#${t.target}`, boundedKey(t.key)];
      out.threads.set(key, null);
      wanted.set(`${pk}\u0000${sk}`, { pk, sk, repeat: false, key });
    }
    for (const item of await this.batchGet([...wanted.values()].map(({ pk, sk }) => ({ pk: S(pk), sk: S(sk) })))) {
      const found = wanted.get(`${str(item, 'pk')}\u0000${str(item, 'sk')}`);
      if (!found || expired(item, this.now())) continue;
      if (found.repeat) out.lastSent.set(found.key, num(item, 'at'));
      else out.threads.set(found.key, str(item, 'ts'));
    }
    return out;
  }

  // ---- Slack threads ---------------------------------------------------------------------

  async getThread(target: string, key: string): Promise<string | null> {
    return str(await this.get(`THREAD#${target}`, boundedKey(key)), 'ts');
  }

  /** Keeps the first thread for a key: a concurrent second writer gets the existing ts back. */
  async putThread(target: string, key: string, ts: string): Promise<string> {
    try {
      await this.put(
        {
          pk: S(`THREAD#${target}`),
          sk: S(boundedKey(key)),
          ts: S(ts),
          expiresAt: N(epochSeconds(this.now() + THREAD_RETENTION_MS)),
        },
        { ConditionExpression: 'attribute_not_exists(pk)' },
      );
      return ts;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return (await this.getThread(target, key)) ?? ts;
    }
  }

  // ---- cache and leases --------------------------------------------------------------------

  async getCached<T>(key: string): Promise<T | null> {
    const item = await this.get(`CACHE#${boundedKey(key)}`, '-');
    const value = str(item, 'value');
    return value === null ? null : (JSON.parse(value) as T);
  }

  async putCached(key: string, value: unknown, ttlMs: number): Promise<void> {
    await this.put({
      pk: S(`CACHE#${boundedKey(key)}`),
      sk: S('-'),
      value: S(JSON.stringify(value)),
      expiresAt: N(epochSeconds(this.now() + ttlMs)),
    });
  }

  /** Takes a lease on a key for `ttlMs` unless someone holds an unexpired one. */
  async acquireLease(key: string, ttlMs: number): Promise<boolean> {
    return this.claim(`LEASE#${boundedKey(key)}`, '-', ttlMs);
  }

  async releaseLease(key: string): Promise<void> {
    await this.delete(`LEASE#${boundedKey(key)}`, '-');
  }

  // ---- plumbing ------------------------------------------------------------------------------

  private async claim(pk: string, sk: string, ttlMs: number): Promise<boolean> {
    const now = this.now();
    try {
      await this.put(
        { pk: S(pk), sk: S(sk), status: S('claimed'), at: N(now), expiresAt: N(epochSeconds(now + ttlMs)) },
        // An expired claim (its holder died) may be taken over; TTL may not have deleted it yet.
        {
          ConditionExpression: 'attribute_not_exists(pk) OR (#s = :claimed AND expiresAt <= :now)',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':claimed': S('claimed'), ':now': N(epochSeconds(now)) },
        },
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  private async get(pk: string, sk: string): Promise<Item | undefined> {
    const { Item } = await this.client.send(
      new GetItemCommand({ TableName: this.table, Key: { pk: S(pk), sk: S(sk) }, ConsistentRead: true }),
    );
    return Item && !expired(Item, this.now()) ? Item : undefined;
  }

  private async put(
    item: Item,
    condition: Partial<{
      ConditionExpression: string;
      ExpressionAttributeNames: Record<string, string>;
      ExpressionAttributeValues: Item;
    }> = {},
  ) {
    await this.client.send(new PutItemCommand({ TableName: this.table, Item: item, ...condition }));
  }

  /** Strongly consistent reads of many keys, 100 per request; unprocessed keys are asked again with a short backoff. */
  private async batchGet(keys: Item[]): Promise<Item[]> {
    const out: Item[] = [];
    for (let i = 0; i < keys.length; i += 100) {
      await untilProcessed('BatchGetItem', keys.slice(i, i + 100), async (pending) => {
        const page = await this.client.send(
          new BatchGetItemCommand({ RequestItems: { [this.table]: { Keys: pending, ConsistentRead: true } } }),
        );
        out.push(...(page.Responses?.[this.table] ?? []));
        return page.UnprocessedKeys?.[this.table]?.Keys ?? [];
      });
    }
    return out;
  }

  /** Unconditional puts, 25 per request (BatchWriteItem's limit); unprocessed items are sent again with a short backoff. */
  private async batchPut(items: Item[]): Promise<void> {
    for (let i = 0; i < items.length; i += 25) {
      await untilProcessed('BatchWriteItem', items.slice(i, i + 25), async (pending) => {
        const out = await this.client.send(
          new BatchWriteItemCommand({
            RequestItems: { [this.table]: pending.map((Item) => ({ PutRequest: { Item } })) },
          }),
        );
        return (out.UnprocessedItems?.[this.table] ?? []).flatMap((r) =>
          r.PutRequest?.Item ? [r.PutRequest.Item] : [],
        );
      });
    }
  }

  private async delete(pk: string, sk: string) {
    await this.client.send(new DeleteItemCommand({ TableName: this.table, Key: { pk: S(pk), sk: S(sk) } }));
  }

  private async query(input: Omit<QueryCommandInput, 'TableName'>): Promise<Item[]> {
    const out: Item[] = [];
    let start: Item | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({ TableName: this.table, ConsistentRead: true, ...input, ExclusiveStartKey: start }),
      );
      out.push(...(page.Items ?? []).filter((i) => !expired(i, this.now())));
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  }
}

function toDelivery(item: Item): DeliveryRecord {
  return {
    eventId: (str(item, 'pk') ?? '').replace(/^DELIVERY#/, ''),
    target: str(item, 'sk') ?? '',
    status:
      (['delivered', 'failed', 'suppressed', 'buffered', 'sending'] as const).find((s) => s === str(item, 'status')) ??
      'failed',
    ref: str(item, 'ref') || null,
    at: num(item, 'at') ?? 0,
    attempts: num(item, 'attempts') ?? 0,
    reason: str(item, 'reason'),
  };
}

/** Sends a batch request, then again with what DynamoDB left unprocessed, backing off, at most 9 times. */
async function untilProcessed<T>(operation: string, first: T[], send: (pending: T[]) => Promise<T[]>): Promise<void> {
  let pending = first;
  for (let round = 0; pending.length; round++) {
    if (round > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** round)));
    if (round > 8) throw new Error(`${operation} left ${pending.length} unprocessed after ${round} rounds`);
    pending = await send(pending);
  }
}

function uniqueBy<T>(list: T[], key: (t: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const t of list) seen.set(key(t), t);
  return [...seen.values()];
}

function toGroup(item: Item): GroupState {
  return {
    id: str(item, 'sk') ?? '',
    receiver: str(item, 'receiver') ?? '',
    route: str(item, 'route') ?? '',
    routePath: str(item, 'routePath') ?? 'route',
    groupKey: str(item, 'groupKey') ?? '',
    flushAt: num(item, 'flushAt'),
    lastSentAt: num(item, 'lastSentAt'),
    groupInterval: num(item, 'groupInterval') ?? 0,
  };
}

/**
 * An event as stored for later (group members, the digest buffer): the original text cut to a bounded
 * size, and, for the rare message whose other fields are huge (a 256 KB budget name), every long
 * string cut too, so the item stays far below DynamoDB's 400 KB.
 */
function storable(event: SpendEvent): SpendEvent {
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
function packEvent(event: SpendEvent): AttributeValue {
  return { B: gzipSync(JSON.stringify(storable(event))) };
}

/** The event of a group member or digest entry (gzipped; plain JSON as written before). */
function unpackEvent(item: Item): SpendEvent {
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

/** Creates the table as the deployment does (for the local runtime and tests). */
export async function createLedgerTable(client: DynamoDBClient, tableName: string): Promise<void> {
  const { CreateTableCommand } = await import('@aws-sdk/client-dynamodb');
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  } catch (error) {
    if ((error as { name?: string }).name !== 'ResourceInUseException') throw error;
  }
}
