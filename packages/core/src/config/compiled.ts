import { SpendAlertsError } from '../errors.ts';
import type { Config } from './schema.ts';

/**
 * A config validated at deploy time and shipped to the functions as JSON, so that a cold start reads it
 * with `JSON.parse` alone: no YAML parser, no schema built. The format tag tells it from a hand-written file.
 */
export const COMPILED_CONFIG_FORMAT = 'spend-alerts.compiled-config/1';

/** A file meant as a compiled config is not one (or of another format). */
export class CompiledConfigError extends SpendAlertsError {}

/** The compiled form of a validated config. Compiled matchers carry regular expressions, kept as `{ $regex, flags }`. */
export function compileConfig(config: Config): string {
  return JSON.stringify({ format: COMPILED_CONFIG_FORMAT, config }, (_key, value: unknown) =>
    value instanceof RegExp ? { $regex: value.source, flags: value.flags } : value,
  );
}

function revive(_key: string, value: unknown): unknown {
  if (typeof value !== 'object' || value === null || !('$regex' in value)) return value;
  const { $regex, flags } = value as { $regex: unknown; flags?: unknown };
  return typeof $regex === 'string' ? new RegExp($regex, typeof flags === 'string' ? flags : '') : value;
}

/** True when `text` is a config compiled by {@link compileConfig} (checked without parsing it). */
export function isCompiledConfig(text: string): boolean {
  return text.startsWith(`{"format":"${COMPILED_CONFIG_FORMAT}"`);
}

/**
 * Reads a config compiled by {@link compileConfig}: validated when it was compiled, so trusted here.
 * @throws CompiledConfigError when the text is not a compiled config of this format.
 */
export function readCompiledConfig(text: string, source = 'compiled config'): Config {
  let data: { format?: unknown; config?: unknown };
  try {
    data = JSON.parse(text, revive) as typeof data;
  } catch {
    throw new CompiledConfigError(`${source}: not a compiled config (not JSON)`);
  }
  if (data?.format !== COMPILED_CONFIG_FORMAT || typeof data.config !== 'object' || data.config === null)
    throw new CompiledConfigError(`${source}: not a compiled config of format ${COMPILED_CONFIG_FORMAT}; deploy again`);
  return data.config as Config;
}
