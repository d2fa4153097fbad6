import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { awsClientConfig, dynamoLedgerStores } from '@spend-alerts/adapters';
import type { NoiseStore } from '@spend-alerts/core';
import { isProcessAlive } from '@spend-alerts/local';
import { CliError, type Io } from './io.ts';

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/**
 * Where silences live: the pipeline's own ledger table, so the consumers see them at once. With
 * `--table` the deployed table (standard AWS credentials); otherwise the table of the local pipeline
 * running from this directory (`npm start`).
 */
export function silenceStore(io: Io, table: unknown, region: unknown): Pick<NoiseStore, 'listSilences' | 'putSilence'> {
  if (typeof table === 'string') {
    return dynamoLedgerStores({
      client: new DynamoDBClient(awsClientConfig(io.env, 'DYNAMODB', typeof region === 'string' ? region : undefined)),
      tableName: table,
    }).noise;
  }
  const path = resolve(io.cwd, '.spend-alerts', 'local.json');
  const state = existsSync(path)
    ? (JSON.parse(readFileSync(path, 'utf8')) as { dynamoUrl?: string; tableName?: string; pid?: number })
    : null;
  if (!state?.dynamoUrl || !state.tableName || (typeof state.pid === 'number' && !isProcessAlive(state.pid))) {
    throw new CliError(
      'no pipeline to silence: start it with npm start, or give --table <the ledgerTable output of sst deploy>',
    );
  }
  return dynamoLedgerStores({
    client: new DynamoDBClient({
      ...awsClientConfig(io.env, 'DYNAMODB'),
      endpoint: state.dynamoUrl,
      credentials: LOCAL_CREDENTIALS,
    }),
    tableName: state.tableName,
  }).noise;
}
