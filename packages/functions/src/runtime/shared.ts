import { BudgetsClient } from '@aws-sdk/client-budgets';
import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { CostHistoryStore, KeyValueCache, LedgerStores, Logger } from '@spend-alerts/adapters';
import { awsClientConfig } from '@spend-alerts/adapters/aws';
import { CostExplorerEnricher } from '@spend-alerts/adapters/enrich';
import { DynamoCostHistoryStore } from '@spend-alerts/adapters/enrich/history';
import { dynamoLedgerStores } from '@spend-alerts/adapters/ledger';
import type { Config } from '@spend-alerts/core';
import { links } from '@spend-alerts/stacks/spec';
import type { Clock } from '../pipeline/deps.ts';
import { linkedResource } from './resources.ts';

/** The ledger's stores, and the cost history kept beside them. */
export type DeployedStores = LedgerStores & { history: CostHistoryStore };

/** The stores over the ledger table every function shares, found through its SST link. */
export function ledgerStores(env: NodeJS.ProcessEnv, clock: Clock): DeployedStores {
  const now = () => clock.now().getTime();
  const { table, ...stores } = dynamoLedgerStores({
    client: new DynamoDBClient(awsClientConfig(env, 'DYNAMODB')),
    tableName: linkedResource<{ name: string }>(links.table, env).name,
    now,
  });
  return { ...stores, history: new DynamoCostHistoryStore(table.client, table.name, now) };
}

/** Cost Explorer enrichment as the config sets it (null when disabled), caching in the ledger. Its endpoint is us-east-1 only. */
export function costEnricher(
  env: NodeJS.ProcessEnv,
  config: Config,
  stores: { cache: KeyValueCache; history: CostHistoryStore },
  clock: Clock,
  logger: Logger,
  onRequest?: (operation: string) => void,
): CostExplorerEnricher | null {
  if (!config.enrichment.enabled) return null;
  return new CostExplorerEnricher({
    cache: stores.cache,
    history: stores.history,
    maxRequestsPerMonth: config.enrichment.maxRequestsPerMonth,
    costExplorer: new CostExplorerClient(awsClientConfig(env, 'COST_EXPLORER', 'us-east-1')),
    budgets: new BudgetsClient(awsClientConfig(env, 'BUDGETS', 'us-east-1')),
    topServices: config.enrichment.topServices,
    cacheTtlMs: config.enrichment.cacheTtl,
    payer: config.organizations.enabled,
    now: () => clock.now(),
    logger,
    onRequest,
  });
}
