import { epochSeconds, N, num, S, str, type Item } from './items.ts';
import type {
  BatchMarkValues,
  DeliveryClaim,
  DeliveryLedger,
  DeliveryRecord,
  RepeatMark,
  ThreadMark,
} from './roles.ts';
import { boundedKey, DAY, DELIVERY_RETENTION_MS, KEYS, repeatItem, threadItem, uniqueBy } from './stored.ts';
import type { LedgerTable } from './table.ts';

const STATUSES = ['delivered', 'failed', 'suppressed', 'buffered', 'sending'] as const;

/**
 * The delivery ledger in the table: one item per (event, destination) under `DELIVERY#<event id>`,
 * ids and outcomes only, never whole events; dead-letter claims under `DEADLETTER#<queue>`.
 */
export class DynamoDeliveryLedger implements DeliveryLedger {
  constructor(
    readonly table: LedgerTable,
    private readonly retentionMs: number = DELIVERY_RETENTION_MS,
  ) {}

  async getDelivery(eventId: string, target: string): Promise<DeliveryRecord | null> {
    const item = await this.table.get(KEYS.delivery(eventId), target);
    return item ? toDelivery(item) : null;
  }

  /**
   * One conditional write (SQS delivers a message twice now and then, and again when a visibility
   * timeout runs out); on a lost race, one read says whether it was delivered or is being sent.
   */
  async claimDelivery(eventId: string, target: string, leaseMs: number, attempts: number): Promise<DeliveryClaim> {
    const now = this.table.now();
    // The item it replaces comes back in the same request: an expired 'sending' claim means a send with no known result.
    const replaced = await this.table.putIfReplacing(
      {
        ...this.base(eventId, target, now),
        status: S('sending'),
        leaseUntil: N(now + leaseMs),
        attempts: N(attempts),
      },
      {
        ConditionExpression:
          'attribute_not_exists(pk) OR (#s <> :delivered AND (#s <> :sending OR leaseUntil <= :now))',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':delivered': S('delivered'), ':sending': S('sending'), ':now': N(now) },
      },
    );
    if (replaced)
      return str(replaced, 'status') === 'sending' ? { status: 'claimed', unfinished: true } : { status: 'claimed' };
    const item = await this.table.get(KEYS.delivery(eventId), target);
    if (str(item, 'status') === 'delivered') return { status: 'delivered' };
    return { status: 'held', untilMs: num(item, 'leaseUntil') ?? now + 1000 };
  }

  /** One BatchWriteItem (retried for what DynamoDB leaves unprocessed) for the deliveries, marks and threads. */
  async recordSent(
    eventIds: string[],
    target: string,
    ref: string | null,
    attempts: number,
    repeats: RepeatMark[],
    threads: ThreadMark[] = [],
  ): Promise<void> {
    const now = this.table.now();
    await this.table.batchPut([
      ...eventIds.map((id) => this.delivered(id, target, ref, attempts, now)),
      ...uniqueBy(repeats, (r) => r.repeatKey).map((r) => repeatItem(target, r)),
      ...uniqueBy(threads, (t) => t.key).map((t) => threadItem(target, t, now)),
    ]);
  }

  async recordDelivered(eventId: string, target: string, ref: string | null, attempts = 1): Promise<void> {
    await this.table.put(this.delivered(eventId, target, ref, attempts, this.table.now()));
  }

  async recordFailed(eventId: string, target: string, reason: string, attempts: number): Promise<void> {
    await this.recordUnlessDelivered(eventId, target, 'failed', reason, attempts);
  }

  async recordDecision(
    eventId: string,
    target: string,
    status: 'suppressed' | 'buffered',
    reason: string,
  ): Promise<void> {
    await this.recordUnlessDelivered(eventId, target, status, reason, 0);
  }

  async deliveriesOf(eventId: string): Promise<DeliveryRecord[]> {
    const items = await this.table.query({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': S(KEYS.delivery(eventId)) },
    });
    return items.map(toDelivery);
  }

  async allDeliveries(): Promise<DeliveryRecord[]> {
    return (await this.table.scanPrefix(KEYS.delivery(''))).map(toDelivery);
  }

  /** One BatchGetItem (100 keys a request, strongly consistent) for the whole batch. */
  async readMarks(
    repeats: Array<{ target: string; repeatKey: string }>,
    threads: Array<{ target: string; key: string }>,
  ): Promise<BatchMarkValues> {
    const out: BatchMarkValues = { lastSent: new Map(), threads: new Map() };
    const wanted = new Map<string, { pk: string; sk: string; repeat: boolean; key: string }>();
    for (const r of repeats) {
      const key = `${r.target}|${r.repeatKey}`;
      const [pk, sk] = [KEYS.repeat(r.target), boundedKey(r.repeatKey)];
      out.lastSent.set(key, null);
      wanted.set(`${pk}\u0000${sk}`, { pk, sk, repeat: true, key });
    }
    for (const t of threads) {
      const key = `${t.target}|${t.key}`;
      const [pk, sk] = [KEYS.thread(t.target), boundedKey(t.key)];
      out.threads.set(key, null);
      wanted.set(`${pk}\u0000${sk}`, { pk, sk, repeat: false, key });
    }
    const items = await this.table.batchGet([...wanted.values()].map(({ pk, sk }) => ({ pk: S(pk), sk: S(sk) })));
    for (const item of items) {
      const found = wanted.get(`${str(item, 'pk')}\u0000${str(item, 'sk')}`);
      if (!found) continue;
      if (found.repeat) out.lastSent.set(found.key, num(item, 'at'));
      else out.threads.set(found.key, str(item, 'ts'));
    }
    return out;
  }

  async claimDeadLetter(queue: string, sqsMessageId: string): Promise<boolean> {
    return this.table.claim(KEYS.deadLetter(queue), sqsMessageId, 14 * DAY);
  }

  async releaseDeadLetter(queue: string, sqsMessageId: string): Promise<void> {
    await this.table.delete(KEYS.deadLetter(queue), sqsMessageId);
  }

  private base(eventId: string, target: string, now: number): Item {
    return {
      pk: S(KEYS.delivery(eventId)),
      sk: S(target),
      at: N(now),
      expiresAt: N(epochSeconds(now + this.retentionMs)),
    };
  }

  private delivered(eventId: string, target: string, ref: string | null, attempts: number, now: number): Item {
    return { ...this.base(eventId, target, now), status: S('delivered'), ref: S(ref ?? ''), attempts: N(attempts) };
  }

  private async recordUnlessDelivered(
    eventId: string,
    target: string,
    status: string,
    reason: string,
    attempts: number,
  ): Promise<void> {
    await this.table.putIf(
      { ...this.base(eventId, target, this.table.now()), status: S(status), reason: S(reason), attempts: N(attempts) },
      {
        ConditionExpression: 'attribute_not_exists(pk) OR #s <> :delivered',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':delivered': S('delivered') },
      },
    );
  }
}

function toDelivery(item: Item): DeliveryRecord {
  return {
    eventId: (str(item, 'pk') ?? '').slice(KEYS.delivery('').length),
    target: str(item, 'sk') ?? '',
    status: STATUSES.find((s) => s === str(item, 'status')) ?? 'failed',
    ref: str(item, 'ref') || null,
    at: num(item, 'at') ?? 0,
    attempts: num(item, 'attempts') ?? 0,
    reason: str(item, 'reason'),
  };
}
