import { SQSClient } from '@aws-sdk/client-sqs';
import type { Notifier, SecretResolver } from '@spend-alerts/adapters';
import { awsClientConfig } from '@spend-alerts/adapters/aws';
import { createLogger } from '@spend-alerts/adapters/log';
import { envSecrets } from '@spend-alerts/adapters/secrets';
import { directoryOf, type AccountDirectory, type Config } from '@spend-alerts/core';
import { links, type Channel } from '@spend-alerts/stacks/spec';
import { systemClock, type ChannelDeps, type Clock } from '../pipeline/deps.ts';
import { readBundledConfig } from './config.ts';
import { linkedResource, linkedSecrets } from './resources.ts';
import { Metrics } from './metrics.ts';
import { organizationDirectory } from './organizations.ts';
import { costEnricher, ledgerStores } from './shared.ts';
import { SqsQueueActions } from './sqs-actions.ts';

/** What a channel's notifier is built from. */
export interface NotifierInputs {
  config: Config;
  secrets: SecretResolver;
  env: NodeJS.ProcessEnv;
  accounts: AccountDirectory;
}

/**
 * Builds one channel's notifier. Each channel's lives in its own module (`./notifiers/`), so that a
 * handler bundles its own channel's client and no other's.
 */
export type NotifierFactory = (inputs: NotifierInputs) => Notifier;

export interface ChannelDepsOptions {
  env?: NodeJS.ProcessEnv;
  clock?: Clock;
  config?: Config;
  /** Where log lines go (default: standard output, as Lambda collects them). */
  logDestination?: NonNullable<Parameters<typeof createLogger>[0]>['destination'];
  onCostExplorerRequest?: (operation: string) => void;
}

/**
 * Builds a channel consumer's dependencies from SST links, secrets and the bundled config, with the
 * channel's notifier from `notifier`.
 * @example createChannelHandler(() => buildChannelDeps('slack', slackNotifier))
 */
export async function buildChannelDeps(
  channel: Channel,
  notifier: NotifierFactory,
  options: ChannelDepsOptions = {},
): Promise<ChannelDeps> {
  const env = options.env ?? process.env;
  const clock = options.clock ?? systemClock;
  const config = options.config ?? (await readBundledConfig(env));
  const logger = createLogger({ base: { service: 'spend-alerts', channel }, destination: options.logDestination });
  const secrets = linkedSecrets(env, envSecrets(env));
  const metrics = Metrics.fromEnv(channel, env);
  const stores = ledgerStores(env, clock);
  const sqs = new SQSClient(awsClientConfig(env, 'SQS'));
  const queue = new SqsQueueActions(
    sqs,
    linkedResource<{ url: string }>(links.queue(channel), env).url,
    linkedResource<{ url: string }>(links.dlq(channel), env).url,
    channel,
  );
  const enricher = costEnricher(env, config, stores, clock, logger, (operation) => {
    metrics.count('CostExplorerRequests');
    options.onCostExplorerRequest?.(operation);
  });
  let accounts = directoryOf(config);
  if (config.organizations.enabled) accounts = await organizationDirectory(env, config, stores.cache, logger);
  return {
    channel,
    config,
    stores,
    accounts,
    notifier: notifier({ config, secrets, env, accounts }),
    enricher,
    queue,
    clock,
    logger,
    metrics,
  };
}
