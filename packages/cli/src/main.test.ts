import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SpendEventSchema } from '@spend-alerts/core';
import { memoryIo } from './testing.ts';
import { main } from './main.ts';

const budget = `AWS Budget Notification May 3, 2024
AWS Account 123456789012

Budget Name: web
Budget Type: Cost
Budgeted Amount: $500.00
Alert Type: ACTUAL
Alert Threshold: > $400.00
ACTUAL Amount: $412.10
`;

describe('spend-alerts normalize', () => {
  it('prints one schema-valid event per line for a file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sa-cli-'));
    writeFileSync(join(dir, 'b.txt'), budget);
    const io = memoryIo('', dir);
    expect(await main(['normalize', 'b.txt'], io)).toBe(0);
    const lines = io.out.trim().split('\n');
    expect(lines).toHaveLength(1);
    const event = SpendEventSchema.parse(JSON.parse(lines[0]!));
    expect(event).toMatchObject({
      kind: 'budget',
      accountId: '123456789012',
      budget: { name: 'web', spend: { amount: 412.1 } },
    });
  });

  it('reads standard input with -', async () => {
    const io = memoryIo(
      JSON.stringify({
        Records: [
          { messageId: '1', eventSource: 'aws:sqs', body: budget },
          { messageId: '2', eventSource: 'aws:sqs', body: 'hello' },
        ],
      }),
    );
    expect(await main(['normalize', '-'], io)).toBe(0);
    expect(
      io.out
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).kind),
    ).toEqual(['budget', 'unrecognized']);
  });

  it('exits 2 naming a missing file', async () => {
    const io = memoryIo();
    expect(await main(['normalize', 'does-not-exist.json'], io)).toBe(2);
    expect(io.err).toContain('cannot read does-not-exist.json: no such file');
    expect(io.out).toBe('');
  });

  it('reports a subscription confirmation on stderr, not as an event', async () => {
    const io = memoryIo(
      JSON.stringify({
        Type: 'SubscriptionConfirmation',
        TopicArn: 'arn:aws:sns:us-east-1:1:t',
        Message: 'confirm',
        SubscribeURL: 'https://confirm',
      }),
    );
    expect(await main(['normalize'], io)).toBe(0);
    expect(io.out).toBe('');
    expect(io.err).toContain('SubscriptionConfirmation');
  });
});

describe('spend-alerts help and usage', () => {
  it('lists the commands with --help', async () => {
    const io = memoryIo();
    expect(await main(['--help'], io)).toBe(0);
    expect(io.out).toContain('normalize');
  });

  it.each([
    'normalize',
    'schema',
    'start',
    'route',
    'config',
    'silence',
    'send',
    'dlq',
    'budgets',
    'digest',
    'preview',
  ])('has --help for %s', async (name) => {
    const io = memoryIo();
    expect(await main([name, '--help'], io)).toBe(0);
    expect(io.out).toContain(`usage: spend-alerts ${name}`);
  });

  it('exits 2 on an unknown command or option', async () => {
    const io = memoryIo();
    expect(await main(['frobnicate'], io)).toBe(2);
    expect(io.err).toContain('unknown command "frobnicate"');
    const io2 = memoryIo();
    expect(await main(['normalize', '--bogus'], io2)).toBe(2);
    expect(io2.err).toContain("Unknown option '--bogus'");
  });
});

describe('published schemas', () => {
  it('are up to date with the code (run npm run schema when this fails)', async () => {
    const io = memoryIo();
    expect(await main(['schema', '--check'], io)).toBe(0);
    expect(io.err).toBe('');
  });
});
