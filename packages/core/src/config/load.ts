import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { SpendAlertsError } from '../errors.ts';
import { ConfigSchema, type Config, type RouteConfig } from './schema.ts';
import { DigestScheduleSchema } from './primitives.ts';
import { isKnownLabel, LABEL_NAMES } from '../routing/labels.ts';
import { isDigestReceiver, takesDigests } from '../channels/registry.ts';

/** The config is invalid; `problems` lists each one as `path: what is wrong`. */
export class ConfigError extends SpendAlertsError {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`${source}: invalid configuration\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Formats a zod issue path the way people write it: `route.routes[2].receiver`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out ? `.${String(key)}` : String(key);
  return out || '(top level)';
}

/**
 * Parses and validates a configuration (YAML or JSON text): unknown keys rejected, cross-field
 * rules checked, every problem named by its path. Validate once, at the edge; inside, trust it.
 * @throws ConfigError with every problem found.
 */
export function loadConfig(text: string, source = 'spend-alerts.config.yaml'): Config {
  let data: unknown;
  try {
    data = parseYaml(text, { prettyErrors: true, uniqueKeys: true });
  } catch (error) {
    const where =
      error instanceof YAMLParseError && error.linePos
        ? ` (line ${error.linePos[0].line}, column ${error.linePos[0].col})`
        : '';
    throw new ConfigError(source, [`not valid YAML or JSON${where}: ${(error as Error).message.split('\n')[0]}`]);
  }
  if (data === null || data === undefined) throw new ConfigError(source, ['the file is empty']);
  return validateConfig(data, source);
}

/** Validates an already parsed configuration object. */
export function validateConfig(data: unknown, source = 'config'): Config {
  const parsed = ConfigSchema.safeParse(data);
  if (!parsed.success) throw new ConfigError(source, describeIssues(parsed.error.issues));
  const problems = crossFieldProblems(parsed.data);
  if (problems.length) throw new ConfigError(source, problems);
  return withDigestDefaults(parsed.data);
}

function describeIssues(issues: z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => {
    const path = formatPath(issue.path);
    if (issue.code === 'unrecognized_keys')
      return `${path}: unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    if (issue.code === 'invalid_key') return `${path}: invalid key: ${issue.issues[0]?.message ?? issue.message}`;
    return `${path}: ${issue.message}`;
  });
}

function crossFieldProblems(config: Config): string[] {
  const problems: string[] = [];
  const receivers = new Set<string>();
  config.receivers.forEach((r, i) => {
    if (receivers.has(r.name)) problems.push(`receivers[${i}].name: "${r.name}" is used by another receiver`);
    receivers.add(r.name);
    if (r.type === 'email' && !config.email)
      problems.push(`receivers[${i}]: email receivers need a top-level email.from (the verified SES sender)`);
    if (takesDigests(r) && r.mode === 'immediate' && r.digest)
      problems.push(`receivers[${i}].digest: only used with mode: digest`);
  });
  const budgetNames = new Set<string>();
  config.budgets.forEach((b, i) => {
    if (budgetNames.has(b.name)) problems.push(`budgets[${i}].name: "${b.name}" is used by another budget`);
    budgetNames.add(b.name);
  });
  const alarmNames = new Set<string>();
  config.billingAlarms.forEach((a, i) => {
    if (alarmNames.has(a.name)) problems.push(`billingAlarms[${i}].name: "${a.name}" is used by another alarm`);
    alarmNames.add(a.name);
  });
  const windows = new Set(config.muteTimeWindows.map((w) => w.name));
  if (!config.route.receiver) problems.push('route.receiver: the top-level route needs a default receiver');
  const visit = (route: RouteConfig, path: string) => {
    if (route.receiver !== undefined && !receivers.has(route.receiver)) {
      problems.push(`${path}.receiver: unknown receiver "${route.receiver}" (known: ${[...receivers].join(', ')})`);
    }
    route.muteTimeWindows?.forEach((name, i) => {
      if (!windows.has(name)) problems.push(`${path}.muteTimeWindows[${i}]: unknown mute time window "${name}"`);
    });
    route.groupBy?.forEach((label, i) => {
      if (label !== '...' && !isKnownLabel(label)) {
        problems.push(`${path}.groupBy[${i}]: unknown label "${label}" (known: ${LABEL_NAMES.join(', ')}, tag.<name>)`);
      }
    });
    route.matchers.forEach((m, i) => {
      if (!isKnownLabel(m.label)) {
        problems.push(
          `${path}.matchers[${i}]: unknown label "${m.label}" (known: ${LABEL_NAMES.join(', ')}, tag.<name>)`,
        );
      }
    });
    for (const [i, child] of route.routes.entries()) visit(child, `${path}.routes[${i}]`);
  };
  visit(config.route, 'route');
  return problems;
}

function withDigestDefaults(config: Config): Config {
  return {
    ...config,
    receivers: config.receivers.map((r) =>
      isDigestReceiver(r) && !r.digest ? { ...r, digest: DigestScheduleSchema.parse({}) } : r,
    ),
  };
}
