import { Resource } from 'sst/resource';

/**
 * A linked resource or secret, by its SST name. A deployed function reads SST's encrypted resource
 * file (what `Resource.X` does); the local runtime and tests hand the same values down as
 * `SST_RESOURCE_<Name>` variables in an explicit environment, so several pipelines can share a process.
 */
export function linkedResource<T extends Record<string, unknown>>(
  name: string,
  env: NodeJS.ProcessEnv = process.env,
): T {
  const raw = env[`SST_RESOURCE_${name}`];
  if (raw) return JSON.parse(raw) as T;
  try {
    return (Resource as unknown as Record<string, T>)[name] as T;
  } catch {
    throw new Error(
      `resource ${name} is not linked to this function: link it in stacks/ (or set SST_RESOURCE_${name} locally)`,
    );
  }
}

/** Secrets by name: `Resource.<Name>.value` in a deployed function, else the environment (see `envSecrets`). */
export function linkedSecrets(
  env: NodeJS.ProcessEnv = process.env,
  fallback: (name: string) => string,
): (name: string) => string {
  return (name) => {
    if (env[`SST_RESOURCE_${name}`] || env[`SPEND_ALERTS_SECRET_${name}`]) return fallback(name);
    try {
      const value = (Resource as unknown as Record<string, { value?: string }>)[name]?.value;
      if (value) return value;
    } catch {
      // not linked: let the fallback say what to set
    }
    return fallback(name);
  };
}
