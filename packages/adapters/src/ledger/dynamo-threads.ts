import { str } from './items.ts';
import type { ThreadStore } from './roles.ts';
import { boundedKey, KEYS, threadItem } from './stored.ts';
import type { LedgerTable } from './table.ts';

/** Slack thread timestamps in the table, under `THREAD#<target>`, kept 100 days. */
export class DynamoThreadStore implements ThreadStore {
  constructor(readonly table: LedgerTable) {}

  async get(target: string, key: string): Promise<string | null> {
    return str(await this.table.get(KEYS.thread(target), boundedKey(key)), 'ts');
  }

  /** A conditional write: a concurrent second writer gets the existing ts back. */
  async put(target: string, key: string, ts: string): Promise<string> {
    const item = threadItem(target, { key, ts }, this.table.now());
    if (await this.table.putIf(item, { ConditionExpression: 'attribute_not_exists(pk)' })) return ts;
    return (await this.get(target, key)) ?? ts;
  }
}
