import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PublishCommand } from '@aws-sdk/client-sns';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalPipeline, type LocalPipeline } from '@spend-alerts/local';
import { openBrowser } from '@spend-alerts/local/testing/browser.ts';

const EXAMPLE = fileURLToPath(new URL('../../spend-alerts.config.yaml', import.meta.url));

function budget(name: string, spend: string): string {
  return `AWS Budget Notification June 20, 2026
AWS Account 999999999999

Dear AWS Customer,

You requested that we alert you when the ACTUAL Cost associated with your ${name} budget is greater than $400.00 for the current month. The ACTUAL Cost associated with this budget is ${spend}. You can find additional details below and by accessing the AWS Budgets dashboard [1].

Budget Name: ${name}
Budget Type: Cost
Budgeted Amount: $500.00
Alert Type: ACTUAL
Alert Threshold: > $400.00
ACTUAL Amount: ${spend}

[1] https://console.aws.amazon.com/costmanagement/home#/budgets
`;
}

let pipeline: LocalPipeline;
let browser: Awaited<ReturnType<typeof openBrowser>>;
let page: Page;
const testId = (id: string) => page.locator(`[data-testid="${id}"]`);

beforeAll(async () => {
  // A slow month: the test's own messages, not the simulation, are what it looks for.
  pipeline = await startLocalPipeline({
    configPath: EXAMPLE,
    month: '2026-06',
    monthSeconds: 600,
    stateDir: mkdtempSync(join(tmpdir(), 'sa-e2e-')),
    dashboardPort: 0,
  });
  browser = await openBrowser();
  page = browser.page;
  await page.goto(pipeline.dashboardUrl!);
  await page.locator('[data-testid="connection"][data-state="live"]').waitFor();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await pipeline?.close();
});

describe('the local dashboard, end to end', () => {
  it('shows a notification published after the page loaded, without a reload, and its Slack message with the facts', async () => {
    await page.evaluate(() => Object.assign(globalThis, { sameDocument: true }));
    await pipeline.stack.sns.send(
      new PublishCommand({
        TopicArn: pipeline.stack.topicArn,
        Message: budget('e2e-live', '$455.00'),
        Subject: 'AWS Budgets: e2e-live has exceeded your alert threshold',
      }),
    );

    const event = testId('event-row').filter({ hasText: 'e2e-live' });
    await event.first().waitFor({ timeout: 30_000 });
    await testId('tab-slack').click();
    const message = testId('slack-message').filter({ hasText: 'e2e-live' });
    await message.first().waitFor({ timeout: 30_000 });
    const fields = await message.first().locator('[data-testid="slack-field"]').allInnerTexts();
    expect(fields).toContain('Actual spend\n$455.00 of $500.00 (91%)');
    expect(fields.join('\n')).toContain('Threshold\n> $400.00');
    expect(await page.evaluate(() => (globalThis as { sameDocument?: boolean }).sameDocument)).toBe(true);
  }, 60_000);

  it('redrives a dead-lettered record from the page and sees it delivered', async () => {
    // A record the Slack consumer parked earlier (say while the channel was archived), as the consumer parks it.
    const { stack } = pipeline;
    await stack.sqs.send(
      new SendMessageCommand({
        QueueUrl: stack.queues.slack.dlqUrl,
        MessageBody: budget('e2e-parked', '$480.00'),
        MessageAttributes: {
          'spend-alerts-reason': { DataType: 'String', StringValue: 'finops-slack: Slack is_archived' },
          'spend-alerts-failure': { DataType: 'String', StringValue: 'permanent' },
          'spend-alerts-receiver': { DataType: 'String', StringValue: 'finops-slack' },
        },
      }),
    );
    await testId('tab-dlq').click();
    const row = testId('dlq-row').filter({ hasText: 'is_archived' });
    await row.first().waitFor({ timeout: 30_000 });
    await row.first().locator('[data-testid="redrive-button"]').click();
    await expect.poll(() => testId('dlq-row').filter({ hasText: 'is_archived' }).count(), { timeout: 30_000 }).toBe(0);

    await testId('tab-slack').click();
    await testId('slack-message').filter({ hasText: 'e2e-parked' }).first().waitFor({ timeout: 30_000 });
    await page.screenshot({ path: join(tmpdir(), 'spend-alerts-dashboard-e2e.png'), fullPage: true });
  }, 60_000);
});
