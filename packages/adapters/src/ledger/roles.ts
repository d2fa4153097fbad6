import type { NoiseStore, SpendEvent } from '@spend-alerts/core';

/** What the ledger knows of one (event, receiver, destination). */
export interface DeliveryRecord {
  eventId: string;
  /** `<receiver>#<destination>` */
  target: string;
  /**
   * delivered; failed (its last attempt); suppressed by noise control; buffered for a digest;
   * sending: claimed by a consumer that is sending it now (until its lease runs out).
   */
  status: 'delivered' | 'failed' | 'suppressed' | 'buffered' | 'sending';
  ref: string | null;
  at: number;
  attempts: number;
  reason: string | null;
}

/**
 * What claiming a delivery found: this consumer may send; it was delivered already; or another consumer
 * is sending it until `untilMs`. `unfinished`: an earlier claim expired with no result recorded (its consumer died between claiming and
 * the ledger write), so the destination may have the delivery already.
 */
export type DeliveryClaim =
  | { status: 'claimed'; unfinished?: boolean }
  | { status: 'delivered' }
  | { status: 'held'; untilMs: number };

/** A repeat mark to write with a delivery (see `NoiseStore.markSent`). */
export interface RepeatMark {
  repeatKey: string;
  at: number;
  expiresAt: number;
}

/** A Slack thread a delivery started: its key and the first message's ts. */
export interface ThreadMark {
  key: string;
  ts: string;
}

/** The repeat marks and thread timestamps of a batch, keyed `<target>|<key>`, null where there is none. */
export interface BatchMarkValues {
  lastSent: Map<string, number | null>;
  threads: Map<string, string | null>;
}

/**
 * The delivery ledger: each (event, destination) is sent once, though SQS delivers a record twice
 * now and then. A consumer claims a delivery before sending it and records the outcome after.
 */
export interface DeliveryLedger {
  getDelivery(eventId: string, target: string): Promise<DeliveryRecord | null>;
  /**
   * Claims one (event, destination) before it is sent: it succeeds unless the delivery is recorded as
   * done or another consumer's claim is still live. A claim whose holder died expires after `leaseMs`.
   */
  claimDelivery(eventId: string, target: string, leaseMs: number, attempts: number): Promise<DeliveryClaim>;
  /**
   * Records deliveries, the repeat marks they set (read back by `NoiseStore.lastSent`) and the threads
   * they started (read back by `ThreadStore.get`), in as few round trips as the store allows: the write
   * that follows a send, kept short to keep the window between the two short.
   */
  recordSent(
    eventIds: string[],
    target: string,
    ref: string | null,
    attempts: number,
    repeats: RepeatMark[],
    threads?: ThreadMark[],
  ): Promise<void>;
  /** Records one successful delivery. */
  recordDelivered(eventId: string, target: string, ref: string | null, attempts?: number): Promise<void>;
  /** Records a failure, unless the delivery already succeeded (a late failure never overwrites a success). */
  recordFailed(eventId: string, target: string, reason: string, attempts: number): Promise<void>;
  /** Records that noise control held an event back or buffered it for a digest, unless it was delivered. */
  recordDecision(eventId: string, target: string, status: 'suppressed' | 'buffered', reason: string): Promise<void>;
  /** The ledger entries of one event, one per destination. */
  deliveriesOf(eventId: string): Promise<DeliveryRecord[]>;
  /** Every ledger entry: for summaries and the dashboard, never the hot path. */
  allDeliveries(): Promise<DeliveryRecord[]>;
  /**
   * The repeat marks and thread timestamps of a batch's alerts, read together: what
   * `NoiseStore.lastSent` and `ThreadStore.get` would answer for each.
   */
  readMarks(
    repeats: Array<{ target: string; repeatKey: string }>,
    threads: Array<{ target: string; key: string }>,
  ): Promise<BatchMarkValues>;
  /** Claims the parking of one SQS message in its DLQ: a message delivered twice is parked once. False when parked already. */
  claimDeadLetter(queue: string, sqsMessageId: string): Promise<boolean>;
  /** Gives the claim back when parking failed, so the retry parks the message. */
  releaseDeadLetter(queue: string, sqsMessageId: string): Promise<void>;
}

/** The first message of each Slack thread, per destination, so that later alerts about it reply there. */
export interface ThreadStore {
  get(target: string, key: string): Promise<string | null>;
  /** Keeps the first ts for a key: a second writer gets the kept one back. */
  put(target: string, key: string, ts: string): Promise<string>;
}

/** What the ledger holds for one digest period. */
export interface DigestRecord {
  status: string;
  ref: string | null;
  reason: string | null;
  at: number;
}

/** One alert waiting in a receiver's digest buffer; `key` is what `removeDigestEvents` takes. */
export interface DigestEntry {
  key: string;
  receivedAt: string;
  event: SpendEvent;
}

/** The digest side of the ledger: the buffer noise control fills (`NoiseStore.addToDigest`) and each period's send. */
export interface DigestLedger {
  /** The digest buffer of a receiver: events received in [from, to), oldest first. */
  digestEvents(receiver: string, fromIso: string, toIso: string): Promise<SpendEvent[]>;
  /** The buffer up to `toIso` (exclusive, by received time), from its oldest entry: late arrivals go out in the next digest. */
  digestBuffer(receiver: string, toIso: string): Promise<DigestEntry[]>;
  /** Removes sent entries from the buffer (keys from `digestBuffer`). */
  removeDigestEvents(receiver: string, keys: string[]): Promise<void>;
  /** Claims the sending of one digest period; false when it was already claimed (sent or being sent). */
  claimDigest(receiver: string, periodKey: string, leaseMs: number): Promise<boolean>;
  markDigestSent(receiver: string, periodKey: string, ref: string | null): Promise<void>;
  /** Closes a claimed period without a message (`empty`), or for good after a permanent failure (`failed`). */
  recordDigestOutcome(receiver: string, periodKey: string, status: 'empty' | 'failed', reason: string): Promise<void>;
  /** Gives back a claim after a transient failure, so the next run sends the period. A closed period stays closed. */
  releaseDigest(receiver: string, periodKey: string): Promise<void>;
  digestRecord(receiver: string, periodKey: string): Promise<DigestRecord | null>;
}

/** Answers kept between invocations and consumers (Cost Explorer, Budgets, Organizations, the watchdog's marks), and leases. */
export interface KeyValueCache {
  getCached<T>(key: string): Promise<T | null>;
  putCached(key: string, value: unknown, ttlMs: number): Promise<void>;
  /** Takes a lease on a key for `ttlMs` unless someone holds an unexpired one. */
  acquireLease(key: string, ttlMs: number): Promise<boolean>;
  releaseLease(key: string): Promise<void>;
}

/** Everything the pipeline remembers, one interface per role, all over one table (or one memory). */
export interface LedgerStores {
  deliveries: DeliveryLedger;
  noise: NoiseStore;
  threads: ThreadStore;
  digests: DigestLedger;
  cache: KeyValueCache;
}
