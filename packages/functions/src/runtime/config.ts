import { readFileSync } from 'node:fs';
import { loadConfig, type Config } from '@spend-alerts/core';

/**
 * The validated config: bundled with the function at deploy (`spend-alerts.config.yaml` beside the
 * handler) or at the path in SPEND_ALERTS_CONFIG. Read once per cold start.
 */
export function readBundledConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const path = env.SPEND_ALERTS_CONFIG ?? 'spend-alerts.config.yaml';
  return loadConfig(readFileSync(path, 'utf8'), path);
}
