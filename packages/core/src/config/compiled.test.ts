import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  COMPILED_CONFIG_FORMAT,
  CompiledConfigError,
  compileConfig,
  isCompiledConfig,
  readCompiledConfig,
} from './compiled.ts';
import { loadConfig } from './load.ts';

const EXAMPLE = readFileSync(new URL('../../../../spend-alerts.config.yaml', import.meta.url), 'utf8');

/** A config using digests, mute windows, silenced routes and webhooks: every kind of value the schema makes. */
const RICH = `
version: 1
email: { from: alerts@example.org }
slack: { tokenSecret: SlackBotToken }
receivers:
  - { name: ops, type: slack, channel: "#finops-alerts", threads: true }
  - { name: weekly, type: email, to: [finops@example.org], mode: digest }
  - { name: hook, type: webhook, urlSecret: HookUrl, signingSecret: HookSigning, timeoutMs: 3000 }
muteTimeWindows:
  - { name: nights, intervals: [{ times: [{ start: "22:00", end: "06:00" }] }] }
route:
  receiver: ops
  groupBy: [kind, accountId]
  groupWait: 30s
  routes:
    - { matchers: ['severity="critical"'], receiver: hook, continue: true }
    - { matchers: ['kind=~"budget.*"'], receiver: weekly, muteTimeWindows: [nights] }
`;

describe('a config compiled at deploy time', () => {
  it.each([
    ['the example', EXAMPLE],
    ['one with digests, mute windows and webhooks', RICH],
  ])('reads back, from JSON alone, as the config it was compiled from: %s', (_, yaml) => {
    const config = loadConfig(yaml);
    const text = compileConfig(config);
    expect(isCompiledConfig(text)).toBe(true);
    expect(readCompiledConfig(text)).toEqual(config);
  });

  it('keeps the compiled matchers working: their regular expressions come back', () => {
    const config = readCompiledConfig(compileConfig(loadConfig(RICH)));
    const matcher = config.route.routes[1]!.matchers[0]!;
    expect(matcher.regex).toBeInstanceOf(RegExp);
    expect(['budget-adjustment', 'anomaly'].map((k) => matcher.regex!.test(k))).toEqual([true, false]);
  });

  it('is told from a hand-written config, YAML or JSON', () => {
    expect(isCompiledConfig(EXAMPLE)).toBe(false);
    expect(isCompiledConfig(JSON.stringify({ version: 1, receivers: [] }))).toBe(false);
  });

  it.each([
    ['not JSON', 'receivers: []', /not a compiled config \(not JSON\)/],
    ['another format', JSON.stringify({ format: 'spend-alerts.compiled-config/0', config: {} }), /format spend-alerts/],
    ['no config', JSON.stringify({ format: COMPILED_CONFIG_FORMAT }), /deploy again/],
    ['null', 'null', /deploy again/],
  ])('refuses %s with a clear error naming the file', (_, text, message) => {
    expect(() => readCompiledConfig(text, '/var/task/spend-alerts.config.json')).toThrow(CompiledConfigError);
    expect(() => readCompiledConfig(text, '/var/task/spend-alerts.config.json')).toThrow(message);
    expect(() => readCompiledConfig(text, '/var/task/spend-alerts.config.json')).toThrow(/^\/var\/task\/spend-alerts/);
  });
});
