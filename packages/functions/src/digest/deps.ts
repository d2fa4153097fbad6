import { SESv2Client } from '@aws-sdk/client-sesv2';
import type { CostExplorerEnricher, DigestLedger, KeyValueCache, Logger } from '@spend-alerts/adapters';
import { awsClientConfig } from '@spend-alerts/adapters/aws';
import { SHIPPED_FONT, svgToPng } from '@spend-alerts/adapters/chart';
import { SesDigestSender } from '@spend-alerts/adapters/email/digest';
import { createLogger } from '@spend-alerts/adapters/log';
import { envSecrets } from '@spend-alerts/adapters/secrets';
import { SlackDigestSender } from '@spend-alerts/adapters/slack/digest';
import { TeamsDigestSender } from '@spend-alerts/adapters/teams/digest';
import { DeliveryError } from '@spend-alerts/adapters/errors';
import { LOCAL_ENDPOINTS_ENV } from '../runtime/notifiers/teams.ts';
import type { AccountDirectory, Config, DigestCapableReceiver, Digest } from '@spend-alerts/core';
import { systemClock, type Clock } from '../pipeline/deps.ts';
import { linkedSecrets } from '../runtime/resources.ts';
import { costEnricher, ledgerStores } from '../runtime/shared.ts';
import { readBundledConfig } from '../runtime/config.ts';
import { organizationDirectory } from '../runtime/organizations.ts';

/** The receivers that get digests: those of every channel whose definition takes digests. */
export type DigestReceiver = DigestCapableReceiver;

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
  /** One sender per channel; a channel without one fails its digests for good, with the sender's reason. */
  senders: { [T in DigestReceiver['type']]?: DigestSender<Extract<DigestReceiver, { type: T }>> };
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
  const config = options.config ?? (await readBundledConfig(env));
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
        : missingSender('set email.from in the config'),
      slack: new SlackDigestSender({ token: () => secrets(config.slack.tokenSecret), slackApiUrl: env.SLACK_API_URL }),
      teams: new TeamsDigestSender({ secrets, env, allowLoopback: env[LOCAL_ENDPOINTS_ENV] === '1' }),
    },
    renderChart: (svg) => svgToPng(svg, { fontFile }),
    clock,
    logger,
    // Digests name accounts as the alerts do: from the organization too when the config says so.
    accounts: config.organizations.enabled ? await organizationDirectory(env, config, stores.cache, logger) : undefined,
  };
}

/** A sender for a channel that cannot send digests as configured: each digest fails for good, saying why. */
function missingSender<R extends DigestReceiver>(reason: string): DigestSender<R> {
  return {
    send: async () => {
      throw new DeliveryError(`no digest sender: ${reason}`, 'permanent');
    },
  };
}
