import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { CostExplorerClient, GetCostAndUsageCommand, GetCostForecastCommand } from '@aws-sdk/client-cost-explorer';
import { BudgetsClient, DescribeBudgetCommand } from '@aws-sdk/client-budgets';
import { outbox, startHarness, type Harness } from './harness.ts';

const CONFIG = `
email: { from: alerts@example.com }
receivers:
  - { name: ops, type: slack, channel: "#finops-alerts" }
  - { name: mail, type: email, to: [ops@example.com] }
  - { name: hook, type: webhook, url: "{{webhookUrl}}", signingSecret: HookSecret, allowPrivateNetwork: true }
route:
  receiver: ops
  groupWait: 2s
  groupInterval: 1m
  routes:
    - { receiver: hook, continue: true }
    - { receiver: mail, continue: true }
    - { receiver: ops }
`;

const BURST = 500;
/**
 * What one refresh of the organization's costs takes: one GetCostAndUsage by linked account and
 * service, for the days it lacks (the forecast is projected, never asked for).
 */
const ONE_REFRESH = 1;

function budgetMessage(i: number): string {
  return `AWS Budget Notification May 06, 2024
AWS Account 111111111111

Dear AWS Customer,

You requested that we alert you when the ACTUAL Cost associated with your team-${i} budget is greater than $80.00 for the current month. The ACTUAL Cost associated with this budget is $${(90 + i / 100).toFixed(2)}. You can find additional details below and by accessing the AWS Budgets dashboard [1].

Budget Name: team-${i}
Budget Type: Cost
Budgeted Amount: $100.00
Alert Type: ACTUAL
Alert Threshold: > $80.00
ACTUAL Amount: $${(90 + i / 100).toFixed(2)}

[1] https://console.aws.amazon.com/costmanagement/home#/budgets
`;
}

const ce = mockClient(CostExplorerClient);
const budgets = mockClient(BudgetsClient);
let h: Harness;

beforeAll(async () => {
  ce.on(GetCostAndUsageCommand).resolves({
    ResultsByTime: [
      {
        TimePeriod: { Start: '2024-05-01', End: '2024-05-02' },
        Groups: [{ Keys: ['AWS Lambda'], Metrics: { UnblendedCost: { Amount: '3.10', Unit: 'USD' } } }],
      },
    ],
  });
  ce.on(GetCostForecastCommand).resolves({ Total: { Amount: '50', Unit: 'USD' } });
  budgets.on(DescribeBudgetCommand).resolves({
    Budget: { BudgetName: 'b', BudgetLimit: { Amount: '100', Unit: 'USD' }, TimeUnit: 'MONTHLY', BudgetType: 'COST' },
  });
  h = await startHarness(CONFIG);
  await h.publishMany(Array.from({ length: BURST }, (_, i) => budgetMessage(i)));
  for (const p of h.pollers) p.start(); // the three consumers at once, on the same burst
  await h.drained(120_000);
}, 180_000);

afterAll(async () => {
  await h?.close();
  ce.restore();
  budgets.restore();
});

describe('a burst of 500 events for one account', () => {
  it('makes no more Cost Explorer requests than one refresh of the organization’s costs', () => {
    expect(ce.commandCalls(GetCostAndUsageCommand)).toHaveLength(ONE_REFRESH);
    expect(ce.commandCalls(GetCostForecastCommand)).toHaveLength(0);
  });

  it('still reaches every destination: every webhook event, and Slack and email messages that count them all', async () => {
    expect(new Set(h.stack.webhook.requests.filter((r) => r.verified).map((r) => r.webhookId)).size).toBe(BURST);
    const posts = h.stack.slack.messages.filter((m) => !m.subtype);
    expect(posts.length).toBeGreaterThanOrEqual(1);
    expect(posts.length).toBeLessThanOrEqual(10);
    const emails = await outbox(h.stack);
    expect(emails.length).toBeLessThanOrEqual(10);
    // Every event is listed or counted in the grouped messages.
    const counted = posts.reduce((n, p) => n + Number(/(\d+) budget alerts?/.exec(p.text ?? '')?.[1] ?? 1), 0);
    expect(counted).toBe(BURST);
  });
});
