import { describe, expect, it } from 'vitest';
import { readInput, renderEmail, renderSlackMessage, type EmailReceiver, type SlackReceiver } from '@spend-alerts/core';
import { readFixture } from '../fixtures/load.ts';

/**
 * The "Open in the AWS console" link comes from the message, whose text the sender controls (a
 * budget name, an alarm description). It is taken only from where AWS puts it, and only when its
 * parsed host is the AWS console; anything else gets the default console page.
 */

const BUDGET = readFixture('budgets/cost-monthly-actual-costmanagement-link.txt');
const ANOMALY = JSON.parse(readFixture('anomaly/sns-current-docs-sample.json')) as Record<string, unknown>;
const DEFAULT_BUDGETS = 'https://console.aws.amazon.com/costmanagement/home#/budgets';
const DEFAULT_ANOMALY = 'https://console.aws.amazon.com/cost-management/home#/anomaly-detection/overview';

/** Links an attacker would write: hosts that contain the console's name without being it. */
const SPOOFS = [
  'https://evil.example/console.aws.amazon.com/login',
  'https://console.aws.amazon.com.evil.example/budgets',
  'https://evilconsole.aws.amazon.com/budgets',
  'https://console.aws.amazon.com@evil.example/budgets',
  'https://user:pass@console.aws.amazon.com/budgets',
  'https://console.aws.amazon.com:8443/budgets',
  'http://console.aws.amazon.com/budgets',
  'javascript://console.aws.amazon.com/%0aalert(1)',
  'https://evil.example/?next=https://console.aws.amazon.com/',
];

const budgetNamed = (name: string) => BUDGET.replace(/^Budget Name: .*$/m, `Budget Name: ${name}`);
const one = (input: unknown) => readInput(input).events[0]!;

describe('budget console links', () => {
  it.each(SPOOFS)('a budget named "team %s" keeps the AWS link', (url) => {
    const event = one(budgetNamed(`team ${url}`));
    expect(event.kind).toBe('budget');
    expect(event.consoleUrl).toBe(DEFAULT_BUDGETS);
  });

  it.each(SPOOFS)('a footnote link %s is refused for the default console page', (url) => {
    const event = one(BUDGET.replace(/^\[1\] .*$/m, `[1] ${url}`));
    expect(event.consoleUrl).toBe(DEFAULT_BUDGETS);
  });

  it('a spoofed link in the prose, before the footnote, is not taken either', () => {
    const text = BUDGET.replace(
      'dashboard [1].',
      'dashboard [1] https://evil.example/console.aws.amazon.com/.',
    ).replace(/^\[1\] .*$/m, '');
    expect(one(text).consoleUrl).toBe(DEFAULT_BUDGETS);
  });

  it('the footnote link AWS writes is kept, old and new, and a regional console host too', () => {
    expect(one(BUDGET).consoleUrl).toBe(DEFAULT_BUDGETS);
    const old = readFixture('budgets/cost-monthly-actual-billing-link.txt');
    expect(one(old).consoleUrl).toBe('https://console.aws.amazon.com/billing/home#/budgets');
    const regional = 'https://us-east-1.console.aws.amazon.com/costmanagement/home#/budgets/details';
    expect(one(BUDGET.replace(/^\[1\] .*$/m, `[1] ${regional}`)).consoleUrl).toBe(regional);
  });

  it('the button in Slack and the link in the email point at the console, never at the spoofed host', () => {
    const event = one(budgetNamed('team https://evil.example/console.aws.amazon.com/login'));
    const n = <R>(receiver: R) => ({ events: [{ event, enrichment: null }], receiver, route: 'r', groupKey: '{}' });
    const slack = JSON.stringify(
      renderSlackMessage(n({ name: 'ops', type: 'slack', channel: '#x' } as unknown as SlackReceiver), {}),
    );
    const email = renderEmail(n({ name: 'm', type: 'email', to: ['a@example.com'] } as unknown as EmailReceiver), {});
    expect(slack).toContain(DEFAULT_BUDGETS);
    for (const href of email.html.matchAll(/href="([^"]*)"/g))
      expect(new URL(href[1]!).hostname).not.toBe('evil.example');
  });
});

describe('anomaly details links', () => {
  it.each(SPOOFS)('anomalyDetailsLink %s is refused, with a diagnostic', (url) => {
    const event = one(JSON.stringify({ ...ANOMALY, anomalyDetailsLink: url }));
    expect(event.consoleUrl).toBe(DEFAULT_ANOMALY);
    expect(event.kind === 'anomaly' && event.anomaly.detailsUrl).toBe(null);
    expect(event.diagnostics.join('\n')).toMatch(/anomalyDetailsLink is not an AWS console link/);
  });

  it('the link AWS writes is kept', () => {
    const event = one(JSON.stringify(ANOMALY));
    expect(event.consoleUrl).toBe(ANOMALY.anomalyDetailsLink);
    expect(event.diagnostics).toEqual([]);
  });
});
