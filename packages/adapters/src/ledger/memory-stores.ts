import type { GroupState, NoiseStore, Silence, SpendEvent } from '@spend-alerts/core';
import { inKeyOrder, MemoryLedgerState, stored } from './memory-state.ts';
import type {
  BatchMarkValues,
  DeliveryClaim,
  DeliveryLedger,
  DeliveryRecord,
  DigestEntry,
  DigestLedger,
  DigestRecord,
  KeyValueCache,
  LedgerStores,
  RepeatMark,
  ThreadMark,
  ThreadStore,
} from './roles.ts';
import { DAY, DELIVERY_RETENTION_MS, THREAD_RETENTION_MS } from './stored.ts';

const pair = (a: string, b: string) => `${a}\u0000${b}`;

/** The delivery ledger in memory: for unit tests and a single process. */
export class MemoryDeliveryLedger implements DeliveryLedger {
  constructor(private readonly s: MemoryLedgerState) {}

  async getDelivery(eventId: string, target: string): Promise<DeliveryRecord | null> {
    const found = this.s.live(this.s.deliveries.get(pair(eventId, target)));
    if (!found) return null;
    const { leaseUntil: _lease, ...record } = found;
    return { ...record };
  }

  async claimDelivery(eventId: string, target: string, leaseMs: number, attempts: number): Promise<DeliveryClaim> {
    const now = this.s.now();
    const current = this.s.live(this.s.deliveries.get(pair(eventId, target)));
    if (current?.status === 'delivered') return { status: 'delivered' };
    if (current?.status === 'sending' && (current.leaseUntil ?? 0) > now)
      return { status: 'held', untilMs: current.leaseUntil ?? now + 1000 };
    this.write(eventId, target, { status: 'sending', ref: null, attempts, reason: null, leaseUntil: now + leaseMs });
    return current?.status === 'sending' ? { status: 'claimed', unfinished: true } : { status: 'claimed' };
  }

  async recordSent(
    eventIds: string[],
    target: string,
    ref: string | null,
    attempts: number,
    repeats: RepeatMark[],
    threads: ThreadMark[] = [],
  ): Promise<void> {
    for (const id of eventIds) await this.recordDelivered(id, target, ref, attempts);
    for (const r of repeats) this.s.repeats.set(pair(target, r.repeatKey), { value: r.at, expiresAt: r.expiresAt });
    const now = this.s.now();
    for (const t of threads)
      this.s.threads.set(pair(target, t.key), { value: t.ts, expiresAt: now + THREAD_RETENTION_MS });
  }

  async recordDelivered(eventId: string, target: string, ref: string | null, attempts = 1): Promise<void> {
    this.write(eventId, target, { status: 'delivered', ref, attempts, reason: null, leaseUntil: null });
  }

  async recordFailed(eventId: string, target: string, reason: string, attempts: number): Promise<void> {
    this.writeUnlessDelivered(eventId, target, 'failed', reason, attempts);
  }

  async recordDecision(eventId: string, target: string, status: 'suppressed' | 'buffered', reason: string) {
    this.writeUnlessDelivered(eventId, target, status, reason, 0);
  }

  async deliveriesOf(eventId: string): Promise<DeliveryRecord[]> {
    return (await this.allDeliveries()).filter((d) => d.eventId === eventId);
  }

  async allDeliveries(): Promise<DeliveryRecord[]> {
    const out: DeliveryRecord[] = [];
    for (const [key, entry] of inKeyOrder(this.s.deliveries)) {
      const [eventId = '', target = ''] = key.split('\u0000');
      if (this.s.live(entry)) out.push((await this.getDelivery(eventId, target))!);
    }
    return out;
  }

  async readMarks(
    repeats: Array<{ target: string; repeatKey: string }>,
    threads: Array<{ target: string; key: string }>,
  ): Promise<BatchMarkValues> {
    const out: BatchMarkValues = { lastSent: new Map(), threads: new Map() };
    for (const r of repeats)
      out.lastSent.set(
        `${r.target}|${r.repeatKey}`,
        this.s.live(this.s.repeats.get(pair(r.target, r.repeatKey))) ?? null,
      );
    for (const t of threads)
      out.threads.set(`${t.target}|${t.key}`, this.s.live(this.s.threads.get(pair(t.target, t.key))) ?? null);
    return out;
  }

  async claimDeadLetter(queue: string, sqsMessageId: string): Promise<boolean> {
    return this.s.claim(pair(`DEADLETTER#${queue}`, sqsMessageId), 14 * DAY);
  }

  async releaseDeadLetter(queue: string, sqsMessageId: string): Promise<void> {
    this.s.claims.delete(pair(`DEADLETTER#${queue}`, sqsMessageId));
  }

  private write(
    eventId: string,
    target: string,
    fields: Pick<DeliveryRecord, 'status' | 'ref' | 'attempts' | 'reason'> & { leaseUntil: number | null },
  ) {
    const now = this.s.now();
    this.s.deliveries.set(pair(eventId, target), {
      value: { eventId, target, at: now, ...fields },
      expiresAt: now + DELIVERY_RETENTION_MS,
    });
  }

  private writeUnlessDelivered(
    eventId: string,
    target: string,
    status: DeliveryRecord['status'],
    reason: string,
    attempts: number,
  ) {
    const current = this.s.deliveries.get(pair(eventId, target))?.value;
    if (current?.status !== 'delivered')
      this.write(eventId, target, { status, ref: null, attempts, reason, leaseUntil: null });
  }
}

/** Noise control's state in memory, sharing the delivery ledger's answers as the table does. */
export class MemoryNoiseState implements NoiseStore {
  constructor(
    private readonly s: MemoryLedgerState,
    private readonly deliveries: DeliveryLedger,
  ) {}

  async wasDelivered(target: string, eventId: string) {
    return (await this.deliveries.getDelivery(eventId, target))?.status === 'delivered';
  }
  async markDelivered(target: string, eventId: string) {
    if (!(await this.wasDelivered(target, eventId))) await this.deliveries.recordDelivered(eventId, target, null);
  }
  async lastSent(target: string, repeatKey: string) {
    return this.s.live(this.s.repeats.get(pair(target, repeatKey))) ?? null;
  }
  async markSent(target: string, repeatKey: string, at: number, expiresAt: number) {
    this.s.repeats.set(pair(target, repeatKey), { value: at, expiresAt });
  }
  async getGroup(id: string) {
    const g = this.s.groups.get(id);
    return g ? { ...g } : null;
  }
  async putGroupIf(group: GroupState, expected: number | null | 'absent') {
    const current = this.s.groups.get(group.id);
    const ok = expected === 'absent' ? !current : current !== undefined && current.flushAt === expected;
    if (ok) this.s.groups.set(group.id, { ...group });
    return ok;
  }
  async addMember(groupId: string, event: SpendEvent) {
    const members = this.s.members.get(groupId) ?? new Map<string, SpendEvent>();
    const key = `${event.occurredAt}#${event.id}`;
    if (!members.has(key)) members.set(key, stored(event));
    this.s.members.set(groupId, members);
  }
  async members(groupId: string) {
    return inKeyOrder(this.s.members.get(groupId)).map(([, e]) => stored(e));
  }
  async removeMembers(groupId: string, eventIds: string[]) {
    const ids = new Set(eventIds);
    const members = this.s.members.get(groupId);
    for (const [key, event] of members ?? []) if (ids.has(event.id)) members!.delete(key);
  }
  async dueGroups(now: number) {
    return inKeyOrder(this.s.groups)
      .map(([, g]) => g)
      .filter((g) => g.flushAt !== null && g.flushAt <= now)
      .map((g) => ({ ...g }));
  }
  async addToDigest(receiver: string, event: SpendEvent, receivedAt: number) {
    const key = `${new Date(receivedAt).toISOString()}#${event.id}`;
    const markers = this.s.digested.get(receiver) ?? new Map<string, string>();
    if ((markers.get(event.id) ?? key) !== key) return; // buffered before, or already sent
    const buffer = this.s.digests.get(receiver) ?? new Map<string, SpendEvent>();
    buffer.set(key, stored(event));
    markers.set(event.id, key);
    this.s.digests.set(receiver, buffer);
    this.s.digested.set(receiver, markers);
  }
  async listSilences() {
    return inKeyOrder(this.s.silences)
      .map(([, silence]) => silence)
      .filter((silence) => !this.s.expired(Date.parse(silence.endsAt) + 30 * DAY))
      .map((silence) => structuredClone(silence));
  }
  async putSilence(silence: Silence) {
    this.s.silences.set(silence.id, structuredClone(silence));
  }
}

/** Slack threads in memory. */
export class MemoryThreadStore implements ThreadStore {
  constructor(private readonly s: MemoryLedgerState) {}

  async get(target: string, key: string) {
    return this.s.live(this.s.threads.get(pair(target, key))) ?? null;
  }
  async put(target: string, key: string, ts: string) {
    const kept = await this.get(target, key);
    if (kept !== null) return kept;
    this.s.threads.set(pair(target, key), { value: ts, expiresAt: this.s.now() + THREAD_RETENTION_MS });
    return ts;
  }
}

/** The digest buffer and periods in memory. */
export class MemoryDigestLedger implements DigestLedger {
  constructor(private readonly s: MemoryLedgerState) {}

  async digestEvents(receiver: string, fromIso: string, toIso: string) {
    return this.entries(receiver)
      .filter(([key]) => key >= fromIso && key < toIso)
      .map(([, event]) => stored(event));
  }
  async digestBuffer(receiver: string, toIso: string): Promise<DigestEntry[]> {
    return this.entries(receiver)
      .filter(([key]) => key < toIso)
      .map(([key, event]) => ({ key, receivedAt: key.slice(0, key.indexOf('#')), event: stored(event) }));
  }
  async removeDigestEvents(receiver: string, keys: string[]) {
    for (const key of keys) this.s.digests.get(receiver)?.delete(key);
  }
  async claimDigest(receiver: string, periodKey: string, leaseMs: number) {
    return this.s.claim(pair(`DIGESTSENT#${receiver}`, periodKey), leaseMs);
  }
  async markDigestSent(receiver: string, periodKey: string, ref: string | null) {
    this.close(receiver, periodKey, { status: 'sent', ref: ref ?? '' });
  }
  async recordDigestOutcome(receiver: string, periodKey: string, status: 'empty' | 'failed', reason: string) {
    this.close(receiver, periodKey, { status, reason });
  }
  async releaseDigest(receiver: string, periodKey: string) {
    const key = pair(`DIGESTSENT#${receiver}`, periodKey);
    if (this.s.claims.get(key)?.status === 'claimed') this.s.claims.delete(key);
  }
  async digestRecord(receiver: string, periodKey: string): Promise<DigestRecord | null> {
    const c = this.s.liveClaim(pair(`DIGESTSENT#${receiver}`, periodKey));
    return c ? { status: c.status, ref: c.ref || null, reason: c.reason ?? null, at: c.at } : null;
  }

  private entries(receiver: string) {
    return inKeyOrder(this.s.digests.get(receiver));
  }
  private close(receiver: string, periodKey: string, fields: { status: string; ref?: string; reason?: string }) {
    const now = this.s.now();
    this.s.claims.set(pair(`DIGESTSENT#${receiver}`, periodKey), { ...fields, at: now, expiresAt: now + 400 * DAY });
  }
}

/** Cached answers and leases in memory, values kept as JSON as the table keeps them. */
export class MemoryCache implements KeyValueCache {
  constructor(private readonly s: MemoryLedgerState) {}

  async getCached<T>(key: string): Promise<T | null> {
    const value = this.s.live(this.s.cache.get(key));
    return value === undefined ? null : (JSON.parse(value) as T);
  }
  async putCached(key: string, value: unknown, ttlMs: number) {
    this.s.cache.set(key, { value: JSON.stringify(value), expiresAt: this.s.now() + ttlMs });
  }
  async acquireLease(key: string, ttlMs: number) {
    return this.s.claim(pair('LEASE', key), ttlMs);
  }
  async releaseLease(key: string) {
    this.s.claims.delete(pair('LEASE', key));
  }
}

/**
 * The ledger's stores in memory, over one shared state: what a unit test of the pipeline passes
 * instead of a table. `now` is the clock expiry is checked against.
 */
export function memoryLedgerStores(now: () => number = Date.now): LedgerStores & { state: MemoryLedgerState } {
  const state = new MemoryLedgerState(now);
  const deliveries = new MemoryDeliveryLedger(state);
  return {
    state,
    deliveries,
    noise: new MemoryNoiseState(state, deliveries),
    threads: new MemoryThreadStore(state),
    digests: new MemoryDigestLedger(state),
    cache: new MemoryCache(state),
  };
}
