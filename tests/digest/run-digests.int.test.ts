import { Writable } from 'node:stream';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CHART_HEIGHT, CHART_WIDTH, loadConfig, type Config, type SpendEvent } from '@spend-alerts/core';
import { dynamoLedgerStores, type LedgerStores } from '@spend-alerts/adapters';
// Test helpers and stand-ins from sibling packages: realistic AWS message texts, the local AWS and Slack.
import { billingAlarmJson, budgetText, eventOf } from '@spend-alerts/core/testing/messages';
import { startLocalStack, type LocalStack } from '@spend-alerts/local/runtime/stack.ts';
import { startCostExplorer, type CostExplorerStandIn } from '@spend-alerts/local/standins/cost-explorer.ts';
import { createSpendModel } from '@spend-alerts/local/sim/spend-model.ts';
import { awsDigestDeps, type DigestDeps } from '@spend-alerts/functions/digest/deps.ts';
import { runDigests, type DigestRunResult } from '@spend-alerts/functions/digest/run-digests.ts';

const CONFIG = `
email: { from: spend-alerts@example.com }
budgets:
  - { name: monthly-total, limit: 12000 }
receivers:
  - name: finops-digest
    type: email
    to: [finops@example.com]
    mode: digest
    digest: { every: day, hour: 8, timeZone: Europe/Berlin }
  - name: leadership-weekly
    type: slack
    channel: "#cloud-spend-weekly"
    mode: digest
    digest: { every: week, weekday: monday, hour: 9, timeZone: America/New_York }
  - name: quiet-mail
    type: email
    to: [quiet@example.com]
    mode: digest
    digest: { every: day, hour: 7, timeZone: UTC }
  - name: silent-mail
    type: email
    to: [silent@example.com]
    mode: digest
    digest: { every: day, hour: 7, timeZone: UTC, sendWhenEmpty: false }
  - name: lost-channel
    type: slack
    channel: "#general"
    mode: digest
    digest: { every: day, hour: 7, timeZone: UTC }
route: { receiver: finops-digest }
`;

/** Only the receivers a test is about, so each test sees only its own digests. */
function configWith(...names: string[]): Config {
  const config = loadConfig(CONFIG, 'test.yaml');
  return { ...config, receivers: config.receivers.filter((r) => names.includes(r.name)) };
}

interface StoredEmail {
  subject: string;
  destination: { to: string[] };
  body: { html?: string; text?: string };
  attachments: Array<{
    contentType: string;
    contentId?: string;
    cid?: string;
    related?: boolean;
    contentDisposition?: string;
    content: string;
  }>;
}

let stack: LocalStack;
let ce: CostExplorerStandIn;
let now = new Date('2026-05-15T06:05:00Z');
const logs: string[] = [];
const clock = { now: () => now, realDelayMs: (ms: number) => ms };
let store: LedgerStores;

beforeAll(async () => {
  ce = await startCostExplorer({ model: createSpendModel({ month: '2026-05' }), clock: () => now });
  stack = await startLocalStack({ costExplorerUrl: ce.url });
  store = dynamoLedgerStores({ client: stack.dynamo, tableName: stack.tableName, now: () => now.getTime() });
});
afterAll(async () => {
  await stack?.close();
  await ce?.close();
});
beforeEach(async () => {
  stack.slack.reset();
  ce.requests.length = 0;
  logs.length = 0;
  await fetch(`${stack.sesUrl}/clear-store`, { method: 'POST' });
});

function deps(config: Config): Promise<DigestDeps> {
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logs.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return awsDigestDeps({ env: stack.env(), clock, config, logDestination: destination });
}

/** Runs the digest job at `at`, as the hourly schedule would. */
async function runAt(at: string, config: Config): Promise<DigestRunResult[]> {
  now = new Date(at);
  return runDigests(await deps(config), now);
}

async function outbox(to: string): Promise<StoredEmail[]> {
  const { emails } = (await (await fetch(`${stack.sesUrl}/store`)).json()) as { emails: StoredEmail[] };
  return emails.filter((e) => e.destination.to.includes(to));
}

/** Buffers an event for a receiver as the consumers do, received at `receivedAt` (the clock then). */
async function buffer(receiver: string, event: SpendEvent, receivedAt: string): Promise<SpendEvent> {
  now = new Date(receivedAt);
  const received = { ...event, occurredAt: receivedAt };
  await store.noise.addToDigest(receiver, received, Date.parse(receivedAt));
  return received;
}

function budgetAlert(name: string): SpendEvent {
  return eventOf(budgetText({ name }));
}

function expectRealChart(png: Buffer) {
  const image = PNG.sync.read(png);
  expect([image.width, image.height]).toEqual([CHART_WIDTH * 2, CHART_HEIGHT * 2]);
  // Not blank: a drawn chart has many colours of ink.
  const colours = new Set<number>();
  for (let i = 0; i < image.data.length; i += 4 * 97) colours.add(image.data.readUInt32BE(i));
  expect(colours.size).toBeGreaterThan(10);
}

const outcomeLines = () =>
  logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'digest outcome');

describe('a daily email digest', () => {
  const config = configWith('finops-digest');

  it('goes out at 08:00 in its time zone with the chart inline, and empties the buffer of what it sent', async () => {
    await buffer('finops-digest', budgetAlert('web'), '2026-05-14T09:30:00Z');
    await buffer('finops-digest', budgetAlert('data'), '2026-05-14T21:59:00Z'); // 23:59 in Berlin
    await buffer('finops-digest', eventOf(billingAlarmJson({ service: 'AmazonEC2' })), '2026-05-14T12:00:00Z');
    const next = await buffer('finops-digest', budgetAlert('tomorrow'), '2026-05-14T22:00:00Z'); // 00:00 on the 15th in Berlin

    // 07:05 in Berlin: not yet.
    expect(await runAt('2026-05-15T05:05:00Z', config)).toEqual([]);
    expect(await outbox('finops@example.com')).toEqual([]);

    const [result] = await runAt('2026-05-15T06:05:00Z', config);
    expect(result).toMatchObject({
      receiver: 'finops-digest',
      periodKey: 'day:2026-05-14@Europe/Berlin',
      outcome: 'sent',
      events: 3,
      chart: 'inline',
    });

    const [email, ...others] = await outbox('finops@example.com');
    expect(others).toEqual([]);
    expect(email!.subject).toMatch(
      /^Spend digest, Thursday 14 May 2026: 3 alerts · month to date \$[\d,.]+ \(\d+(\.\d)?% of monthly-total\)$/,
    );
    expect(email!.body.text).toContain('3 spend alerts on Thursday 14 May 2026');
    // The SES stand-in parses the raw MIME and resolves cid: links to the part with that Content-ID:
    // a data: URI in place of cid:spend-chart proves the reference and the part match.
    const [image, ...more] = email!.attachments;
    expect(more).toEqual([]);
    expect(image).toMatchObject({
      contentType: 'image/png',
      contentId: '<spend-chart>',
      cid: 'spend-chart',
      related: true,
      contentDisposition: 'inline',
    });
    expect(email!.body.html).not.toContain('cid:spend-chart');
    expect(email!.body.html).toContain(`<img src="data:image/png;base64,${image!.content}"`);
    expect(email!.body.html).toMatch(
      /alt="Spend in May 2026: \$[\d,]+ by 14 May, forecast \$[\d,]+ at month end; budget monthly-total \$12,000\."/,
    );
    expectRealChart(Buffer.from(image!.content, 'base64'));

    const left = await store.digests.digestBuffer('finops-digest', '2027-01-01T00:00:00.000Z');
    expect(left.map((b) => b.event.id)).toEqual([next.id]);
    expect(await store.digests.digestRecord('finops-digest', result!.periodKey)).toMatchObject({
      status: 'sent',
      ref: result!.ref,
    });
    // Month to date through the 14th, by linked account and service; the forecast projected, never asked for.
    expect(
      ce.requests.map((r) => [r.target.split('.')[1], (r.input.TimePeriod as { Start: string; End: string }).End]),
    ).toContainEqual(['GetCostAndUsage', '2026-05-15']);
    expect(ce.requests.filter((r) => r.target.endsWith('GetCostForecast'))).toEqual([]);
  });

  it('goes out once per period, however often the job runs', async () => {
    await buffer('finops-digest', budgetAlert('twice'), '2026-05-15T10:00:00Z');
    const first = await runAt('2026-05-16T06:05:00Z', config);
    const again = await runAt('2026-05-16T06:05:30Z', config);
    const later = await runAt('2026-05-16T09:05:00Z', config);
    expect([first, again, later].map((r) => r.map((x) => x.outcome))).toEqual([
      ['sent'],
      ['already-done'],
      ['already-done'],
    ]);
    expect(await outbox('finops@example.com')).toHaveLength(1);
    expect(outcomeLines()).toHaveLength(3);
  });

  it('carries a redelivered alert once, and never again once it was sent', async () => {
    const alert = budgetAlert('redelivered');
    await buffer('finops-digest', alert, '2026-05-16T10:00:00Z');
    await buffer('finops-digest', alert, '2026-05-16T10:05:00Z'); // SQS delivers it again
    const before = await store.digests.digestBuffer('finops-digest', '2027-01-01T00:00:00.000Z');
    expect(before.filter((b) => b.event.id === alert.id).map((b) => b.receivedAt)).toEqual([
      '2026-05-16T10:00:00.000Z',
    ]);

    const [result] = await runAt('2026-05-17T06:05:00Z', config);
    expect(result).toMatchObject({ outcome: 'sent', events: 1 });
    await buffer('finops-digest', alert, '2026-05-17T07:00:00Z'); // and once more, after the digest went out
    const after = await store.digests.digestBuffer('finops-digest', '2027-01-01T00:00:00.000Z');
    expect(after.filter((b) => b.event.id === alert.id)).toEqual([]);
  });
});

describe('a weekly Slack digest', () => {
  it('posts the message, then uploads the chart under it', async () => {
    const config = configWith('leadership-weekly');
    await buffer('leadership-weekly', budgetAlert('weekly-web'), '2026-05-12T15:00:00Z');
    await buffer('leadership-weekly', budgetAlert('weekly-data'), '2026-05-17T23:00:00Z'); // Sunday 19:00 in New York

    // Monday 08:05 in New York (EDT): not yet; 09:05: due.
    expect(await runAt('2026-05-18T12:05:00Z', config)).toEqual([]);
    const [result] = await runAt('2026-05-18T13:05:00Z', config);
    expect(result).toMatchObject({
      periodKey: 'week:2026-05-11@America/New_York',
      outcome: 'sent',
      events: 2,
      chart: 'uploaded',
    });

    const channel = stack.slack.channel('#cloud-spend-weekly')!;
    const [message, share, ...more] = stack.slack.messages;
    expect(more).toEqual([]);
    expect(message).toMatchObject({ channel: channel.id, ts: result!.ref, metadata: { event_type: 'spend_digest' } });
    expect(message!.blocks![0]).toMatchObject({
      type: 'header',
      text: { text: '📊 Weekly spend digest: 11–17 May 2026' },
    });
    expect(JSON.stringify(message!.blocks)).toContain('The chart is attached below.');
    expect(share).toMatchObject({ channel: channel.id, subtype: 'file_share' });
    const [file] = stack.slack.files;
    expect(share!.files).toEqual([file!.id]);
    expect(file).toMatchObject({
      filename: 'spend-chart-2026-05.png',
      title: 'Spend in May 2026',
      mimetype: 'image/png',
    });
    expect(file!.alt_text).toMatch(/^Spend in May 2026: \$[\d,]+ by 17 May/);
    expectRealChart(file!.bytes);
    expect(await store.digests.digestBuffer('leadership-weekly', '2027-01-01T00:00:00.000Z')).toEqual([]);
  });
});

describe('an empty period', () => {
  it('sends the all-quiet line without a chart, or nothing when sendWhenEmpty is false', async () => {
    const config = configWith('quiet-mail', 'silent-mail');
    const results = await runAt('2026-05-20T07:05:00Z', config);
    expect(results.map((r) => [r.receiver, r.outcome])).toEqual([
      ['quiet-mail', 'sent'],
      ['silent-mail', 'empty'],
    ]);
    const [quiet] = await outbox('quiet@example.com');
    expect(quiet!.subject).toMatch(/^Spend digest, Tuesday 19 May 2026: all quiet/);
    expect(quiet!.body.text).toContain('All quiet: no spend alerts on Tuesday 19 May 2026.');
    expect(quiet!.attachments).toEqual([]);
    expect(await outbox('silent@example.com')).toEqual([]);
    expect(await store.digests.digestRecord('silent-mail', 'day:2026-05-19@UTC')).toMatchObject({ status: 'empty' });
    // Closed: a second run does not reconsider it.
    expect((await runAt('2026-05-20T08:05:00Z', config)).map((r) => r.outcome)).toEqual([
      'already-done',
      'already-done',
    ]);
  });
});

describe('period edges', () => {
  it('covers a 23-hour day when clocks go forward, and sends at 08:00 summer time', async () => {
    const config = configWith('finops-digest');
    await buffer('finops-digest', budgetAlert('dst-in'), '2026-03-28T23:30:00Z'); // 00:30 CET on the 29th
    await buffer('finops-digest', budgetAlert('dst-last'), '2026-03-29T21:59:00Z'); // 23:59 CEST on the 29th
    const after = await buffer('finops-digest', budgetAlert('dst-after'), '2026-03-29T22:00:00Z'); // 00:00 CEST on the 30th

    // 06:05 UTC is 07:05 in Berlin before the change (not due) and 08:05 after it (due).
    expect(await runAt('2026-03-28T06:05:00Z', config)).toEqual([]);
    const [result] = await runAt('2026-03-30T06:05:00Z', config);
    expect(result).toMatchObject({ periodKey: 'day:2026-03-29@Europe/Berlin', outcome: 'sent', events: 2 });
    const [email] = await outbox('finops@example.com');
    expect(email!.subject).toMatch(/^Spend digest, Sunday 29 March 2026: 2 alerts/);
    expect(
      (await store.digests.digestBuffer('finops-digest', '2027-01-01T00:00:00.000Z')).map((b) => b.event.id),
    ).toEqual([after.id]);
    // It belongs to the next period; taken out so the next test's digest is its own.
    await store.digests.removeDigestEvents(
      'finops-digest',
      (await store.digests.digestBuffer('finops-digest', '2027-01-01T00:00:00.000Z')).map((b) => b.key),
    );
  });

  it('reports on the month that ended when sent on the 1st, with no forecast left to make', async () => {
    const config = configWith('finops-digest');
    await buffer('finops-digest', budgetAlert('month-end'), '2026-05-31T20:00:00Z');
    const [result] = await runAt('2026-06-01T06:05:00Z', config);
    expect(result).toMatchObject({ periodKey: 'day:2026-05-31@Europe/Berlin', outcome: 'sent', chart: 'inline' });
    const [email] = await outbox('finops@example.com');
    expect(email!.subject).toMatch(/^Spend digest, Sunday 31 May 2026: 1 alert · month to date/);
    // May through its last day (End is exclusive), not June's empty first day: only the days that can still change.
    const periods = ce.requests.filter((r) => r.target.endsWith('GetCostAndUsage')).map((r) => r.input.TimePeriod);
    expect(periods.at(-1)).toMatchObject({ End: '2026-06-01' });
    expect(ce.requests.filter((r) => r.target.endsWith('GetCostForecast'))).toEqual([]);
    expect(email!.body.html).toMatch(/alt="Spend in May 2026: \$[\d,]+ by 31 May; budget monthly-total \$12,000\."/);
    expectRealChart(Buffer.from(email!.attachments[0]!.content, 'base64'));
  });
});

describe('failures', () => {
  it('gives the claim back after a transient failure, so the next run sends', async () => {
    const config = configWith('leadership-weekly');
    await buffer('leadership-weekly', budgetAlert('retry-me'), '2026-05-20T15:00:00Z');
    stack.slack.faults.script({ target: 'chat.postMessage', status: 503 });
    const [failed] = await runAt('2026-05-25T13:05:00Z', config);
    expect(failed).toMatchObject({ outcome: 'retry', reason: 'Slack http_503' });
    expect(await store.digests.digestRecord('leadership-weekly', failed!.periodKey)).toBeNull();
    expect(stack.slack.messages).toEqual([]);

    const [retried] = await runAt('2026-05-25T14:05:00Z', config);
    expect(retried).toMatchObject({ periodKey: failed!.periodKey, outcome: 'sent', events: 1 });
    expect(stack.slack.messages.filter((m) => !m.subtype)).toHaveLength(1);
  });

  it('records a permanent failure with its reason, and keeps the alerts for the next period', async () => {
    const config = configWith('lost-channel');
    const kept = await buffer('lost-channel', budgetAlert('kept'), '2026-05-21T10:00:00Z');
    const [failed] = await runAt('2026-05-22T07:05:00Z', config);
    expect(failed).toMatchObject({ outcome: 'failed', reason: 'permanent: Slack not_in_channel' });
    expect(await store.digests.digestRecord('lost-channel', 'day:2026-05-21@UTC')).toMatchObject({
      status: 'failed',
      reason: 'permanent: Slack not_in_channel',
    });
    expect(outcomeLines()).toMatchObject([
      { level: 'error', outcome: 'failed', receiver: 'lost-channel', reason: 'permanent: Slack not_in_channel' },
    ]);
    expect((await runAt('2026-05-22T08:05:00Z', config)).map((r) => r.outcome)).toEqual(['already-done']);
    expect(
      (await store.digests.digestBuffer('lost-channel', '2027-01-01T00:00:00.000Z')).map((b) => b.event.id),
    ).toEqual([kept.id]);
  });

  it('reports a chart that failed to upload after the message was posted, and does not post again', async () => {
    const config = configWith('leadership-weekly');
    await buffer('leadership-weekly', budgetAlert('no-chart'), '2026-06-03T15:00:00Z');
    stack.slack.faults.script({ target: 'files.getUploadURLExternal', status: 500 });
    const [result] = await runAt('2026-06-08T13:05:00Z', config);
    expect(result).toMatchObject({ outcome: 'sent', chart: 'failed: Slack file upload http_500' });
    expect(outcomeLines()).toMatchObject([
      { level: 'warn', outcome: 'sent', chart: 'failed: Slack file upload http_500' },
    ]);
    expect((await runAt('2026-06-08T14:05:00Z', config)).map((r) => r.outcome)).toEqual(['already-done']);
    expect(stack.slack.messages).toHaveLength(1);
  });

  it('never writes the Slack token to the logs', async () => {
    const config = configWith('leadership-weekly', 'lost-channel');
    stack.slack.faults.script({ target: 'chat.postMessage', status: 401 });
    await runAt('2026-05-27T07:05:00Z', config);
    await runAt('2026-06-01T13:05:00Z', config);
    expect(outcomeLines().length).toBeGreaterThan(0);
    expect(logs.join('\n')).not.toContain(stack.slack.token);
  });
});

describe('account names', () => {
  it("come from the account directory the deps carry (the organization's with organizations.enabled), as in alerts", async () => {
    const config = configWith('quiet-mail');
    const event = await buffer('quiet-mail', budgetAlert('org-named'), '2026-05-20T03:00:00Z');
    expect(event.accountId).toBeTruthy();
    now = new Date('2026-05-21T07:05:00Z');
    const d = await deps(config);
    const results = await runDigests(
      { ...d, accounts: (id) => (id === event.accountId ? { name: 'payments-prod-from-org', tags: {} } : undefined) },
      now,
    );
    expect(results.map((r) => r.outcome)).toContain('sent');
    const [email] = await outbox('quiet@example.com');
    expect(email!.body.text).toContain('payments-prod-from-org');
    expect(email!.body.html).toContain('payments-prod-from-org');
  });
});
