/**
 * The contract every channel adapter keeps, run as one shared suite over Slack, SES, webhooks and Teams, with
 * faults answered on the wire by local servers (never by mocking the clients): retryable answers come
 * back as retryable DeliveryErrors, permanent ones as not retryable, no error carries a secret, and a
 * record delivered twice reaches its destination once.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DeliveryError,
  dynamoLedgerStores,
  SesNotifier,
  SlackNotifier,
  TeamsNotifier,
  WebhookNotifier,
  createLogger,
  type Notifier,
} from '@spend-alerts/adapters';
import {
  readInput,
  routeEvent,
  validateConfig,
  type Config,
  type Notification,
  type Receiver,
} from '@spend-alerts/core';
import { deliverEvents, systemClock, type ChannelDeps } from '@spend-alerts/functions';
import { startLocalStack, type LocalStack } from '@spend-alerts/local';
import { readFixture } from '../fixtures/load.ts';

/** A local SES v2 endpoint that answers each SendEmail with the next scripted status and error type. */
async function startSesFaults(): Promise<{
  url: string;
  script: (status: number, type: string) => void;
  sent: number;
  close(): Promise<void>;
}> {
  const queue: Array<{ status: number; type: string }> = [];
  const state = { sent: 0 };
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const next = queue.shift();
      if (next) {
        res.writeHead(next.status, { 'content-type': 'application/json', 'x-amzn-errortype': next.type });
        return res.end(JSON.stringify({ message: `${next.type} for the test` }));
      }
      state.sent++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ MessageId: `m-${state.sent}` }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    script: (status, type) => void queue.push({ status, type }),
    get sent() {
      return state.sent;
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}

let stack: LocalStack;
let ses: Awaited<ReturnType<typeof startSesFaults>>;
let config: Config;
const event = readInput(readFixture('budgets/cost-monthly-actual-billing-link.txt')).events[0]!;

interface Case {
  channel: 'slack' | 'email' | 'webhook' | 'teams';
  notifier: () => Notifier;
  receiver: () => Receiver;
  /** Makes the next delivery fail with this answer. */
  fail: (kind: 'rate-limited' | 'server-error' | 'rejected' | 'auth') => void;
  delivered: () => number;
  secrets: () => string[];
}

const cases: Case[] = [
  {
    channel: 'slack',
    notifier: () =>
      new SlackNotifier({ token: stack.slack.token, slackApiUrl: stack.slack.url, sleep: async () => undefined }),
    receiver: () => config.receivers.find((r) => r.type === 'slack')!,
    fail: (kind) =>
      stack.slack.faults.script(
        kind === 'rate-limited'
          ? { target: 'chat.postMessage', status: 429, retryAfter: 30 }
          : kind === 'server-error'
            ? { target: 'chat.postMessage', status: 503 }
            : kind === 'rejected'
              ? { target: 'chat.postMessage', error: 'channel_not_found' }
              : { target: 'chat.postMessage', error: 'invalid_auth' },
      ),
    delivered: () => stack.slack.messages.filter((m) => !m.subtype).length,
    secrets: () => [stack.slack.token],
  },
  {
    channel: 'email',
    notifier: () =>
      new SesNotifier({
        client: new SESv2Client({
          endpoint: ses.url,
          region: 'us-east-1',
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
          maxAttempts: 1,
        }),
        from: 'alerts@example.com',
      }),
    receiver: () => config.receivers.find((r) => r.type === 'email')!,
    fail: (kind) =>
      kind === 'rate-limited'
        ? ses.script(429, 'TooManyRequestsException')
        : kind === 'server-error'
          ? ses.script(500, 'InternalFailure')
          : kind === 'rejected'
            ? ses.script(400, 'MessageRejected')
            : ses.script(403, 'AccessDeniedException'),
    delivered: () => ses.sent,
    secrets: () => [],
  },
  {
    channel: 'webhook',
    notifier: () =>
      new WebhookNotifier({
        secrets: (name) => (name === 'HookSecret' ? stack.webhookSecret : ''),
        allowLoopback: true,
      }),
    receiver: () => config.receivers.find((r) => r.type === 'webhook')!,
    fail: (kind) =>
      stack.webhook.faults.script({
        status: kind === 'rate-limited' ? 429 : kind === 'server-error' ? 502 : kind === 'rejected' ? 422 : 401,
      }),
    delivered: () =>
      new Set(
        stack.webhook.requests.filter((r) => r.verified && r.status >= 200 && r.status < 300).map((r) => r.webhookId),
      ).size,
    secrets: () => [stack.webhookSecret, stack.webhook.url],
  },
  {
    channel: 'teams',
    notifier: () =>
      new TeamsNotifier({
        secrets: (name) => (name === 'TeamsUrl' ? stack.teams.urlOf('contract') : ''),
        allowLoopback: true,
        env: {},
      }),
    receiver: () => config.receivers.find((r) => r.type === 'teams')!,
    fail: (kind) =>
      stack.teams.faults.script({
        status: kind === 'rate-limited' ? 429 : kind === 'server-error' ? 502 : kind === 'rejected' ? 400 : 401,
      }),
    delivered: () => stack.teams.posts.filter((p) => p.status === 202).length,
    // The URL, and its signature alone: whoever has either may post to the channel.
    secrets: () => [stack.teams.urlOf('contract'), new URL(stack.teams.urlOf('contract')).searchParams.get('sig')!],
  },
];

beforeAll(async () => {
  stack = await startLocalStack();
  ses = await startSesFaults();
  config = validateConfig({
    email: { from: 'alerts@example.com' },
    receivers: [
      { name: 'ops', type: 'slack', channel: '#finops-alerts' },
      { name: 'mail', type: 'email', to: ['ops@example.com'] },
      {
        name: 'hook',
        type: 'webhook',
        url: stack.webhook.url,
        signingSecret: 'HookSecret',
        allowPrivateNetwork: true,
        timeoutMs: 1000,
      },
      { name: 'teams', type: 'teams', urlSecret: 'TeamsUrl', timeoutMs: 1000 },
    ],
    route: { receiver: 'ops', groupWait: 0 },
  });
});

afterAll(async () => {
  await ses?.close();
  await stack?.close();
});

const notification = (receiver: Receiver): Notification => ({
  events: [{ event, enrichment: null }],
  receiver,
  route: 'route',
  groupKey: '{}',
});

async function failure(c: Case, kind: Parameters<Case['fail']>[0]): Promise<DeliveryError> {
  c.fail(kind);
  const error = await c
    .notifier()
    .deliver(notification(c.receiver()) as never, { idempotencyKey: `${event.id}|contract`, attempt: 1 })
    .then(
      () => null,
      (e: unknown) => e,
    );
  expect(error, `${c.channel} ${kind} should fail`).toBeInstanceOf(DeliveryError);
  return error as DeliveryError;
}

describe.each(cases.map((c) => [c.channel, c] as const))('the %s adapter', (_name, c) => {
  it('classifies rate limiting and server errors as retryable', async () => {
    expect((await failure(c, 'rate-limited')).retryable).toBe(true);
    expect((await failure(c, 'server-error')).retryable).toBe(true);
  });

  it('classifies rejected and unauthorized deliveries as permanent', async () => {
    const rejected = await failure(c, 'rejected');
    expect(rejected.retryable).toBe(false);
    expect(rejected.failure).toBe('permanent');
    const auth = await failure(c, 'auth');
    expect(auth.retryable).toBe(false);
  });

  it('never puts a secret in an error', async () => {
    for (const kind of ['rate-limited', 'server-error', 'rejected', 'auth'] as const) {
      const error = await failure(c, kind);
      const text = `${error.message} ${error.stack} ${JSON.stringify({ ...error, cause: undefined })}`;
      for (const secret of c.secrets()) expect(text).not.toContain(secret);
    }
  });

  it('reaches its destination once when the same record is delivered twice', async () => {
    const stores = dynamoLedgerStores({ client: stack.dynamo, tableName: stack.tableName });
    const receiver = c.receiver();
    const match = routeEvent(event, { ...config, route: { ...config.route, receiver: receiver.name } }).matches[0]!;
    const deps = {
      channel: c.channel,
      config,
      stores,
      notifier: c.notifier(),
      enricher: null,
      clock: systemClock,
      logger: createLogger({ level: 'silent' }),
    } as unknown as ChannelDeps;
    const before = c.delivered();
    const first = await deliverEvents([event], match, '{}', deps, 1);
    const second = await deliverEvents([event], match, '{}', deps, 2);
    expect(first).toMatchObject({ delivered: 1, failures: [] });
    expect(second).toMatchObject({ delivered: 0, skipped: 1 });
    expect(c.delivered() - before).toBe(1);
  });
});
