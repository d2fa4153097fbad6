import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  type QueryCommandInput,
} from '@aws-sdk/client-dynamodb';
import { epochSeconds, expired, isConditionFailure, N, S, type Item } from './items.ts';

export interface LedgerTableOptions {
  client?: DynamoDBClient;
  tableName: string;
  /** The clock, for expiry checks on read. */
  now?: () => number;
}

/** A conditional write's condition, as PutItem and DeleteItem take it. */
export type Condition = Partial<{
  ConditionExpression: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues: Item;
}>;

/**
 * The ledger's one DynamoDB table keyed `pk`/`sk`, as every role's store uses it: single-item reads
 * and conditional writes, queries, and batch reads and writes. Every operation is one conditional
 * single-item write or one query (the local stand-in has no transactions); items carry `expiresAt`
 * for TTL and are also checked on read, since TTL deletes late and the stand-in not at all.
 */
export class LedgerTable {
  readonly client: DynamoDBClient;
  readonly name: string;
  readonly now: () => number;

  constructor(options: LedgerTableOptions) {
    this.client = options.client ?? new DynamoDBClient({});
    this.name = options.tableName;
    this.now = options.now ?? Date.now;
  }

  /** One item, strongly consistent; undefined when absent or expired. */
  async get(pk: string, sk: string): Promise<Item | undefined> {
    const { Item } = await this.client.send(
      new GetItemCommand({ TableName: this.name, Key: { pk: S(pk), sk: S(sk) }, ConsistentRead: true }),
    );
    return Item && !expired(Item, this.now()) ? Item : undefined;
  }

  async put(item: Item, condition: Condition = {}): Promise<void> {
    await this.client.send(new PutItemCommand({ TableName: this.name, Item: item, ...condition }));
  }

  /** A conditional put that returns, in the same request, the item it replaced (`{}` if none); null when its condition failed. */
  async putIfReplacing(item: Item, condition: Condition): Promise<Item | null> {
    try {
      const out = await this.client.send(
        new PutItemCommand({ TableName: this.name, Item: item, ...condition, ReturnValues: 'ALL_OLD' }),
      );
      return out.Attributes ?? {};
    } catch (error) {
      if (isConditionFailure(error)) return null;
      throw error;
    }
  }

  /** A conditional put: false when its condition failed. */
  async putIf(item: Item, condition: Condition): Promise<boolean> {
    try {
      await this.put(item, condition);
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async delete(pk: string, sk: string, condition: Condition = {}): Promise<void> {
    try {
      await this.client.send(
        new DeleteItemCommand({ TableName: this.name, Key: { pk: S(pk), sk: S(sk) }, ...condition }),
      );
    } catch (error) {
      if (!condition.ConditionExpression || !isConditionFailure(error)) throw error;
    }
  }

  /**
   * Takes a claim on a key for `ttlMs`: false while another unexpired claim (or any other item) holds
   * it. An expired claim (its holder died) may be taken over; TTL may not have deleted it yet.
   */
  async claim(pk: string, sk: string, ttlMs: number): Promise<boolean> {
    const now = this.now();
    return this.putIf(
      { pk: S(pk), sk: S(sk), status: S('claimed'), at: N(now), expiresAt: N(epochSeconds(now + ttlMs)) },
      {
        ConditionExpression: 'attribute_not_exists(pk) OR (#s = :claimed AND expiresAt <= :now)',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':claimed': S('claimed'), ':now': N(epochSeconds(now)) },
      },
    );
  }

  /** Every page of a query, strongly consistent, expired items left out. */
  async query(input: Omit<QueryCommandInput, 'TableName'>): Promise<Item[]> {
    const out: Item[] = [];
    let start: Item | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({ TableName: this.name, ConsistentRead: true, ...input, ExclusiveStartKey: start }),
      );
      out.push(...(page.Items ?? []).filter((i) => !expired(i, this.now())));
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  }

  /** The items whose partition key starts with `prefix` (a scan: for summaries, never the hot path). */
  async scanPrefix(prefix: string): Promise<Item[]> {
    const out: Item[] = [];
    let start: Item | undefined;
    do {
      const page = await this.client.send(
        new ScanCommand({
          TableName: this.name,
          FilterExpression: 'begins_with(pk, :p)',
          ExpressionAttributeValues: { ':p': S(prefix) },
          ExclusiveStartKey: start,
        }),
      );
      out.push(...(page.Items ?? []).filter((i) => !expired(i, this.now())));
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  }

  /** Strongly consistent reads of many keys, 100 per request; unprocessed keys are asked again with a short backoff. */
  async batchGet(keys: Item[]): Promise<Item[]> {
    const out: Item[] = [];
    for (let i = 0; i < keys.length; i += 100) {
      await untilProcessed('BatchGetItem', keys.slice(i, i + 100), async (pending) => {
        const page = await this.client.send(
          new BatchGetItemCommand({ RequestItems: { [this.name]: { Keys: pending, ConsistentRead: true } } }),
        );
        out.push(...(page.Responses?.[this.name] ?? []));
        return page.UnprocessedKeys?.[this.name]?.Keys ?? [];
      });
    }
    return out.filter((item) => !expired(item, this.now()));
  }

  /** Unconditional puts, 25 per request (BatchWriteItem's limit); unprocessed items are sent again with a short backoff. */
  async batchPut(items: Item[]): Promise<void> {
    for (let i = 0; i < items.length; i += 25) {
      await untilProcessed('BatchWriteItem', items.slice(i, i + 25), async (pending) => {
        const out = await this.client.send(
          new BatchWriteItemCommand({
            RequestItems: { [this.name]: pending.map((Item) => ({ PutRequest: { Item } })) },
          }),
        );
        return (out.UnprocessedItems?.[this.name] ?? []).flatMap((r) =>
          r.PutRequest?.Item ? [r.PutRequest.Item] : [],
        );
      });
    }
  }
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
