import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig, type Config } from '@spend-alerts/core';

/** The config file's name, at the app root when deploying and at the root of every function bundle. */
export const CONFIG_FILE = 'spend-alerts.config.yaml';

/** Where handlers find the bundled config: Lambda unpacks the bundle into /var/task. */
export const BUNDLED_CONFIG_PATH = `/var/task/${CONFIG_FILE}`;

export interface DeployConfig {
  config: Config;
  /** The config file relative to the app root, as SST's `copyFiles` wants it. */
  file: string;
}

/**
 * Reads and validates the config the deployment is made from: `$SPEND_ALERTS_CONFIG` or
 * `spend-alerts.config.yaml` at the app root. An invalid config stops the deploy with every problem
 * named by its path, before anything is created.
 * @throws ConfigError from `@spend-alerts/core`.
 */
export function readDeployConfig(root: string, env: NodeJS.ProcessEnv = process.env): DeployConfig {
  const absolute = path.resolve(root, env.SPEND_ALERTS_CONFIG ?? CONFIG_FILE);
  const file = path.relative(root, absolute);
  return { config: loadConfig(readFileSync(absolute, 'utf8'), file), file };
}

/** The secrets a config refers to, by name, and which functions read them. */
export interface SecretNames {
  /** The Slack bot token, when some receiver posts to Slack. */
  slackToken: string | undefined;
  /** Webhook signing secrets and secret URLs. */
  webhook: string[];
}

/** The names of the secrets the config refers to (each once), so only those must be set before a deploy. */
export function secretNames(config: Config): SecretNames {
  const webhook = new Set<string>();
  for (const receiver of config.receivers) {
    if (receiver.type !== 'webhook') continue;
    webhook.add(receiver.signingSecret);
    if (receiver.urlSecret) webhook.add(receiver.urlSecret);
  }
  const usesSlack = config.receivers.some((r) => r.type === 'slack');
  return { slackToken: usesSlack ? config.slack.tokenSecret : undefined, webhook: [...webhook] };
}
