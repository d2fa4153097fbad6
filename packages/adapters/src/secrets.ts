import { AdapterError } from './errors.ts';

/** A secret named in the config could not be found where the runtime keeps secrets. */
export class MissingSecretError extends AdapterError {}

export type SecretResolver = (name: string) => string;

/**
 * Resolves secrets by name, as SST links them: `SST_RESOURCE_<Name>` holds `{"value": "…"}` (what
 * `Resource.<Name>.value` reads in a deployed function). `SPEND_ALERTS_SECRET_<Name>` is accepted
 * too, for running outside SST. The error names the secret, never a value.
 */
export function envSecrets(env: NodeJS.ProcessEnv = process.env): SecretResolver {
  return (name) => {
    const linked = env[`SST_RESOURCE_${name}`];
    if (linked) {
      try {
        const value = (JSON.parse(linked) as { value?: unknown }).value;
        if (typeof value === 'string' && value) return value;
      } catch {
        // fall through to the plain variable
      }
    }
    const plain = env[`SPEND_ALERTS_SECRET_${name}`];
    if (plain) return plain;
    throw new MissingSecretError(
      `secret "${name}" is not set: run \`npx sst secret set ${name} <value>\` (or set SPEND_ALERTS_SECRET_${name} locally)`,
    );
  };
}
