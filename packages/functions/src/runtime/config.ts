import { readFileSync } from 'node:fs';
import { CompiledConfigError, isCompiledConfig, readCompiledConfig, type Config } from '@spend-alerts/core';

/** Where a deployed function finds its config when SPEND_ALERTS_CONFIG is not set. */
const DEFAULT_CONFIG_PATH = 'spend-alerts.config.json';
/**
 * The YAML loader, named by a variable so that bundlers leave it out: a deployed function carries
 * neither the YAML parser nor the config schema, and only local runs from source import it.
 */
const YAML_LOADER: string = '@spend-alerts/core/config-loader';

/**
 * The config, read once per cold start from the path in SPEND_ALERTS_CONFIG: the compiled JSON a deploy
 * bundles beside the handler (validated at deploy; read with `JSON.parse` alone), or, in local runs, the
 * YAML file itself, validated here (the loader is imported only then).
 * @throws CompiledConfigError when a bundled function finds a file that is not a compiled config.
 */
export async function readBundledConfig(env: NodeJS.ProcessEnv = process.env): Promise<Config> {
  const path = env.SPEND_ALERTS_CONFIG ?? DEFAULT_CONFIG_PATH;
  const text = readFileSync(path, 'utf8');
  if (isCompiledConfig(text)) return readCompiledConfig(text, path);
  let loader: typeof import('@spend-alerts/core/config-loader');
  try {
    loader = (await import(YAML_LOADER)) as typeof loader;
  } catch (error) {
    throw new CompiledConfigError(`${path}: not a compiled config, and no YAML loader in this bundle; deploy again`, {
      cause: error,
    });
  }
  return loader.loadConfig(text, path);
}
