import { gunzipSync, gzipSync } from 'node:zlib';
import {
  BatchWriteItemCommand,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { CostHistoryStore, StoredCostDay } from '../enrich/history-store.ts';
import { epochSeconds, expired, isConditionFailure, type Item, N, num, S } from './items.ts';

const DAY = 86_400_000;
/** A day is kept long enough to be the same day of the previous month, and a little more. */
const DAY_RETENTION_MS = 75 * DAY;
const DAYS = 'CEDAY';
const REFRESH = { pk: S('CEREFRESH'), sk: S('-') };

/**
 * The organization's daily costs in the ledger table: one item a day (its cells gzipped, so a day
 * of a large organization stays a few write units), the last refresh, the month's request count
 * (one conditional counter, never past the budget) and the refresh lease.
 */
export class DynamoCostHistoryStore implements CostHistoryStore {
  /**
   * `now` is the pipeline's clock (a simulated one runs fast locally), for what is kept; leases are
   * about how long a refresh really takes, and count real time (`leaseNow`).
   */
  constructor(
    private readonly client: DynamoDBClient,
    private readonly table: string,
    private readonly now: () => number = Date.now,
    private readonly leaseNow: () => number = Date.now,
  ) {}

  async days(from: string, to: string): Promise<StoredCostDay[]> {
    const out: StoredCostDay[] = [];
    let start: Item | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.table,
          ConsistentRead: true,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': S(DAYS), ':from': S(from), ':to': S(to) },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) {
        const date = item.sk?.S ?? '';
        const cells = item.cells?.B;
        if (date >= to || !cells || expired(item, this.now())) continue;
        out.push({
          date,
          cells: JSON.parse(gunzipSync(cells).toString('utf8')) as StoredCostDay['cells'],
          fetchedAt: num(item, 'fetchedAt') ?? 0,
        });
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  }

  async putDays(days: StoredCostDay[]): Promise<void> {
    const items = days.map((d) => ({
      pk: S(DAYS),
      sk: S(d.date),
      cells: { B: gzipSync(JSON.stringify(d.cells)) },
      fetchedAt: N(d.fetchedAt),
      expiresAt: N(epochSeconds(Date.parse(`${d.date}T00:00:00Z`) + DAY_RETENTION_MS)),
    }));
    for (let i = 0; i < items.length; i += 25) {
      let pending = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
      for (let round = 0; pending.length; round++) {
        if (round > 8) throw new Error(`BatchWriteItem left ${pending.length} days unprocessed`);
        if (round) await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** round)));
        const out = await this.client.send(new BatchWriteItemCommand({ RequestItems: { [this.table]: pending } }));
        pending = (out.UnprocessedItems?.[this.table] ?? []) as typeof pending;
      }
    }
  }

  async lastRefresh(): Promise<{ at: number; failedAt: number | null } | null> {
    const { Item } = await this.client.send(
      new GetItemCommand({ TableName: this.table, Key: REFRESH, ConsistentRead: true }),
    );
    return Item ? { at: num(Item, 'at') ?? 0, failedAt: num(Item, 'failedAt') } : null;
  }

  async recordRefresh(at: number, failed: boolean): Promise<void> {
    const previous = failed ? await this.lastRefresh() : null;
    await this.client.send(
      new PutItemCommand({
        TableName: this.table,
        Item: {
          ...REFRESH,
          // A failure keeps the time of the last success: the next alert may try again soon.
          at: N(failed ? (previous?.at ?? 0) : at),
          ...(failed ? { failedAt: N(at) } : {}),
          expiresAt: N(epochSeconds(at + DAY_RETENTION_MS)),
        },
      }),
    );
  }

  async reserveRequest(month: string, max: number): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.table,
          Key: { pk: S('CEBUDGET'), sk: S(month) },
          UpdateExpression: 'ADD n :one SET expiresAt = :expires',
          ConditionExpression: 'attribute_not_exists(n) OR n < :max',
          ExpressionAttributeValues: {
            ':one': N(1),
            ':max': N(max),
            ':expires': N(epochSeconds(this.now() + 62 * DAY)),
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async requestsUsed(month: string): Promise<number> {
    const { Item } = await this.client.send(
      new GetItemCommand({ TableName: this.table, Key: { pk: S('CEBUDGET'), sk: S(month) }, ConsistentRead: true }),
    );
    return num(Item, 'n') ?? 0;
  }

  async acquireLease(key: string, ttlMs: number): Promise<boolean> {
    const now = this.leaseNow();
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.table,
          Item: { pk: S(`LEASE#${key}`), sk: S('-'), expiresAt: N(epochSeconds(now + ttlMs)) },
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now',
          ExpressionAttributeValues: { ':now': N(epochSeconds(now)) },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async releaseLease(key: string): Promise<void> {
    await this.client.send(
      new DeleteItemCommand({ TableName: this.table, Key: { pk: S(`LEASE#${key}`), sk: S('-') } }),
    );
  }
}
