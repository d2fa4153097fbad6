import { epochSeconds, N, S, str } from './items.ts';
import type { KeyValueCache } from './roles.ts';
import { KEYS } from './stored.ts';
import type { LedgerTable } from './table.ts';

/** Cached answers (`CACHE#<key>`, JSON) and leases (`LEASE#<key>`) in the table, each with its expiry. */
export class DynamoCache implements KeyValueCache {
  constructor(readonly table: LedgerTable) {}

  async getCached<T>(key: string): Promise<T | null> {
    const value = str(await this.table.get(KEYS.cache(key), '-'), 'value');
    return value === null ? null : (JSON.parse(value) as T);
  }

  async putCached(key: string, value: unknown, ttlMs: number): Promise<void> {
    await this.table.put({
      pk: S(KEYS.cache(key)),
      sk: S('-'),
      value: S(JSON.stringify(value)),
      expiresAt: N(epochSeconds(this.table.now() + ttlMs)),
    });
  }

  async acquireLease(key: string, ttlMs: number): Promise<boolean> {
    return this.table.claim(KEYS.lease(key), '-', ttlMs);
  }

  async releaseLease(key: string): Promise<void> {
    await this.table.delete(KEYS.lease(key), '-');
  }
}
