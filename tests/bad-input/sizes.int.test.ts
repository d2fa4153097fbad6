import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readInput } from '@spend-alerts/core';
import { deadLetters, outbox, startHarness, type Harness } from '../delivery/harness.ts';
import { assertSafe, JSON_FIXTURES, renderAll, TEXT_FIXTURES } from './render-check.ts';

/** SNS's largest message: 256 KiB. */
const MAX_SNS = 256 * 1024;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Whether any string in a value holds half a surrogate pair (which Slack and mail servers reject or mangle). */
function hasLoneSurrogate(value: unknown): boolean {
  if (typeof value === 'string') return LONE_SURROGATE.test(value);
  if (Array.isArray(value)) return value.some(hasLoneSurrogate);
  if (value && typeof value === 'object') return Object.values(value).some(hasLoneSurrogate);
  return false;
}

const budgetText = TEXT_FIXTURES.find((f) => f.name.endsWith('cost-monthly-actual-costmanagement-link.txt'))!.text;
const alarm = JSON_FIXTURES.find((f) => f.name.endsWith('billing-total-alarm.json'))!.value as Record<string, unknown>;
const anomaly = JSON_FIXTURES.find((f) => f.name.endsWith('sns-multiple-root-causes.json'))!.value as Record<
  string,
  unknown
> & { rootCauses: unknown[] };

/** Text of `bytes` UTF-8 bytes (give or take a character), with markup, emoji and accents in it. */
function filler(bytes: number, seed = 'x <b>&</b> é 💸 '): string {
  const s = seed.repeat(Math.floor(bytes / Buffer.byteLength(seed)));
  return s + 'x'.repeat(bytes - Buffer.byteLength(s));
}

/** Messages of 256 KiB, the largest SNS publishes, of every kind. */
function largeMessages(): Array<{ name: string; text: string }> {
  const fillTo = (name: string, make: (fill: string) => string) => {
    const overhead = Buffer.byteLength(make(''));
    return { name, text: make(filler(MAX_SNS - overhead)) };
  };
  const causes = Array.from({ length: 1500 }, (_, i) => ({
    service: `Amazon Service ${i} <!here>`,
    region: 'us-east-1',
    linkedAccount: '123456789012',
    usageType: `USE1-Usage-${i}`,
  }));
  return [
    fillTo('unrecognized text', (fill) => fill),
    fillTo('budget with a huge name', (fill) => budgetText.replace(/^Budget Name: .*$/m, `Budget Name: ${fill}`)),
    fillTo('alarm with a huge description and reason', (fill) =>
      JSON.stringify({
        ...alarm,
        AlarmDescription: fill.slice(0, fill.length / 2),
        NewStateReason: fill.slice(fill.length / 2),
      }),
    ),
    fillTo('anomaly with 1,500 root causes', (fill) =>
      JSON.stringify({ ...anomaly, rootCauses: causes, subscriptionName: fill }),
    ),
  ];
}

describe('256 KiB messages', () => {
  it('render within every channel limit, safely', () => {
    for (const m of largeMessages()) {
      expect(Buffer.byteLength(m.text), m.name).toBeLessThanOrEqual(MAX_SNS);
      expect(Buffer.byteLength(m.text), m.name).toBeGreaterThan(MAX_SNS - 64);
      const r = renderAll(m.text);
      assertSafe(r);
      expect(r.events).toHaveLength(1);
      for (const s of r.slack) expect(s.text.length, m.name).toBeLessThanOrEqual(4000);
      // No blow-up: the email grows at most linearly with the message.
      for (const e of r.email) expect(Buffer.byteLength(e.html), m.name).toBeLessThan(4 * MAX_SNS);
    }
  });

  it('a Lambda batch of ten of them', () => {
    const records = largeMessages()
      .flatMap((m) => [m, m])
      .map((m, i) => ({ messageId: String(i), eventSource: 'aws:sqs', body: m.text }));
    const r = renderAll({ Records: records });
    assertSafe(r);
    expect(r.events.length).toBe(8);
  });
});

describe('invalid UTF-8, decoded as a Lambda decodes a body', () => {
  it('any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        const r = renderAll(Buffer.from(bytes).toString('utf8'));
        assertSafe(r);
        expect(hasLoneSurrogate(r.slack) || hasLoneSurrogate(r.email)).toBe(false);
      }),
      { numRuns: 1000, seed: 3 },
    );
  });

  it('invalid sequences inside a real message keep it recognized, with U+FFFD where they were', () => {
    const invalid = Buffer.from([0xff, 0xfe, 0xc0, 0xaf, 0xed, 0xa0, 0x80, 0xf4, 0x90, 0x80, 0x80, 0xe2, 0x82]);
    const [before, after] = budgetText.split(/(?<=^Budget Name: )/m) as [string, string];
    const text = Buffer.concat([Buffer.from(before), invalid, Buffer.from(after)]).toString('utf8');
    const r = renderAll(text);
    assertSafe(r);
    expect(r.events[0]!.kind).toBe('budget');
    expect(JSON.stringify(r.slack[0])).toContain('\ufffd');
  });

  it('a message cut in the middle of a multi-byte character', () => {
    const bytes = Buffer.from(budgetText.replace(/^Budget Name: .*$/m, 'Budget Name: équipe-💸-coûts'));
    for (let cut = bytes.length - 40; cut < bytes.length; cut++)
      assertSafe(renderAll(bytes.subarray(0, cut).toString('utf8')));
  });

  it('lone surrogates escaped in a JSON message do not reach Slack or email as broken UTF-16', () => {
    const text = JSON.stringify({ ...alarm, AlarmName: 'cost\ud800alarm', AlarmDescription: '\udfff' });
    const r = renderAll(text);
    assertSafe(r);
    expect(hasLoneSurrogate(r.slack), 'Slack').toBe(false);
    expect(hasLoneSurrogate(r.email), 'email').toBe(false);
  });
});

describe('deeply nested JSON', () => {
  const depths = [1_000, 100_000];

  it.each(depths)('arrays %i deep are read as unrecognized text, without a stack overflow', (depth) => {
    const r = renderAll(`${'['.repeat(depth)}${']'.repeat(depth)}`);
    assertSafe(r);
    expect(r.events[0]!.kind).toBe('unrecognized');
  });

  it.each(depths)('objects %i deep', (depth) => {
    const r = renderAll(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
    assertSafe(r);
    expect(r.events).toHaveLength(1);
  });

  it.each(depths)('a value %i deep inside a real alarm keeps the alarm recognized', (depth) => {
    const deep = `${'{"v":'.repeat(depth)}"USD"${'}'.repeat(depth)}`;
    const text = JSON.stringify(alarm).replace(/}$/, `,"Extra":${deep}}`);
    const r = renderAll(text);
    assertSafe(r);
    expect(r.events[0]!.kind).toBe('billing-alarm');
  });

  it('envelopes nested 12 deep (each one escapes the next, so the text doubles with each)', () => {
    let message = JSON.stringify(alarm);
    for (let i = 0; i < 12; i++)
      message = JSON.stringify({
        Type: 'Notification',
        MessageId: `m${i}`,
        TopicArn: 'arn:aws:sns:us-east-1:123456789012:t',
        Message: message,
      });
    const r = renderAll(message);
    assertSafe(r);
    expect(r.events).toHaveLength(1);
    expect(readInput(message).events).toHaveLength(1);
  });
});

describe('256 KiB messages through the pipeline (SNS → SQS → the three consumers, alerts grouped)', () => {
  const CONFIG = `
email: { from: alerts@example.com }
receivers:
  - { name: ops, type: slack, channel: "#finops-alerts" }
  - { name: mail, type: email, to: [ops@example.com] }
  - { name: hook, type: webhook, url: "{{webhookUrl}}", signingSecret: HookSecret, allowPrivateNetwork: true, includeRaw: true }
route:
  receiver: ops
  groupWait: 1s
  routes:
    - { receiver: hook, continue: true }
    - { receiver: mail, continue: true }
    - { receiver: ops }
`;
  let h: Harness;
  const messages = largeMessages();
  const ids = messages.map((m) => readInput(m.text).events[0]!.id);

  /** What has not arrived yet, as `channel: message`. */
  async function missing(): Promise<string[]> {
    const slackIds = h.stack.slack.messages.flatMap((m) =>
      ((m.metadata as { event_payload?: { event_ids?: string } } | undefined)?.event_payload?.event_ids ?? '').split(
        ',',
      ),
    );
    const mailIds = (await outbox(h.stack)).flatMap(
      (e) =>
        ((e as { headers?: Array<{ name: string; value: string }> }).headers ?? [])
          .find((x) => x.name.toLowerCase() === 'x-spend-alerts-events')
          ?.value.split(',') ?? [],
    );
    const hookIds = h.stack.webhook.requests
      .filter((r) => r.verified && r.status === 204)
      .map((r) => (r.json as { data: { id: string } }).data.id);
    return ids.flatMap((id, i) => [
      ...(slackIds.includes(id) ? [] : [`Slack: ${messages[i]!.name}`]),
      ...(mailIds.includes(id) ? [] : [`email: ${messages[i]!.name}`]),
      ...(hookIds.includes(id) ? [] : [`webhook: ${messages[i]!.name}`]),
    ]);
  }

  beforeAll(async () => {
    h = await startHarness(CONFIG);
    for (const m of messages) await h.publish(m.text);
    for (const p of h.pollers) p.start();
    // A record that failed stays in flight for the visibility timeout: wait for the deliveries, not for that.
    const deadline = Date.now() + 20_000;
    while ((await missing()).length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
  }, 60_000);

  afterAll(async () => {
    await h?.close();
  });

  it('the unrecognized text and the anomaly with 1,500 root causes reach every destination', async () => {
    expect((await missing()).filter((m) => /unrecognized|anomaly/.test(m))).toEqual([]);
  });

  // A regression test: the budget name once went whole into DynamoDB sort keys (repeat and thread
  // keys, capped at 1,024 bytes) and the alarm's event was stored as a ~750 KB group member (past the
  // 400 KB item limit); both records failed on every try and ended in the DLQ without a reason.
  it('a budget with a 256 KiB name and an alarm with a 256 KiB description reach every destination', async () => {
    expect(await missing()).toEqual([]);
  });

  it('nothing is dead-lettered at once (a permanent failure would be)', async () => {
    for (const channel of ['slack', 'email', 'webhook'] as const)
      expect(await deadLetters(h.stack, channel)).toEqual([]);
  });
});
