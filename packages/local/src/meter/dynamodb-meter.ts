/**
 * Meters DynamoDB requests as DynamoDB bills them. It keeps the size of every item written through
 * it (the table starts empty and every write passes here), so that it knows what a write replaces,
 * what a delete removes and what a Query reads before its filter.
 */
import { type Item, itemSize, readUnits, writeUnits } from './dynamodb-units.ts';

type Body = Record<string, unknown>;

/** Request units one call consumed. */
export interface DynamoUnits {
  read: number;
  write: number;
}

const KEY_ATTRIBUTES = ['pk', 'sk'] as const;

export class DynamoMeter {
  /** table → pk → sk → size in bytes. */
  private readonly sizes = new Map<string, Map<string, Map<string, number>>>();

  /** What a request cost, given the request and DynamoDB's answer (`ok`: a 2xx answer). */
  units(operation: string, request: Body, response: Body, ok: boolean): DynamoUnits {
    switch (operation) {
      case 'PutItem':
        return this.put(String(request.TableName), request.Item as Item, ok);
      case 'DeleteItem':
        return this.remove(String(request.TableName), request.Key as Item, ok);
      case 'UpdateItem': {
        // The new size is not in the request: DynamoDB returns it when asked (the proxy asks for ALL_NEW).
        const table = String(request.TableName);
        const key = request.Key as Item;
        const old = this.sizeOf(table, key);
        const next = ok && response.Attributes ? itemSize(response.Attributes as Item) : old;
        if (ok) this.set(table, key, next);
        return { read: 0, write: writeUnits(old, next) };
      }
      case 'GetItem':
        return ok ? { read: readUnits(sizeOrZero(response.Item), request.ConsistentRead === true), write: 0 } : none();
      case 'BatchGetItem':
        return ok ? { read: this.batchGet(request, response), write: 0 } : none();
      case 'BatchWriteItem':
        return ok ? { read: 0, write: this.batchWrite(request, response) } : none();
      case 'Query':
        return ok ? { read: this.query(request), write: 0 } : none();
      case 'Scan':
        return ok
          ? { read: readUnits(this.tableBytes(String(request.TableName)), request.ConsistentRead === true), write: 0 }
          : none();
      default:
        return none();
    }
  }

  /** Bytes stored, with DynamoDB's 100 bytes of overhead per item. */
  storedBytes(): number {
    let total = 0;
    for (const table of this.sizes.values())
      for (const partition of table.values()) for (const size of partition.values()) total += size + 100;
    return total;
  }

  private put(table: string, item: Item, ok: boolean): DynamoUnits {
    const old = this.sizeOf(table, item);
    const size = itemSize(item);
    // A failed condition still costs the write, by the existing item's size.
    if (!ok) return { read: 0, write: writeUnits(old) };
    this.set(table, item, size);
    return { read: 0, write: writeUnits(old, size) };
  }

  private remove(table: string, key: Item, ok: boolean): DynamoUnits {
    const old = this.sizeOf(table, key);
    if (ok) this.partition(table, key).delete(keyValue(key, 'sk'));
    return { read: 0, write: writeUnits(old) };
  }

  private batchGet(request: Body, response: Body): number {
    let units = 0;
    const requested = (request.RequestItems ?? {}) as Record<string, { Keys?: Item[]; ConsistentRead?: boolean }>;
    const unprocessed = (response.UnprocessedKeys ?? {}) as Record<string, { Keys?: Item[] }>;
    for (const [table, ask] of Object.entries(requested)) {
      const left = new Set((unprocessed[table]?.Keys ?? []).map(keyId));
      for (const key of ask.Keys ?? []) {
        if (left.has(keyId(key))) continue;
        // Each item is read as its own GetItem, rounded up on its own; a missing one costs the minimum.
        units += readUnits(this.sizeOf(table, key), ask.ConsistentRead === true);
      }
    }
    return units;
  }

  private batchWrite(request: Body, response: Body): number {
    let units = 0;
    const requested = (request.RequestItems ?? {}) as Record<
      string,
      Array<Record<string, { Item?: Item; Key?: Item }>>
    >;
    const unprocessed = (response.UnprocessedItems ?? {}) as Record<
      string,
      Array<Record<string, { Item?: Item; Key?: Item }>>
    >;
    for (const [table, writes] of Object.entries(requested)) {
      const left = new Set(
        (unprocessed[table] ?? []).map((w) => keyId(w.PutRequest?.Item ?? w.DeleteRequest?.Key ?? {})),
      );
      for (const w of writes) {
        const put = w.PutRequest?.Item;
        const key = put ?? w.DeleteRequest?.Key ?? {};
        if (left.has(keyId(key))) continue;
        units += put ? this.put(table, put, true).write : this.remove(table, key, true).write;
      }
    }
    return units;
  }

  private query(request: Body): number {
    const table = String(request.TableName);
    const condition = readKeyCondition(request);
    if (!condition) return readUnits(this.tableBytes(table), request.ConsistentRead === true);
    let bytes = 0;
    for (const [sk, size] of this.sizes.get(table)?.get(condition.pk) ?? []) if (condition.sk(sk)) bytes += size;
    return readUnits(bytes, request.ConsistentRead === true);
  }

  private tableBytes(table: string): number {
    let bytes = 0;
    for (const partition of this.sizes.get(table)?.values() ?? []) for (const size of partition.values()) bytes += size;
    return bytes;
  }

  private partition(table: string, key: Item): Map<string, number> {
    let t = this.sizes.get(table);
    if (!t) {
      t = new Map();
      this.sizes.set(table, t);
    }
    const pk = keyValue(key, 'pk');
    let p = t.get(pk);
    if (!p) {
      p = new Map();
      t.set(pk, p);
    }
    return p;
  }

  private sizeOf(table: string, key: Item): number {
    return this.sizes.get(table)?.get(keyValue(key, 'pk'))?.get(keyValue(key, 'sk')) ?? 0;
  }

  private set(table: string, key: Item, size: number): void {
    this.partition(table, key).set(keyValue(key, 'sk'), size);
  }
}

function none(): DynamoUnits {
  return { read: 0, write: 0 };
}

function sizeOrZero(item: unknown): number {
  return item ? itemSize(item as Item) : 0;
}

function keyValue(item: Item, name: (typeof KEY_ATTRIBUTES)[number]): string {
  const value = item[name];
  return value ? String(Object.values(value)[0]) : '';
}

function keyId(item: Item): string {
  return `${keyValue(item, 'pk')}\u0000${keyValue(item, 'sk')}`;
}

/**
 * The partition key a Query reads and a test for its sort key condition: `pk = :v`, optionally with
 * `AND sk = | < | <= | > | >= :v`, `AND sk BETWEEN :a AND :b` or `AND begins_with(sk, :v)`.
 */
export function readKeyCondition(request: Body): { pk: string; sk: (sk: string) => boolean } | null {
  const expression = String(request.KeyConditionExpression ?? '');
  const names = (request.ExpressionAttributeNames ?? {}) as Record<string, string>;
  const values = (request.ExpressionAttributeValues ?? {}) as Item;
  const name = (token: string) => names[token] ?? token;
  const value = (token: string) => {
    const v = values[token];
    return v ? String(Object.values(v)[0]) : '';
  };
  const partition = /^\s*([#\w]+)\s*=\s*(:\w+)\s*(?:AND\s+(.+))?$/is.exec(expression);
  if (!partition || name(partition[1]!) !== 'pk') return null;
  const pk = value(partition[2]!);
  const rest = partition[3]?.trim();
  if (!rest) return { pk, sk: () => true };
  const between = /^([#\w]+)\s+BETWEEN\s+(:\w+)\s+AND\s+(:\w+)$/i.exec(rest);
  if (between) {
    const [from, to] = [value(between[2]!), value(between[3]!)];
    return { pk, sk: (sk) => sk >= from && sk <= to };
  }
  const begins = /^begins_with\s*\(\s*([#\w]+)\s*,\s*(:\w+)\s*\)$/i.exec(rest);
  if (begins) {
    const prefix = value(begins[2]!);
    return { pk, sk: (sk) => sk.startsWith(prefix) };
  }
  const compare = /^([#\w]+)\s*(<=|>=|<|>|=)\s*(:\w+)$/.exec(rest);
  if (!compare) return null;
  const v = value(compare[3]!);
  const tests: Record<string, (sk: string) => boolean> = {
    '=': (sk) => sk === v,
    '<': (sk) => sk < v,
    '<=': (sk) => sk <= v,
    '>': (sk) => sk > v,
    '>=': (sk) => sk >= v,
  };
  return { pk, sk: tests[compare[2]!]! };
}
