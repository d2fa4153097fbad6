import { BudgetsClient } from '@aws-sdk/client-budgets';
import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Logger } from '@spend-alerts/adapters';
import { awsClientConfig } from '@spend-alerts/adapters/aws';
import { CostExplorerEnricher } from '@spend-alerts/adapters/enrich';
import { DynamoCostHistoryStore } from '@spend-alerts/adapters/enrich/history';
import { DynamoStore } from '@spend-alerts/adapters/ledger';
import type { Config } from '@spend-alerts/core';
import { links } from '@spend-alerts/stacks/spec';
import type { Clock } from '../pipeline/deps.ts';
import { linkedResource } from './resources.ts';

/** The ledger table every function shares, found through its SST link. */
export function ledgerStore(env: NodeJS.ProcessEnv, clock: Clock): DynamoStore {
  return new DynamoStore({
    client: new DynamoDBClient(awsClientConfig(env, 'DYNAMODB')),
    tableName: linkedResource<{ name: string }>(links.table, env).name,
    now: () => clock.now().getTime(),
  });
}

/** Cost Explorer enrichment as the config sets it (null when disabled), caching in the ledger. Its endpoint is us-east-1 only. */
export function costEnricher(
  env: NodeJS.ProcessEnv,
  config: Config,
  store: DynamoStore,
  clock: Clock,
  logger: Logger,
  onRequest?: (operation: string) => void,
): CostExplorerEnricher | null {
  if (!config.enrichment.enabled) return null;
  return new CostExplorerEnricher({
    cache: store,
    history: new DynamoCostHistoryStore(store.client, store.table, () => clock.now().getTime()),
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
