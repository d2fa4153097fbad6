import { readFileSync } from 'node:fs';
import path from 'node:path';
import { channelOf, isDigestReceiver, loadConfig, type Config, type ReceiverType } from '@spend-alerts/core';

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
  /** Per channel, the secrets delivering to its receivers reads (the Slack token, signing secrets, secret URLs), each once. */
  byChannel: Partial<Record<ReceiverType, string[]>>;
  /** The secrets the digest job reads: those of the receivers in digest mode. */
  digest: string[];
}

/** The names of the secrets the config refers to (each once), so only those must be set before a deploy. */
export function secretNames(config: Config): SecretNames {
  const byChannel: Partial<Record<ReceiverType, Set<string>>> = {};
  const digest = new Set<string>();
  for (const receiver of config.receivers) {
    const names = channelOf(receiver).secrets(receiver, config);
    const channel = byChannel[receiver.type] ?? new Set();
    for (const name of names) channel.add(name);
    byChannel[receiver.type] = channel;
    if (isDigestReceiver(receiver)) for (const name of names) digest.add(name);
  }
  return {
    byChannel: Object.fromEntries(Object.entries(byChannel).map(([channel, names]) => [channel, [...names]])),
    digest: [...digest],
  };
}
