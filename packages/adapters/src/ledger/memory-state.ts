import type { GroupState, Silence, SpendEvent } from '@spend-alerts/core';
import { epochSeconds } from './items.ts';
import type { DeliveryRecord } from './roles.ts';
import { storable } from './stored.ts';

/** A value with the time it expires (epoch ms), checked on read as the table's `expiresAt` is. */
export interface Expiring<T> {
  value: T;
  expiresAt: number;
}

/** A claim, or the record that closed it (a digest period sent, say). */
export interface ClaimRecord {
  status: string;
  at: number;
  expiresAt: number;
  ref?: string | null;
  reason?: string | null;
}

/**
 * What the in-memory stores share, as the DynamoDB stores share one table: the delivery ledger writes
 * repeat marks and threads that noise control and the thread store read.
 */
export class MemoryLedgerState {
  readonly deliveries = new Map<string, Expiring<DeliveryRecord & { leaseUntil: number | null }>>();
  readonly repeats = new Map<string, Expiring<number>>();
  readonly threads = new Map<string, Expiring<string>>();
  /** Dead-letter claims, digest periods and leases, keyed `<kind>\u0000<key>`. */
  readonly claims = new Map<string, ClaimRecord>();
  readonly groups = new Map<string, GroupState>();
  /** Group members by group id, then by `<occurredAt>#<event id>` (their order). */
  readonly members = new Map<string, Map<string, SpendEvent>>();
  /** Digest buffers by receiver, then by `<received at>#<event id>` (their order). */
  readonly digests = new Map<string, Map<string, SpendEvent>>();
  /** Per receiver, the buffer key each event was first buffered under (kept after it is sent). */
  readonly digested = new Map<string, Map<string, string>>();
  readonly silences = new Map<string, Silence>();
  readonly cache = new Map<string, Expiring<string>>();

  constructor(readonly now: () => number = Date.now) {}

  /** Whether a value written to expire at `expiresAt` has, as the table reckons it (whole seconds). */
  expired(expiresAt: number): boolean {
    return epochSeconds(expiresAt) * 1000 <= this.now();
  }

  live<T>(entry: Expiring<T> | undefined): T | undefined {
    return entry && !this.expired(entry.expiresAt) ? entry.value : undefined;
  }

  /** The table's claim: taken when absent, or when it is an expired claim (its holder died). */
  claim(key: string, ttlMs: number): boolean {
    const now = this.now();
    const current = this.claims.get(key);
    if (current && !(current.status === 'claimed' && epochSeconds(current.expiresAt) <= epochSeconds(now))) {
      return false;
    }
    this.claims.set(key, { status: 'claimed', at: now, expiresAt: now + ttlMs });
    return true;
  }

  liveClaim(key: string): ClaimRecord | undefined {
    const c = this.claims.get(key);
    return c && !this.expired(c.expiresAt) ? c : undefined;
  }
}

/** An event as the table would give it back: cut to the stored size, and a copy. */
export function stored(event: SpendEvent): SpendEvent {
  return JSON.parse(JSON.stringify(storable(event))) as SpendEvent;
}

/** Entries of a sorted-key map in key order, as a query returns them. */
export function inKeyOrder<T>(map: Map<string, T> | undefined): Array<[string, T]> {
  return [...(map?.entries() ?? [])].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
