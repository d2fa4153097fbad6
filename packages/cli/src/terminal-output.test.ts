import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from './main.ts';
import { memoryIo } from './testing.ts';

/**
 * What the CLI prints may quote a message: an alarm name, an SNS field, a failure reason. Control
 * and bidi characters from it must not reach the terminal as such (ESC sequences erase lines or
 * fake links; CR overwrites a line; U+202E reverses it), and only an AWS SNS SubscribeURL is
 * offered as the place to confirm a subscription.
 */

const RAW_CONTROLS =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this finds.
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;

const HOSTILE_NAMES = [
  'cpu\u001b[2K\u001b[1A\rspend-alerts: all clear',
  '\u001b]8;;https://evil.example\u0007Open the console\u001b]8;;\u0007',
  'billing \u202eKO\u202c alarm',
  'c1 \u009b2J wipe',
  'nul\u0000 and del\u007f',
];

/** A billing alarm as CloudWatch publishes it (tests/fixtures/cloudwatch/billing-back-to-ok.json, shortened). */
const alarm = {
  AlarmName: 'billing-over-500',
  AlarmDescription: null,
  AWSAccountId: '123456789012',
  NewStateValue: 'ALARM',
  NewStateReason: 'Threshold Crossed: 1 datapoint [512.3 (14/07/25 06:00:00)] was greater than the threshold (500.0).',
  StateChangeTime: '2025-07-14T06:10:00.000+0000',
  Region: 'US East (N. Virginia)',
  AlarmArn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:billing-over-500',
  OldStateValue: 'OK',
  Trigger: {
    MetricName: 'EstimatedCharges',
    Namespace: 'AWS/Billing',
    StatisticType: 'Statistic',
    Statistic: 'MAXIMUM',
    Unit: null,
    Dimensions: [{ value: 'USD', name: 'Currency' }],
    Period: 21600,
    EvaluationPeriods: 1,
    ComparisonOperator: 'GreaterThanThreshold',
    Threshold: 500.0,
  },
};
const dir = mkdtempSync(join(tmpdir(), 'spend-alerts-terminal-'));
const configPath = join(dir, 'config.yaml');
writeFileSync(
  configPath,
  'email: { from: alerts@example.com }\nreceivers:\n  - { name: ops, type: email, to: [ops@example.com] }\nroute: { receiver: ops }\n',
);

describe('terminal output', () => {
  it.each(HOSTILE_NAMES)('route and normalize print %j with its controls made visible', async (name) => {
    const message = JSON.stringify({ ...alarm, AlarmName: name, AlarmDescription: name });
    for (const argv of [
      ['route', '-', '--config', configPath],
      ['normalize', '-'],
    ]) {
      const io = memoryIo(message);
      expect(await main(argv, io), io.err).toBe(0);
      expect(io.out + io.err).not.toMatch(RAW_CONTROLS);
      expect(io.out).toMatch(/\\u00(1b|9b|00|7f)|\\u202e/);
    }
  });

  it('normalize output is still the same JSON, read back', async () => {
    const name = HOSTILE_NAMES[2]!;
    const io = memoryIo(JSON.stringify({ ...alarm, AlarmName: name }));
    await main(['normalize', '-'], io);
    expect(JSON.parse(io.out).title).toContain(name.trim().split(' ')[0]);
    expect(JSON.parse(io.out).raw).toContain(name);
  });

  it('an error that quotes a file name is made safe too', async () => {
    const io = memoryIo();
    expect(await main(['normalize', 'no\u001b[2Jsuch.json'], io)).toBe(2);
    expect(io.err).not.toMatch(RAW_CONTROLS);
    expect(io.err).toContain('\\u001b[2J');
  });
});

describe('subscription confirmations', () => {
  const confirmation = (SubscribeURL: string) =>
    JSON.stringify({
      Type: 'SubscriptionConfirmation',
      TopicArn: 'arn:aws:sns:us-east-1:123456789012:SpendEvents',
      Message: 'You have chosen to subscribe',
      SubscribeURL,
    });

  it('prints an AWS SNS SubscribeURL as the place to confirm', async () => {
    const url = 'https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=x&Token=y';
    const io = memoryIo(confirmation(url));
    await main(['normalize'], io);
    expect(io.err).toContain(`confirm at ${url}`);
  });

  it.each([
    'https://evil.example/?Action=ConfirmSubscription',
    'https://sns.us-east-1.amazonaws.com.evil.example/',
    'http://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription',
    'https://sns.us-east-1.amazonaws.com@evil.example/',
    'javascript:alert(1)',
  ])('does not offer %s', async (url) => {
    const io = memoryIo(confirmation(url));
    await main(['normalize'], io);
    expect(io.err).not.toContain('confirm at');
    expect(io.err).not.toContain(url);
    expect(io.err).toContain('is not an AWS SNS address');
  });
});
