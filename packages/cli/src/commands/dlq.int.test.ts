import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReceiveMessageCommand, SendMessageCommand, type MessageAttributeValue } from '@aws-sdk/client-sqs';
import { startLocalStack, type LocalStack } from '@spend-alerts/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { helpText, parseCommandArgs } from '../command.ts';
import { CliError } from '../io.ts';
import { memoryIo } from '../testing.ts';
import { dlqCommand } from './dlq.ts';

async function dlq(argv: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const io = memoryIo('', cwd);
  io.env = env;
  try {
    const args = parseCommandArgs(dlqCommand, argv);
    if (args.values.help) io.stdout(helpText(dlqCommand));
    const code = args.values.help ? 0 : await dlqCommand.run(args, io);
    return { code, out: io.out, err: io.err };
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    return { code: error.exitCode, out: io.out, err: error.message };
  }
}

const BUDGET = `AWS Budget Notification May 14, 2026
AWS Account 111111111111

Budget Name: web
Budget Type: Cost
Budgeted Amount: $500.00
Alert Type: ACTUAL
Alert Threshold: > $400.00
ACTUAL Amount: $560.00
`;

let stack: LocalStack;
let cwd: string;
beforeAll(async () => {
  stack = await startLocalStack();
  cwd = mkdtempSync(join(tmpdir(), 'spend-alerts-dlq-'));
  mkdirSync(join(cwd, '.spend-alerts'));
  const state = {
    topicArn: stack.topicArn,
    endpoint: stack.snsSqsUrl,
    queues: stack.queues,
    dynamoUrl: stack.dynamoUrl,
    tableName: stack.tableName,
    pid: process.pid,
  };
  writeFileSync(join(cwd, '.spend-alerts', 'local.json'), JSON.stringify(state));
});
afterAll(async () => {
  await stack?.close();
  rmSync(cwd, { recursive: true, force: true });
});

/** Dead-letters an SNS-wrapped budget notification as the consumer does, with its reason attributes. */
async function deadLetter(
  channel: 'slack' | 'email' | 'webhook',
  reason: string,
): Promise<{ id: string; body: string }> {
  const body = JSON.stringify({
    Type: 'Notification',
    MessageId: crypto.randomUUID(),
    TopicArn: stack.topicArn,
    Subject: 'AWS Budgets: web has exceeded your alert threshold',
    Message: BUDGET,
    Timestamp: new Date().toISOString(),
  });
  const attr = (value: string): MessageAttributeValue => ({ DataType: 'String', StringValue: value });
  const attributes = {
    'spend-alerts-reason': attr(reason),
    'spend-alerts-failure': attr('permanent'),
    'spend-alerts-receiver': attr(`ops-${channel}`),
    'spend-alerts-channel': attr(channel),
  };
  const { MessageId } = await stack.sqs.send(
    new SendMessageCommand({
      QueueUrl: stack.queues[channel].dlqUrl,
      MessageBody: body,
      MessageAttributes: attributes,
    }),
  );
  return { id: MessageId!, body };
}

describe('dlq', () => {
  it('lists, then redrives one record to its queue without its dead-letter attributes', async () => {
    const first = await deadLetter('slack', 'Slack answered channel_not_found');
    const other = await deadLetter('webhook', 'webhook answered 410');

    const listed = await dlq(['list'], cwd);
    expect(listed.code).toBe(0);
    const lines = listed.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^CHANNEL +MESSAGE ID +RECEIVER +FAILURE +REASON +EXCERPT$/);
    expect(lines.find((l) => l.includes(first.id))).toMatch(
      /^slack +\S+ +ops-slack +permanent +Slack answered channel_not_found +AWS Budget Notification May 14, 2026 AWS Account 1111111111…$/,
    );
    expect(lines.find((l) => l.includes(other.id))).toMatch(/^webhook .* webhook answered 410 /);

    const json = JSON.parse((await dlq(['list', '--channel', 'slack', '--json'], cwd)).out);
    expect(json).toEqual([
      {
        channel: 'slack',
        messageId: first.id,
        receiver: 'ops-slack',
        failure: 'permanent',
        reason: 'Slack answered channel_not_found',
        body: first.body,
      },
    ]);

    const moved = await dlq(['redrive', '--channel', 'slack', '--message-id', first.id], cwd);
    expect(moved).toMatchObject({ code: 0, out: `slack: moved 1 record back to ${stack.queues.slack.url}\n` });
    const { Messages = [] } = await stack.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: stack.queues.slack.url,
        MessageAttributeNames: ['All'],
        WaitTimeSeconds: 1,
      }),
    );
    expect(Messages.map((m) => [m.Body, m.MessageAttributes ?? {}])).toEqual([[first.body, {}]]);

    const after = JSON.parse((await dlq(['list', '--json'], cwd)).out);
    expect(after.map((l: { messageId: string }) => l.messageId)).toEqual([other.id]);
    expect(await dlq(['redrive', '--message-id', first.id], cwd)).toMatchObject({
      code: 1,
      err: `no dead-lettered record ${first.id} (slack, email, webhook, teams)`,
    });

    expect((await dlq(['redrive'], cwd)).out).toBe(`webhook: moved 1 record back to ${stack.queues.webhook.url}\n`);
    expect((await dlq(['list'], cwd)).out).toBe('no dead-lettered records (slack, email, webhook, teams)\n');
  });

  it('reaches a deployed pipeline by its queue URLs with the standard configuration', async () => {
    const env = { AWS_ENDPOINT_URL_SQS: stack.snsSqsUrl, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' };
    const elsewhere = mkdtempSync(join(tmpdir(), 'spend-alerts-dlq-'));
    const { id } = await deadLetter('email', 'SES answered MessageRejected');
    const urls = ['--dlq-url', stack.queues.email.dlqUrl, '--queue-url', stack.queues.email.url];
    expect((await dlq(['list', '--dlq-url', stack.queues.email.dlqUrl], elsewhere, env)).out).toMatch(
      new RegExp(`^EmailDeadLetters +${id} +ops-email +permanent +SES answered MessageRejected`, 'm'),
    );
    expect(await dlq(['redrive', ...urls, '--channel', 'email'], elsewhere, env)).toMatchObject({
      code: 0,
      out: `email: moved 1 record back to ${stack.queues.email.url}\n`,
    });
    const { Messages = [] } = await stack.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: stack.queues.email.url, WaitTimeSeconds: 1 }),
    );
    expect(Messages).toHaveLength(1);
  });

  it.each([
    [[], 2, /give an action: list or redrive/],
    [['purge'], 2, /unknown action "purge"/],
    [['list', '--channel', 'sms'], 2, /--channel must be one of slack, email, webhook, teams, not "sms"/],
    [['list', '--message-id', 'x'], 2, /--message-id applies to redrive/],
    [
      ['redrive', '--dlq-url', 'https://sqs.us-east-1.amazonaws.com/123456789012/d'],
      2,
      /redrive with --dlq-url needs --queue-url/,
    ],
  ])('rejects %j', async (argv, code, message) => {
    const result = await dlq(argv, cwd);
    expect(result.err).toMatch(message);
    expect(result.code).toBe(code);
  });

  it('says so when no local pipeline runs', async () => {
    expect(await dlq(['list'], tmpdir())).toMatchObject({
      code: 2,
      err: expect.stringMatching(/^no local pipeline: start it with npm start/),
    });
  });

  it('has --help', async () => {
    const { code, out } = await dlq(['--help'], cwd);
    expect(code).toBe(0);
    expect(out).toContain('spend-alerts dlq redrive [--channel C] [--message-id ID]');
  });
});
