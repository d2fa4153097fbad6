import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isCompiledConfig, readCompiledConfig, validateConfig } from '@spend-alerts/core';
import { afterAll, describe, expect, it } from 'vitest';
import { readDeployConfig, secretNames } from './deploy-config.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'spend-alerts-deploy-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the config a deploy is made from', () => {
  it('is the repository example by default, validated, as a path relative to the app root', () => {
    const { config, file } = readDeployConfig(ROOT, {});
    expect(file).toBe('spend-alerts.config.yaml');
    expect(config.receivers.length).toBeGreaterThan(0);
  });

  it('is written compiled to JSON for the functions, reading back as the validated config', () => {
    const { config, compiledFile } = readDeployConfig(ROOT, {});
    expect(compiledFile).toBe('.sst/spend-alerts.config.json');
    const text = readFileSync(path.join(ROOT, compiledFile), 'utf8');
    expect(isCompiledConfig(text)).toBe(true);
    expect(readCompiledConfig(text)).toEqual(config);
  });

  it('comes from SPEND_ALERTS_CONFIG when set', () => {
    const custom = path.join(dir, 'custom.yaml');
    writeFileSync(
      custom,
      'receivers: [{ name: ops, type: email, to: [ops@example.org] }]\nemail: { from: a@example.org }\nroute: { receiver: ops }\n',
    );
    const { file } = readDeployConfig(ROOT, { SPEND_ALERTS_CONFIG: custom });
    expect(path.resolve(ROOT, file)).toBe(custom);
  });

  it('stops the deploy when invalid, naming the path of each problem', () => {
    const broken = path.join(dir, 'broken.yaml');
    writeFileSync(
      broken,
      'receivers: [{ name: ops, type: email, to: [ops@example.org] }]\nroute: { receiver: nobody }\n',
    );
    expect(() => readDeployConfig(ROOT, { SPEND_ALERTS_CONFIG: broken })).toThrow(
      /route\.receiver: unknown receiver "nobody"/,
    );
  });
});

describe('the secrets a config names', () => {
  it('lists the Slack token only when a receiver posts to Slack, each secret once per channel, and those of digests', () => {
    const config = validateConfig({
      receivers: [
        { name: 'a', type: 'webhook', url: 'https://a.example.org', signingSecret: 'SharedSecret' },
        { name: 'b', type: 'webhook', urlSecret: 'HookUrl', signingSecret: 'SharedSecret' },
      ],
      route: { receiver: 'a' },
    });
    expect(secretNames(config)).toEqual({ byChannel: { webhook: ['SharedSecret', 'HookUrl'] }, digest: [] });
    const slack = validateConfig({
      slack: { tokenSecret: 'BotToken' },
      receivers: [{ name: 's', type: 'slack', channel: '#x' }],
      route: { receiver: 's' },
    });
    expect(secretNames(slack).byChannel).toEqual({ slack: ['BotToken'] });
    const teams = validateConfig({
      receivers: [{ name: 't', type: 'teams', urlSecret: 'TeamsUrl', mode: 'digest' }],
      route: { receiver: 't' },
    });
    expect(secretNames(teams)).toEqual({ byChannel: { teams: ['TeamsUrl'] }, digest: ['TeamsUrl'] });
  });
});
