import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoCache } from './dynamo-cache.ts';
import { DynamoDeliveryLedger } from './dynamo-deliveries.ts';
import { DynamoDigestLedger } from './dynamo-digests.ts';
import { DynamoNoiseStore } from './dynamo-noise.ts';
import { DynamoThreadStore } from './dynamo-threads.ts';
import type { LedgerStores } from './roles.ts';
import { LedgerTable } from './table.ts';

export interface DynamoStoresOptions {
  client?: DynamoDBClient;
  tableName: string;
  /** The clock, for expiry checks on read. */
  now?: () => number;
  /** How long delivery records are kept. */
  deliveryRetentionMs?: number;
}

/** The ledger's stores over one DynamoDB table, with the table itself (its client and name) for other stores on it. */
export function dynamoLedgerStores(options: DynamoStoresOptions): LedgerStores & { table: LedgerTable } {
  const table = new LedgerTable(options);
  const deliveries = new DynamoDeliveryLedger(table, options.deliveryRetentionMs);
  return {
    table,
    deliveries,
    noise: new DynamoNoiseStore(table, deliveries),
    threads: new DynamoThreadStore(table),
    digests: new DynamoDigestLedger(table),
    cache: new DynamoCache(table),
  };
}

export { createLedgerTable, LedgerTable } from './table.ts';
