import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { readInput, unwrap } from '@spend-alerts/core';
import { isHeartbeat } from '@spend-alerts/functions/pipeline/heartbeat.ts';
import { startLocalStack, type LocalStack } from '@spend-alerts/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { helpText, parseCommandArgs, type Command } from '../command.ts';
import { CliError } from '../io.ts';
import { memoryIo } from '../testing.ts';
import { sendCommand } from './send.ts';

/** Runs a command as main does: parse, --help, exit codes of usage errors. */
async function runCommand(command: Command, argv: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const io = memoryIo('', cwd);
  io.env = env;
  const result = (code: number) => ({ code, out: io.out, err: io.err });
  try {
    const args = parseCommandArgs(command, argv);
    if (args.values.help) {
      io.stdout(helpText(command));
      return result(0);
    }
    return result(await command.run(args, io));
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    io.stderr(error.message);
    return result(error.exitCode);
  }
}

/** A working directory with the local.json the pipeline writes for `stack`. */
function pipelineDir(stack: LocalStack, pid = process.pid): string {
  const dir = mkdtempSync(join(tmpdir(), 'spend-alerts-cli-'));
  mkdirSync(join(dir, '.spend-alerts'));
  const state = {
    topicArn: stack.topicArn,
    endpoint: stack.snsSqsUrl,
    queues: stack.queues,
    dynamoUrl: stack.dynamoUrl,
    tableName: stack.tableName,
    pid,
  };
  writeFileSync(join(dir, '.spend-alerts', 'local.json'), JSON.stringify(state, null, 2));
  return dir;
}

let stack: LocalStack;
let cwd: string;
beforeAll(async () => {
  stack = await startLocalStack();
  cwd = pipelineDir(stack);
});
afterAll(async () => {
  await stack?.close();
  rmSync(cwd, { recursive: true, force: true });
});

/** Takes the message with SNS id `snsId` off the email queue (every channel's queue gets a copy). */
async function arrived(snsId: string): Promise<string> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const { Messages = [] } = await stack.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: stack.queues.email.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    for (const m of Messages) {
      await stack.sqs.send(
        new DeleteMessageCommand({ QueueUrl: stack.queues.email.url, ReceiptHandle: m.ReceiptHandle! }),
      );
      if (JSON.parse(m.Body!).MessageId === snsId) return m.Body!;
    }
  }
  throw new Error(`message ${snsId} never reached the email queue`);
}

const printed = (out: string) => ({
  snsId: /SNS message id: (\S+)/.exec(out)?.[1] ?? '',
  eventId: /event id: (\S+)/.exec(out)?.[1] ?? '',
});

describe('send', () => {
  it.each([
    ['budget', [], 'budget', /monthly-total/],
    [
      'budget',
      [
        '--name',
        'data-lake',
        '--limit',
        '3000',
        '--threshold',
        '100',
        '--amount',
        '3210.5',
        '--forecast',
        '--account',
        '222222222222',
      ],
      'budget',
      /data-lake/,
    ],
    [
      'billing-alarm',
      ['--threshold', '500', '--amount', '612.34', '--service', 'AmazonEC2'],
      'billing-alarm',
      /AmazonEC2/,
    ],
    ['billing-alarm', ['--state', 'OK'], 'billing-alarm', /estimated-charges/],
    [
      'anomaly',
      ['--amount', '1234.56', '--service', 'Amazon Relational Database Service'],
      'anomaly',
      /Amazon Relational Database Service/,
    ],
  ])(
    '%s %j reaches the queues in the exact format and normalizes with no diagnostic',
    async (kind, options, expectedKind, title) => {
      const { code, out, err } = await runCommand(sendCommand, [kind, ...options], cwd);
      expect(err).toBe('');
      expect(code).toBe(0);
      const { snsId, eventId } = printed(out);
      const [event] = readInput(await arrived(snsId)).events;
      expect(event).toMatchObject({ kind: expectedKind, id: eventId, diagnostics: [] });
      expect(event!.title).toMatch(title);
      expect(event!.source.topicArn).toBe(stack.topicArn);
    },
  );

  it('states the amounts asked for', async () => {
    const { out } = await runCommand(
      sendCommand,
      ['budget', '--limit', '500', '--threshold', '90', '--amount', '471.25'],
      cwd,
    );
    const [event] = readInput(await arrived(printed(out).snsId)).events;
    expect(
      event?.kind === 'budget' && [event.budget.limit?.amount, event.budget.spend?.amount, event.budget.alertType],
    ).toEqual([500, 471.25, 'ACTUAL']);
  });

  it('publishes a heartbeat the consumers recognize', async () => {
    const { code, out } = await runCommand(sendCommand, ['--heartbeat'], cwd);
    expect(code).toBe(0);
    const [item] = unwrap(await arrived(printed(out).snsId));
    expect(item?.type === 'message' && isHeartbeat(item)).toBe(true);
    expect(item?.type === 'message' && JSON.parse(item.raw)).toEqual({
      spendAlerts: 'heartbeat',
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
    });
  });

  it('publishes to a given topic on a given endpoint, with no local pipeline', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'spend-alerts-cli-'));
    const { code, out } = await runCommand(
      sendCommand,
      ['anomaly', '--endpoint', stack.snsSqsUrl, '--topic-arn', stack.topicArn],
      empty,
    );
    expect(code).toBe(0);
    expect(readInput(await arrived(printed(out).snsId)).events[0]!.kind).toBe('anomaly');
    // Without --topic-arn, the endpoint's SpendEvents topic.
    const found = await runCommand(sendCommand, ['budget', '--endpoint', stack.snsSqsUrl], empty);
    expect(found.out).toContain(`published budget to ${stack.topicArn}`);
    await arrived(printed(found.out).snsId);
  });

  it('says so when no local pipeline runs, or the one that wrote local.json has stopped', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'spend-alerts-cli-'));
    expect(await runCommand(sendCommand, ['budget'], empty)).toMatchObject({
      code: 2,
      err: 'no local pipeline: start it with npm start, or give --topic-arn',
    });
    // Bad options are reported first, whatever the target.
    expect(await runCommand(sendCommand, ['budget', '--amount', '1'], empty)).toMatchObject({
      code: 2,
      err: expect.stringMatching(/^--amount 1 is not above/),
    });
    const stopped = spawnSync(process.execPath, ['-e', '']).pid;
    expect(await runCommand(sendCommand, ['budget'], pipelineDir(stack, stopped))).toMatchObject({
      code: 2,
      err: expect.stringContaining('no local pipeline'),
    });
  });

  it.each([
    [[], /give a kind \(budget, billing-alarm, anomaly\) or --heartbeat/],
    [['bill'], /unknown kind "bill"/],
    [['budget', '--heartbeat'], /not both/],
    [['billing-alarm', '--limit', '10'], /--limit does not apply to billing-alarm/],
    [['--heartbeat', '--amount', '10'], /--amount does not apply to --heartbeat/],
    [['budget', '--amount', '700'], /--amount 700 is not above the alert threshold \(80% of 1000 = 800\)/],
    [
      ['billing-alarm', '--state', 'OK', '--amount', '2000'],
      /--amount 2000 is above --threshold 1000: the alarm would not be in OK/,
    ],
    [['billing-alarm', '--state', 'INSUFFICIENT_DATA'], /--state must be ALARM or OK/],
    [['anomaly', '--amount', 'lots'], /--amount must be a number/],
    [['budget', '--account', '12345'], /--account must be a 12-digit account id/],
    [['budget', '--topic-arn', 'arn:aws:sqs:us-east-1:123456789012:q'], /is not an SNS topic ARN/],
    [
      ['budget', '--topic-arn', 'arn:aws:sns:us-east-1:123456789012:t', '--region', 'eu-west-1'],
      /--region eu-west-1 does not match the topic's region us-east-1/,
    ],
    [['budget', '--colour', 'red'], /Unknown option '--colour'/],
  ])('rejects %j with exit 2', async (argv, message) => {
    const { code, err } = await runCommand(sendCommand, argv, cwd);
    expect(err).toMatch(message);
    expect(code).toBe(2);
  });

  it('fails with exit 1, saying what it was doing, when the topic does not exist', async () => {
    const { code, err } = await runCommand(
      sendCommand,
      ['budget', '--endpoint', stack.snsSqsUrl, '--topic-arn', 'arn:aws:sns:us-east-1:000000000000:Nope'],
      cwd,
    );
    expect(code).toBe(1);
    expect(err).toMatch(/^publishing to arn:aws:sns:us-east-1:000000000000:Nope failed: /);
  });

  it('has --help', async () => {
    const { code, out } = await runCommand(sendCommand, ['--help'], cwd);
    expect(code).toBe(0);
    expect(out).toContain('usage: spend-alerts send budget|billing-alarm|anomaly');
    expect(out).toContain('--heartbeat');
  });
});
