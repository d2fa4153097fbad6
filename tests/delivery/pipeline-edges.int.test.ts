import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DynamoDeliveryLedger } from '@spend-alerts/adapters';
import { awsChannelDeps, createChannelHandler, type ChannelDeps } from '@spend-alerts/functions';
import { startLocalStack, type LocalStack } from '@spend-alerts/local/runtime/stack.ts';
import { CONTROL_ATTRIBUTE, flushMessage } from '@spend-alerts/functions/pipeline/control.ts';
import { readFixture } from '../fixtures/load.ts';

/**
 * The Slack consumer's handler on hand-made batches, against the local stand-ins: a group flush
 * that arrives slightly early, exceptions no step expected, and the order of records about one alarm
 * within a batch (records run concurrently).
 */
const CONFIG = (groupWait: string) => `
slack: { tokenSecret: SlackBotToken }
enrichment: { enabled: false }
receivers:
  - { name: ops, type: slack, channel: "#finops-alerts" }
route:
  receiver: ops
  groupBy: [kind, accountId]
  groupWait: ${groupWait}
  repeatInterval: 1s
`;

const FIXTURE = readFixture('cloudwatch/billing-total-alarm.json');
/** The fixture as its own alarm (the tests share one ledger table), firing or back to OK. */
const alarm = (name: string, state: 'ALARM' | 'OK' = 'ALARM') => {
  const text = FIXTURE.replaceAll('eng-1332', name);
  return state === 'ALARM'
    ? text
    : text
        .replace('"NewStateValue":"ALARM"', '"NewStateValue":"OK"')
        .replace('"OldStateValue":"INSUFFICIENT_DATA"', '"OldStateValue":"ALARM"')
        .replace('Threshold Crossed', 'Threshold no longer crossed');
};

let stack: LocalStack;
let dir: string;
beforeAll(async () => {
  stack = await startLocalStack({ secretNames: { slackToken: 'SlackBotToken', webhookSigning: [], webhookUrls: [] } });
  dir = mkdtempSync(join(tmpdir(), 'sa-edges-'));
}, 60_000);
afterAll(async () => {
  await stack?.close();
});
beforeEach(() => stack.slack.reset());

let seq = 0;
function record(
  body: string,
  options: { receiveCount?: number; attributes?: SQSRecord['messageAttributes'] } = {},
): SQSRecord {
  seq++;
  return {
    messageId: `m-${seq}`,
    receiptHandle: `r-${seq}`,
    body,
    attributes: {
      ApproximateReceiveCount: String(options.receiveCount ?? 1),
      SentTimestamp: '0',
      SenderId: 'test',
      ApproximateFirstReceiveTimestamp: '0',
    },
    messageAttributes: options.attributes ?? {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:test',
    awsRegion: 'us-east-1',
  };
}
const batch = (...records: SQSRecord[]): SQSEvent => ({ Records: records });

interface Consumer {
  deps: ChannelDeps;
  logs: Array<Record<string, unknown>>;
  flushes: Array<{ groupId: string; delayMs: number }>;
  dead: Array<{ messageId: string; reason: string }>;
  setNow(ms: number): void;
}

async function consumer(groupWait: string, name: string): Promise<Consumer> {
  const configPath = join(dir, `${name}.yaml`);
  writeFileSync(configPath, CONFIG(groupWait));
  let now = Date.parse('2026-06-15T10:00:00Z');
  const logs: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean))
        logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const clock = { now: () => new Date(now), realDelayMs: (ms: number) => ms };
  // Each consumer its own table prefix would be cleaner; distinct receivers' groups keep them apart here.
  const d = await awsChannelDeps('slack', {
    env: stack.env({ SPEND_ALERTS_CONFIG: configPath }),
    clock,
    logDestination: destination,
  });
  const flushes: Consumer['flushes'] = [];
  const dead: Consumer['dead'] = [];
  const deps: ChannelDeps = {
    ...d,
    queue: {
      deadLetter: async (r, failure) => void dead.push({ messageId: r.messageId, reason: failure.reason }),
      scheduleFlush: async (groupId, delayMs) => void flushes.push({ groupId, delayMs }),
      backoff: async () => undefined,
    },
  };
  return { deps, logs, flushes, dead, setNow: (ms) => (now = ms) };
}

const posts = () => stack.slack.messages.filter((m) => !m.subtype);

describe('a group flush', () => {
  it("that arrives up to a second before its flush time (another host's clock) still sends the group", async () => {
    const c = await consumer('30s', 'early-flush');
    const handler = createChannelHandler(async () => c.deps);
    const start = c.deps.clock.now().getTime();
    expect((await handler(batch(record(alarm('early-flush'))))).batchItemFailures).toEqual([]);
    expect(c.flushes).toHaveLength(1);
    expect(posts()).toHaveLength(0);

    const { groupId } = c.flushes[0]!;
    const flushAt = (await c.deps.stores.noise.getGroup(groupId))!.flushAt!;
    expect(flushAt).toBe(start + 30_000);
    c.setNow(flushAt - 500);
    const flush = record(JSON.stringify(flushMessage(groupId)), {
      attributes: {
        [CONTROL_ATTRIBUTE]: { stringValue: 'flush', dataType: 'String', stringListValues: [], binaryListValues: [] },
      },
    });
    expect((await handler(batch(flush))).batchItemFailures).toEqual([]);
    expect(posts()).toHaveLength(1);
    expect(JSON.stringify(posts()[0]!.metadata)).toContain('evt_');
    const group = await c.deps.stores.noise.getGroup(groupId);
    expect(group?.flushAt).toBeNull(); // nothing pending, nothing leased
  });
});

describe('an exception no step expected', () => {
  const validation = () =>
    Object.assign(new Error('Item size has exceeded the maximum allowed size'), {
      name: 'ValidationException',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
    });

  it('from AWS that no retry fixes: dead-lettered at once with its reason, and logged', async () => {
    const c = await consumer('0s', 'validation');
    c.deps.stores.deliveries.claimDelivery = async () => {
      throw validation();
    };
    const r = record(alarm('validation'));
    const out = await createChannelHandler(async () => c.deps)(batch(r));
    expect(out.batchItemFailures).toEqual([]); // parked, so acknowledged
    expect(c.dead).toEqual([
      { messageId: r.messageId, reason: expect.stringContaining('ValidationException: Item size has exceeded') },
    ]);
    const logged = c.logs.find((l) => l.msg === 'record failed unexpectedly');
    expect(logged).toMatchObject({ sqsMessageId: r.messageId, level: 'error' });
    expect(posts()).toHaveLength(0);
  });

  it('of another kind: retried, then dead-lettered with its reason on the last receive instead of by the redrive policy', async () => {
    const c = await consumer('0s', 'bug');
    c.deps.stores.deliveries.claimDelivery = async () => {
      throw new TypeError("Cannot read properties of undefined (reading 'x')");
    };
    const handler = createChannelHandler(async () => c.deps);
    const first = record(alarm('bug'), { receiveCount: 1 });
    expect((await handler(batch(first))).batchItemFailures).toEqual([{ itemIdentifier: first.messageId }]);
    expect(c.dead).toEqual([]);
    const last = record(alarm('bug'), { receiveCount: 5 });
    expect((await handler(batch(last))).batchItemFailures).toEqual([]);
    expect(c.dead).toEqual([
      {
        messageId: last.messageId,
        reason: expect.stringMatching(/^still failing after 5 receives: unexpected TypeError: Cannot read properties/),
      },
    ]);
  });
});

describe('records about one alarm in one batch', () => {
  it("are handled in the batch's order: the OK is a reply in the ALARM's thread", async () => {
    const c = await consumer('0s', 'order');
    const out = await createChannelHandler(async () => c.deps)(
      batch(record(alarm('order')), record(alarm('order', 'OK'))),
    );
    expect(out.batchItemFailures).toEqual([]);
    const [firing, ok] = posts();
    expect(posts()).toHaveLength(2);
    expect(firing!.thread_ts).toBeUndefined();
    expect(ok!.thread_ts).toBe(firing!.ts);
    expect(ok!.text).toMatch(/OK|resolved/i);
  });
});

describe('DynamoDB round trips', () => {
  it('per alert sent at once: a claim and one batch write (delivery, repeat mark, the thread it starts); the batch reads marks and silences once', async () => {
    const c = await consumer('0s', 'round-trips');
    const calls = new Map<string, number>();
    // Every role's store shares the table's one client: counting its requests counts them all.
    const client = (c.deps.stores.deliveries as DynamoDeliveryLedger).table.client;
    const send = client.send.bind(client);
    client.send = ((command: { constructor: { name: string } }, ...rest: unknown[]) => {
      const name = command.constructor.name.replace(/Command$/, '');
      calls.set(name, (calls.get(name) ?? 0) + 1);
      return (send as (...a: unknown[]) => unknown)(command, ...rest);
    }) as typeof client.send;
    const records = Array.from({ length: 10 }, (_, i) => record(alarm(`trips-${i}`)));
    expect((await createChannelHandler(async () => c.deps)(batch(...records))).batchItemFailures).toEqual([]);
    expect(posts()).toHaveLength(10);
    expect(Object.fromEntries(calls)).toEqual({ BatchGetItem: 1, Query: 1, PutItem: 10, BatchWriteItem: 10 });
  });
});
