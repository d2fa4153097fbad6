import { SESv2Client } from '@aws-sdk/client-sesv2';
import type { CostExplorerEnricher, DigestLedger, KeyValueCache, Logger } from '@spend-alerts/adapters';
import { awsClientConfig } from '@spend-alerts/adapters/aws';
import { SHIPPED_FONT, svgToPng } from '@spend-alerts/adapters/chart';
import { SesDigestSender } from '@spend-alerts/adapters/email/digest';
import { createLogger } from '@spend-alerts/adapters/log';
import { envSecrets } from '@spend-alerts/adapters/secrets';
import { SlackDigestSender } from '@spend-alerts/adapters/slack/digest';
import type { AccountDirectory, Config, Digest, EmailReceiver, SlackReceiver } from '@spend-alerts/core';
import { systemClock, type Clock } from '../pipeline/deps.ts';
import { linkedSecrets } from '../runtime/resources.ts';
import { costEnricher, ledgerStores } from '../runtime/shared.ts';
import { readBundledConfig } from '../runtime/config.ts';
import { organizationDirectory } from '../runtime/organizations.ts';

/** The receivers that get digests: Slack and email (webhooks are immediate only). */
export type DigestReceiver = EmailReceiver | SlackReceiver;

/**
 * Delivers one digest to one receiver. Throws `DeliveryError`, whose `retryable` says whether the
 * next run should try the period again. `chart` is the PNG of `digest.chart`; when there is none
 * the digest comes with `chart: null`, so nothing refers to a missing image.
 */
export interface DigestSender<R extends DigestReceiver> {
  send(digest: Digest, receiver: R, chart: Buffer | null, now: Date): Promise<{ ref: string | null; chart: string }>;
}

/** What the digest run reads and writes in the ledger: the digest buffer and periods, and the previous digest's snapshot. */
export interface DigestStores {
  digests: DigestLedger;
  cache: Pick<KeyValueCache, 'getCached' | 'putCached'>;
}

/** Everything the digest run needs, injected: tests and the local runtime pass their own clock and stand-ins. */
export interface DigestDeps {
  config: Config;
  stores: DigestStores;
  /** Current costs; null when enrichment is off. */
  costs: Pick<CostExplorerEnricher, 'enrichAccount'> | null;
  /** One sender per channel; a channel without one (email without `email.from`) fails its digests for good. */
  senders: { email?: DigestSender<EmailReceiver>; slack?: DigestSender<SlackReceiver> };
  /** SVG to PNG, with the font the function ships. */
  renderChart(svg: string): Buffer;
  clock: Clock;
  logger: Logger;
  /** Account names and tags: the config's, and the organization's with `organizations.enabled` (default: the config's). */
  accounts?: AccountDirectory;
}

export interface DigestDepsOptions {
  env?: NodeJS.ProcessEnv;
  clock?: Clock;
  config?: Config;
  /** Where log lines go (default: standard output, as Lambda collects them). */
  logDestination?: NonNullable<Parameters<typeof createLogger>[0]>['destination'];
  onCostExplorerRequest?: (operation: string) => void;
}

/**
 * The environment variable naming the chart font inside a bundled function (the adapters' own
 * path does not survive bundling); unset, the font beside the adapters' source is used.
 */
export const CHART_FONT_ENV = 'SPEND_ALERTS_CHART_FONT';

/**
 * Builds the digest function's dependencies as a deployed function has them: the ledger table
 * from its SST link, the Slack token from its secret (read at the first Slack digest), endpoints
 * and credentials through `awsClientConfig`, the bundled config.
 */
export async function awsDigestDeps(options: DigestDepsOptions = {}): Promise<DigestDeps> {
  const env = options.env ?? process.env;
  const clock = options.clock ?? systemClock;
  const config = options.config ?? readBundledConfig(env);
  const logger = createLogger({
    base: { service: 'spend-alerts', channel: 'digest' },
    destination: options.logDestination,
  });
  const secrets = linkedSecrets(env, envSecrets(env));
  const stores = ledgerStores(env, clock);
  const costs = costEnricher(env, config, stores, clock, logger, options.onCostExplorerRequest);
  const fontFile = env[CHART_FONT_ENV] ?? SHIPPED_FONT.file;
  return {
    config,
    stores,
    costs,
    senders: {
      email: config.email
        ? new SesDigestSender({
            client: new SESv2Client(awsClientConfig(env, 'SESV2')),
            from: config.email.from,
            configurationSet: config.email.configurationSet,
          })
        : undefined,
      slack: new SlackDigestSender({ token: () => secrets(config.slack.tokenSecret), slackApiUrl: env.SLACK_API_URL }),
    },
    renderChart: (svg) => svgToPng(svg, { fontFile }),
    clock,
    logger,
    // Digests name accounts as the alerts do: from the organization too when the config says so.
    accounts: config.organizations.enabled ? await organizationDirectory(env, config, stores.cache, logger) : undefined,
  };
}
