import { createLedgerTable, dynamoLedgerStores } from '@spend-alerts/adapters';
import { startLocalStack, type LocalStack } from '@spend-alerts/local/runtime/stack.ts';
import { afterAll, beforeAll } from 'vitest';
import { ledgerContract } from './ledger-contract.ts';

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack();
});
afterAll(async () => {
  await stack?.close();
});

let tables = 0;
/** Each test its own table on the local DynamoDB, so that none sees another's items. */
ledgerContract('DynamoDB', async (now) => {
  const tableName = `ledger-contract-${++tables}`;
  await createLedgerTable(stack.dynamo, tableName);
  return dynamoLedgerStores({ client: stack.dynamo, tableName, now });
});
