import type { Config } from '@spend-alerts/core';
import type { Channel } from './spec.ts';
import { secretNames } from './deploy-config.ts';

/**
 * The secrets the config names, as `sst.Secret`s: set each with `npx sst secret set <Name> <value>`
 * before deploying (SST refuses to deploy while one is unset). Handlers read them as `Resource.<Name>.value`.
 * Each is created once, and linked to the functions that read it.
 */
export function createSecrets(config: Config) {
  const names = secretNames(config);
  const unique = [...new Set([...Object.values(names.byChannel).flat(), ...names.digest])];
  const all = new Map(unique.map((name) => [name, new sst.Secret(name)]));
  const secrets = (list: string[] | undefined) => (list ?? []).map((name) => all.get(name)!);
  return {
    /** The secrets one channel's consumer reads. */
    forChannel: (channel: Channel) => secrets(names.byChannel[channel]),
    /** The secrets the digest job reads. */
    digest: secrets(names.digest),
  };
}
