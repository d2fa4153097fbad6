import type { CostExplorerEnricher, LedgerStores, Logger, Notifier } from '@spend-alerts/adapters';
import type { AccountDirectory, Config } from '@spend-alerts/core';
import type { SQSRecord } from 'aws-lambda';
import type { Channel } from '@spend-alerts/stacks/spec';
import type { Metrics } from '../runtime/metrics.ts';

/** The clock: `now` for decisions; `realDelayMs` turns a wait in its time into real milliseconds (a simulated clock runs faster). */
export interface Clock {
  now(): Date;
  realDelayMs(ms: number): number;
}

export const systemClock: Clock = { now: () => new Date(), realDelayMs: (ms) => ms };

/** What a consumer does to its own queue: dead-letter a record, back off a retry, schedule a group flush. */
export interface QueueActions {
  deadLetter(record: SQSRecord, failure: { reason: string; receiver?: string; failure?: string }): Promise<void>;
  backoff(record: SQSRecord, delayMs: number): Promise<void>;
  scheduleFlush(groupId: string, delayMs: number): Promise<void>;
}

/** The ledger's roles a consumer uses: in DynamoDB when deployed, in memory in unit tests. */
export type ChannelStores = Pick<LedgerStores, 'deliveries' | 'noise' | 'threads' | 'cache'>;

/** Everything a channel consumer needs, injected: tests and the local runtime pass their own. */
export interface ChannelDeps {
  channel: Channel;
  config: Config;
  stores: ChannelStores;
  notifier: Notifier;
  enricher: Pick<CostExplorerEnricher, 'enrich'> | null;
  queue: QueueActions;
  clock: Clock;
  logger: Logger;
  /** Account names and tags: the config's, and the organization's with `organizations.enabled`. */
  accounts?: AccountDirectory;
  /** Counts for CloudWatch (embedded metric format), flushed once per invocation. */
  metrics?: Metrics;
  /**
   * How long a delivery claim holds off other consumers (default: the channel's function timeout, which
   * no invocation outlives). A claim whose holder died is taken over after it.
   */
  deliveryLeaseMs?: number;
}
