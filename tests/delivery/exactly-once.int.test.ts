import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { CostExplorerClient, GetCostAndUsageCommand, GetCostForecastCommand } from '@aws-sdk/client-cost-explorer';
import { BudgetsClient, DescribeBudgetCommand } from '@aws-sdk/client-budgets';
import { readInput } from '@spend-alerts/core';
import { readFixture } from '../fixtures/load.ts';
import { deadLetters, outbox, startHarness, type Harness } from './harness.ts';

const CONFIG = `
email: { from: alerts@example.com }
enrichment: { enabled: true, cacheTtl: 1h }
receivers:
  - { name: ops, type: slack, channel: "#finops-alerts" }
  - { name: broken, type: slack, channel: "#does-not-exist" }
  - { name: mail, type: email, to: [ops@example.com] }
  - { name: hook, type: webhook, url: "{{webhookUrl}}", signingSecret: HookSecret, allowPrivateNetwork: true, timeoutMs: 400 }
route:
  receiver: ops
  groupWait: 0s
  routes:
    - { receiver: hook, continue: true }
    - { receiver: mail, continue: true }
    - { receiver: broken, matchers: ["budgetName = poison"] }
    - { receiver: ops }
`;

const FIXTURES = [
  'budgets/cost-monthly-actual-billing-link.txt',
  'cloudwatch/billing-total-alarm.json',
  'anomaly/sns-real-cloudtrail-2023.json',
];
const poison = readFixture('budgets/cost-daily-actual.txt').replace('Budget Name: killswitch', 'Budget Name: poison');

const ce = mockClient(CostExplorerClient);
const budgets = mockClient(BudgetsClient);
let h: Harness;

beforeAll(async () => {
  ce.on(GetCostAndUsageCommand).resolves({
    ResultsByTime: [
      {
        TimePeriod: { Start: '2024-05-01', End: '2024-05-02' },
        Groups: [
          {
            Keys: ['Amazon Elastic Compute Cloud - Compute'],
            Metrics: { UnblendedCost: { Amount: '12.5', Unit: 'USD' } },
          },
        ],
        Estimated: true,
      },
    ],
  });
  ce.on(GetCostForecastCommand).resolves({ Total: { Amount: '40', Unit: 'USD' } });
  budgets.on(DescribeBudgetCommand).resolves({
    Budget: { BudgetName: 'x', BudgetLimit: { Amount: '100', Unit: 'USD' }, TimeUnit: 'MONTHLY', BudgetType: 'COST' },
  });
  h = await startHarness(CONFIG, { deliverTwice: true });
  // Slack answers 429, then 500, then 200; the webhook's first answer stalls past its timeout.
  h.stack.slack.faults.script(
    { target: 'chat.postMessage', status: 429, retryAfter: 1 },
    { target: 'chat.postMessage', status: 500 },
  );
  h.stack.webhook.faults.script({ stallMs: 1500 });
  for (const name of FIXTURES) await h.publish(readFixture(name));
  await h.publish(poison);
  for (const p of h.pollers) p.start();
  await h.drained();
}, 120_000);

afterAll(async () => {
  await h?.close();
  ce.restore();
  budgets.restore();
});

const ids = FIXTURES.map((name) => readInput(readFixture(name)).events[0]!.id);
const poisonId = readInput(poison).events[0]!.id;

const opsChannel = () => h.stack.slack.channel('#finops-alerts')!.id;

describe('exactly one delivery per destination, under faults and double delivery', () => {
  it('Slack: one message per event, although Slack answered 429, then 500, and every record came twice', () => {
    const posts = h.stack.slack.messages.filter((m) => m.channel === opsChannel() && !m.subtype);
    expect(posts).toHaveLength(FIXTURES.length);
    const calls = h.stack.slack.calls.filter((c) => c.method === 'chat.postMessage');
    expect(calls.length).toBeGreaterThan(FIXTURES.length); // the faults were really answered
    const carried = posts.flatMap((p) => {
      const payload = (p.metadata as { event_payload?: { event_ids?: string } } | undefined)?.event_payload;
      return (payload?.event_ids ?? '').split(',').filter(Boolean);
    });
    expect(carried.sort()).toEqual([...ids].sort()); // each event in exactly one message
  });

  it('Webhooks: one distinct webhook-id per event, each signature verified, after one timeout', () => {
    const verified = h.stack.webhook.requests.filter((r) => r.verified);
    expect(new Set(verified.map((r) => r.webhookId)).size).toBe(FIXTURES.length + 1); // the poison budget reaches the webhook too
    expect(h.stack.webhook.requests.length).toBeGreaterThan(FIXTURES.length + 1); // the timed-out attempt was retried
    const bodies = verified.map((r) => r.json as { data: { id: string } });
    expect(new Set(bodies.map((b) => b.data.id))).toEqual(new Set([...ids, poisonId]));
  });

  it('Email: one email per event', async () => {
    const emails = await outbox(h.stack);
    expect(emails).toHaveLength(FIXTURES.length + 1);
    expect(emails.every((e) => e.destination.to.includes('ops@example.com'))).toBe(true);
  });

  it('the ledger holds one delivered entry per (event, destination)', async () => {
    for (const id of ids) {
      const records = await h.deps.slack.stores.deliveries.deliveriesOf(id);
      expect(
        records
          .filter((r) => r.status === 'delivered')
          .map((r) => r.target.split('#')[0])
          .sort(),
      ).toEqual(['hook', 'mail', 'ops']);
    }
  });

  it('a poison record lands in the DLQ with its reason, and the rest of its batch is delivered', async () => {
    const dead = await deadLetters(h.stack, 'slack');
    expect(dead).toHaveLength(1);
    expect(dead[0]!.attributes['spend-alerts-reason']).toBe('broken: Slack channel_not_found');
    expect(dead[0]!.attributes['spend-alerts-failure']).toBe('permanent');
    expect(dead[0]!.body).toContain('poison');
    expect(await deadLetters(h.stack, 'email')).toHaveLength(0);
    expect(await deadLetters(h.stack, 'webhook')).toHaveLength(0);
  });

  it('no token, webhook secret or webhook URL appears in any log line', () => {
    expect(h.logs.length).toBeGreaterThan(0);
    const all = h.logs.join('\n');
    expect(all).not.toContain(h.stack.slack.token);
    expect(all).not.toContain(h.stack.webhookSecret);
    expect(all).not.toContain(h.stack.webhook.url);
    expect(all).not.toContain(h.stack.webhook.url.replace('http://', ''));
  });

  it('logs one JSON line per record outcome with the ids, receiver, outcome, attempt and duration', () => {
    const outcomes = h.logs
      .map((l) => JSON.parse(l))
      .filter((l) => l.msg === 'record outcome' && l.outcome === 'delivered');
    expect(outcomes.length).toBeGreaterThanOrEqual(3 * FIXTURES.length);
    for (const o of outcomes)
      expect(o).toMatchObject({
        eventId: expect.stringMatching(/^evt_/),
        correlationId: expect.any(String),
        receiver: expect.any(String),
        attempt: expect.any(Number),
        durationMs: expect.any(Number),
      });
  });
});
