/** One label matcher, as Alertmanager writes them: `kind = budget`, `service =~ "Amazon(EC2|RDS)"`. */
export interface Matcher {
  label: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
  /** Compiled, anchored at both ends, for the regex operators. */
  regex: RegExp | null;
}

const MATCHER = /^\s*([A-Za-z_][A-Za-z0-9_.]*)\s*(=~|!~|!=|=)\s*(.*?)\s*$/;

/** Parses `label op value`; the value may be double-quoted. Throws an Error saying what is wrong. */
export function parseMatcher(text: string): Matcher {
  const m = MATCHER.exec(text);
  if (!m)
    throw new Error(
      `"${text}" is not a matcher such as kind = budget, severity =~ "warning|critical" or accountName != sandbox`,
    );
  const [, label, op, rawValue] = m as unknown as [string, string, Matcher['op'], string];
  let value = rawValue;
  if (value.startsWith('"')) {
    try {
      value = JSON.parse(value) as string;
    } catch {
      throw new Error(`"${text}": the quoted value is not closed`);
    }
  }
  let regex: RegExp | null = null;
  if (op === '=~' || op === '!~') {
    // Alertmanager users write RE2's leading (?i) for case-insensitive matching; JavaScript takes it as a flag.
    const insensitive = value.startsWith('(?i)');
    try {
      regex = new RegExp(`^(?:${insensitive ? value.slice(4) : value})$`, insensitive ? 'i' : '');
    } catch (error) {
      throw new Error(`"${text}": invalid regular expression: ${(error as Error).message}`);
    }
  }
  return { label, op, value, regex };
}

/** Labels of an event: a label may hold several values (an anomaly's root-cause services). */
export type Labels = Record<string, string | string[]>;

/**
 * Whether one matcher accepts the labels. A missing label reads as the empty string, as in
 * Alertmanager, so `service != AmazonEC2` matches an event with no service. For a label with
 * several values, `=` and `=~` need one value to match, `!=` and `!~` need none to.
 */
export function matches(matcher: Matcher, labels: Labels): boolean {
  const raw = labels[matcher.label];
  let hit = false;
  if (typeof raw === 'string') hit = accepts(matcher, raw);
  else if (raw === undefined || raw.length === 0) hit = accepts(matcher, '');
  else for (let i = 0; i < raw.length && !hit; i++) hit = accepts(matcher, raw[i]!);
  return matcher.op === '=' || matcher.op === '=~' ? hit : !hit;
}

/** Whether one value equals the matcher's value, or matches its regex. */
function accepts(matcher: Matcher, value: string): boolean {
  return matcher.regex ? matcher.regex.test(value) : value === matcher.value;
}

export function formatMatcher(m: Matcher): string {
  return `${m.label} ${m.op} ${JSON.stringify(m.value)}`;
}
