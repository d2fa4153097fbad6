/**
 * For tests of code that calls Cost Explorer and Budgets: a stand-in on a movable simulated clock,
 * and the real SDK clients pointed at it with fake credentials. Only tests import this.
 */
import { BudgetsClient } from '@aws-sdk/client-budgets';
import {
  CostExplorerClient,
  GetCostAndUsageCommand,
  type CostExplorerPaginationConfiguration,
  type GetCostAndUsageCommandInput,
  type GetCostAndUsageCommandOutput,
} from '@aws-sdk/client-cost-explorer';
import { createPaginator } from '@smithy/core';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { startCostExplorer, type CostExplorerOptions, type CostExplorerStandIn } from './cost-explorer.ts';

/**
 * Pages through GetCostAndUsage with the SDK's own paginator machinery. Client 3.1108.0 ships no
 * `paginateGetCostAndUsage` (the service model gives the operation no pagination trait, though it
 * returns `NextPageToken`), so this builds it the way the SDK builds its other paginators.
 */
export const paginateGetCostAndUsage = createPaginator<
  CostExplorerPaginationConfiguration,
  GetCostAndUsageCommandInput,
  GetCostAndUsageCommandOutput
>(CostExplorerClient, GetCostAndUsageCommand, 'NextPageToken', 'NextPageToken');

/** A running stand-in, SDK clients for it, and the knob of its clock. */
export interface StandInHarness {
  standIn: CostExplorerStandIn;
  ce: CostExplorerClient;
  budgets: BudgetsClient;
  /** Moves the simulated clock. */
  setNow(date: Date | string): void;
  close(): Promise<void>;
}

/**
 * Starts a stand-in whose clock the test moves, and SDK clients for it. `maxAttempts` defaults to
 * 1 so that an injected error reaches the test; retries, when asked for, have no backoff delay.
 */
export async function startHarness(
  options: Omit<CostExplorerOptions, 'clock'> & { now: Date | string; maxAttempts?: number },
): Promise<StandInHarness> {
  let now = new Date(options.now);
  const standIn = await startCostExplorer({ ...options, clock: () => now });
  const config = {
    endpoint: standIn.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDLOCALSTANDIN', secretAccessKey: 'local-secret' },
    retryStrategy: new ConfiguredRetryStrategy(options.maxAttempts ?? 1, 0),
  };
  const ce = new CostExplorerClient(config);
  const budgets = new BudgetsClient(config);
  return {
    standIn,
    ce,
    budgets,
    setNow: (date) => {
      now = new Date(date);
    },
    close: async () => {
      ce.destroy();
      budgets.destroy();
      await standIn.close();
    },
  };
}
