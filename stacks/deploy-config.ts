import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  channelOf,
  compileConfig,
  isDigestReceiver,
  loadConfig,
  type Config,
  type ReceiverType,
} from '@spend-alerts/core';

/** The config file's name at the app root when deploying. */
export const CONFIG_FILE = 'spend-alerts.config.yaml';

/** The compiled config's name, at the root of every function bundle. */
export const COMPILED_CONFIG_FILE = 'spend-alerts.config.json';

/** Where the deploy writes the compiled config, relative to the app root (SST's own, ignored, folder). */
export const COMPILED_CONFIG_SOURCE = `.sst/${COMPILED_CONFIG_FILE}`;

/** Where handlers find the bundled config: Lambda unpacks the bundle into /var/task. */
export const BUNDLED_CONFIG_PATH = `/var/task/${COMPILED_CONFIG_FILE}`;

export interface DeployConfig {
  config: Config;
  /** The config file relative to the app root. */
  file: string;
  /** The compiled config (JSON, validated) relative to the app root, as SST's `copyFiles` wants it. */
  compiledFile: string;
}

/**
 * Reads and validates the config the deployment is made from: `$SPEND_ALERTS_CONFIG` or
 * `spend-alerts.config.yaml` at the app root, and writes it compiled to JSON for the functions
 * (`COMPILED_CONFIG_SOURCE`), so that a cold start neither parses YAML nor builds the schema. An invalid
 * config stops the deploy with every problem named by its path, before anything is created.
 * @throws ConfigError from `@spend-alerts/core`.
 */
export function readDeployConfig(root: string, env: NodeJS.ProcessEnv = process.env): DeployConfig {
  const absolute = path.resolve(root, env.SPEND_ALERTS_CONFIG ?? CONFIG_FILE);
  const file = path.relative(root, absolute);
  const config = loadConfig(readFileSync(absolute, 'utf8'), file);
  const compiled = path.join(root, COMPILED_CONFIG_SOURCE);
  mkdirSync(path.dirname(compiled), { recursive: true });
  writeFileSync(compiled, compileConfig(config));
  return { config, file, compiledFile: COMPILED_CONFIG_SOURCE };
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
