import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, loadConfig, type Config } from '@spend-alerts/core';
import { CliError, readInputFile, type Io } from './io.ts';

const DEFAULT_NAMES = ['spend-alerts.config.yaml', 'spend-alerts.config.yml', 'spend-alerts.config.json'];

/** The config file to use: the one given, else `spend-alerts.config.yaml` (or .yml, .json) in the current directory. */
export function configPath(io: Io, given: unknown): string {
  if (typeof given === 'string') return given;
  const found = DEFAULT_NAMES.find((name) => existsSync(resolve(io.cwd, name)));
  if (!found)
    throw new CliError(
      `no configuration found: give --config FILE or create ${DEFAULT_NAMES[0]} (see the example in the repository)`,
    );
  return found;
}

/** Loads and validates the config; invalid config exits 1 with every problem listed. */
export async function readConfig(io: Io, given: unknown): Promise<{ path: string; config: Config }> {
  const path = configPath(io, given);
  const text = await readInputFile(io, path);
  try {
    return { path, config: loadConfig(text, path) };
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message, 1);
    throw error;
  }
}
