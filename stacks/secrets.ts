import type { Config } from '@spend-alerts/core';
import { secretNames } from './deploy-config.ts';

/**
 * The secrets the config names, as `sst.Secret`s: set each with `npx sst secret set <Name> <value>`
 * before deploying (SST refuses to deploy while one is unset). Handlers read them as `Resource.<Name>.value`.
 */
export function createSecrets(config: Config) {
  const names = secretNames(config);
  return {
    slackToken: names.slackToken ? new sst.Secret(names.slackToken) : undefined,
    webhook: names.webhook.map((name) => new sst.Secret(name)),
  };
}
