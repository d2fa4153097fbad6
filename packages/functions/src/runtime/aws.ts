import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SQSClient } from '@aws-sdk/client-sqs';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import {
  awsClientConfig,
  loadOrganizationAccounts,
  mergedDirectory,
  createLogger,
  envSecrets,
  SesNotifier,
  SlackNotifier,
  WebhookNotifier,
  type Notifier,
  type SecretResolver,
} from '@spend-alerts/adapters';
import { deliveryTarget, directoryOf, type AccountDirectory, type Config } from '@spend-alerts/core';
import { links, type Channel } from '../../../../stacks/spec.ts';
import { systemClock, type ChannelDeps, type Clock } from '../pipeline/deps.ts';
import { readBundledConfig } from './config.ts';
import { linkedResource, linkedSecrets } from './resources.ts';
import { Metrics } from './metrics.ts';
import { costEnricher, ledgerStore } from './shared.ts';
import { SqsQueueActions } from './sqs-actions.ts';

/** A linked resource (see `linkedResource`). */
export const linked = linkedResource;

/** Builds a channel consumer's dependencies from SST links, secrets and the bundled config. */
export interface ChannelDepsOptions {
  env?: NodeJS.ProcessEnv;
  clock?: Clock;
  config?: Config;
  /** Where log lines go (default: standard output, as Lambda collects them). */
  logDestination?: NonNullable<Parameters<typeof createLogger>[0]>['destination'];
  onCostExplorerRequest?: (operation: string) => void;
}

export async function awsChannelDeps(channel: Channel, options: ChannelDepsOptions = {}): Promise<ChannelDeps> {
  const env = options.env ?? process.env;
  const clock = options.clock ?? systemClock;
  const config = options.config ?? readBundledConfig(env);
  const logger = createLogger({ base: { service: 'spend-alerts', channel }, destination: options.logDestination });
  const secrets = linkedSecrets(env, envSecrets(env));
  const metrics = Metrics.fromEnv(channel, env);
  const store = ledgerStore(env, clock);
  const sqs = new SQSClient(awsClientConfig(env, 'SQS'));
  const queue = new SqsQueueActions(sqs, linked<{ url: string }>(links.queue(channel), env).url, linked<{ url: string }>(links.dlq(channel), env).url, channel);
  const enricher = costEnricher(env, config, store, clock, logger, (operation) => {
    metrics.count('CostExplorerRequests');
    options.onCostExplorerRequest?.(operation);
  });
  let accounts = directoryOf(config);
  if (config.organizations.enabled) {
    // A lookup that fails (permissions, throttling) leaves the config's names: routing still works.
    accounts = await loadOrganizationAccounts({ client: new OrganizationsClient(awsClientConfig(env, 'ORGANIZATIONS', 'us-east-1')), cache: store, ttlMs: config.organizations.cacheTtl })
      .then((org) => mergedDirectory(config, org))
      .catch((error: Error) => {
        logger.warn({ err: error }, 'AWS Organizations accounts unavailable; using the config\'s accounts');
        return accounts;
      });
  }
  return {
    channel,
    config,
    store,
    accounts,
    notifier: notifierFor(channel, config, secrets, env, accounts),
    enricher,
    queue,
    clock,
    logger,
    metrics,
    threads: (receiver) => ({ get: (key) => store.getThread(deliveryTarget(receiver), key), put: (key, ts) => store.putThread(deliveryTarget(receiver), key, ts) }),
  };
}

function notifierFor(channel: Channel, config: Config, secrets: SecretResolver, env: NodeJS.ProcessEnv, accounts: AccountDirectory): Notifier {
  switch (channel) {
    case 'slack':
      return new SlackNotifier({ token: secrets(config.slack.tokenSecret), slackApiUrl: env.SLACK_API_URL, accounts }) as Notifier;
    case 'email':
      if (!config.email) throw new Error('email receivers need email.from in the config');
      return new SesNotifier({ client: new SESv2Client(awsClientConfig(env, 'SESV2')), from: config.email.from, configurationSet: config.email.configurationSet, accounts }) as Notifier;
    case 'webhook':
      return new WebhookNotifier({ secrets }) as Notifier;
  }
}
