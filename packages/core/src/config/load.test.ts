import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './load.ts';

const EXAMPLE = new URL('../../../../spend-alerts.config.yaml', import.meta.url);

const minimal = `
receivers:
  - { name: ops, type: slack, channel: "#ops" }
route:
  receiver: ops
`;

function problems(yaml: string): string[] {
  try {
    loadConfig(yaml, 'test.yaml');
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('loads the example config shipped in the repository', () => {
    const config = loadConfig(readFileSync(EXAMPLE, 'utf8'));
    expect(config.receivers.map((r) => r.name)).toContain('finops-slack');
    expect(config.route.groupWait).toBe(30_000);
    expect(config.route.repeatInterval).toBe(86_400_000);
    const digest = config.receivers.find((r) => r.name === 'finops-digest');
    expect(digest).toMatchObject({
      type: 'email',
      mode: 'digest',
      digest: { every: 'day', hour: 8, timeZone: 'Europe/Berlin' },
    });
  });

  it('fills defaults for a minimal config', () => {
    const config = loadConfig(minimal);
    expect(config.slack.tokenSecret).toBe('SlackBotToken');
    expect(config.enrichment).toEqual({
      enabled: true,
      topServices: 5,
      cacheTtl: 12 * 3_600_000,
      maxRequestsPerMonth: 60,
    });
    expect(config.receivers[0]).toMatchObject({ mode: 'immediate', threads: true, mention: {} });
  });

  it('accepts JSON as well as YAML', () => {
    const config = loadConfig(
      JSON.stringify({ receivers: [{ name: 'x', type: 'slack', channel: '#x' }], route: { receiver: 'x' } }),
      'c.json',
    );
    expect(config.route.receiver).toBe('x');
  });

  it('gives a digest schedule to digest receivers that set none', () => {
    const config = loadConfig(minimal.replace('channel: "#ops" }', 'channel: "#ops", mode: digest }'));
    expect(config.receivers[0]).toMatchObject({ digest: { every: 'day', hour: 8, timeZone: 'UTC' } });
  });

  it.each([
    ['an unknown top-level key', `${minimal}\nrouts: []`, 'routs'],
    [
      'an unknown receiver in a route',
      `${minimal}  routes:\n    - receiver: opz\n`,
      'route.routes[0].receiver: unknown receiver "opz" (known: ops)',
    ],
    [
      'a missing default receiver',
      minimal.replace('  receiver: ops', '  groupWait: 10s'),
      'route.receiver: the top-level route needs a default receiver',
    ],
    ['an unknown receiver type', minimal.replace('type: slack', 'type: teams'), 'receivers[0]'],
    ['a bad channel', minimal.replace('"#ops"', '"ops channel"'), 'receivers[0].channel'],
    [
      'a bad duration',
      minimal.replace('  receiver: ops', '  receiver: ops\n  groupWait: soon'),
      'route.groupWait: "soon" is not a duration',
    ],
    [
      'a bad matcher',
      `${minimal}  routes:\n    - matchers: ["kind ~ budget"]\n`,
      'route.routes[0].matchers[0]: "kind ~ budget" is not a matcher',
    ],
    [
      'an unknown label',
      `${minimal}  routes:\n    - matchers: ["knd = budget"]\n`,
      'route.routes[0].matchers[0]: unknown label "knd"',
    ],
    ['an invalid regex', `${minimal}  routes:\n    - matchers: ['kind =~ "("']\n`, 'invalid regular expression'],
    [
      'a secret value where a name belongs',
      `${minimal}slack: { tokenSecret: xoxb-123-456-abc }\n`,
      'slack.tokenSecret: looks like a secret value',
    ],
    [
      'a duplicate receiver name',
      minimal.replace('receivers:\n', 'receivers:\n  - { name: ops, type: slack, channel: "#ops2" }\n'),
      'receivers[1].name: "ops" is used by another receiver',
    ],
    [
      'an email receiver without a sender',
      minimal.replace('  - { name: ops', '  - { name: mail, type: email, to: [a@example.com] }\n  - { name: ops'),
      'email receivers need a top-level email.from',
    ],
    [
      'a webhook with neither url nor urlSecret',
      minimal.replace(
        '  - { name: ops',
        '  - { name: hook, type: webhook, signingSecret: HookSecret }\n  - { name: ops',
      ),
      'receivers[0].url: give exactly one of url and urlSecret',
    ],
    [
      'a plain-http webhook',
      minimal.replace(
        '  - { name: ops',
        '  - { name: hook, type: webhook, url: "http://example.com/x", signingSecret: HookSecret }\n  - { name: ops',
      ),
      'must be https',
    ],
    [
      'an unknown mute window',
      minimal.replace('  receiver: ops', '  receiver: ops\n  muteTimeWindows: [weekend]'),
      'route.muteTimeWindows[0]: unknown mute time window "weekend"',
    ],
    [
      'a bad time zone',
      minimal.replace('channel: "#ops" }', 'channel: "#ops", mode: digest, digest: { timeZone: Mars/Olympus } }'),
      'receivers[0].digest.timeZone: not an IANA time zone',
    ],
    [
      'an unknown key in a receiver',
      minimal.replace('channel: "#ops" }', 'channel: "#ops", chanel: "#x" }'),
      'receivers[0]: unknown key "chanel"',
    ],
    ['a bad account id', `${minimal}accounts: { "12345": { name: x } }\n`, 'accounts.12345'],
    ['YAML that does not parse', 'receivers: [\n', 'not valid YAML or JSON (line'],
    ['an empty file', '', 'the file is empty'],
  ])('reports %s with its path', (_what, yaml, expected) => {
    const found = problems(yaml);
    expect(found.length).toBeGreaterThan(0);
    expect(found.join('\n')).toContain(expected);
  });

  it('lists every problem at once, not only the first', () => {
    const found = problems(`${minimal}  routes:\n    - receiver: a\n    - receiver: b\n`);
    expect(found).toEqual([
      'route.routes[0].receiver: unknown receiver "a" (known: ops)',
      'route.routes[1].receiver: unknown receiver "b" (known: ops)',
    ]);
  });

  it('names the source file in the error message', () => {
    expect(() => loadConfig('route: {}', 'my.yaml')).toThrow(/^my\.yaml: invalid configuration/);
  });
});
