import { describe, expect, it } from 'vitest';
import { money } from '../event/money.ts';
import type { DigestBudget, DigestMover } from './build.ts';
import { budgetLine, localTime, moverLine, renderDigestText } from './render-text.ts';
import { digestOf, hostileEvents } from './test-digests.ts';

describe('renderDigestText', () => {
  it('writes every section of a busy period', () => {
    const text = renderDigestText(digestOf());
    expect(text.split('\n').slice(0, 3)).toEqual([
      'Daily spend digest: Thursday 14 May 2026',
      '',
      '3 spend alerts on Thursday 14 May 2026: 1 budget alert, 1 cost anomaly, 1 billing alarm. Month to date $5,860.00 (▲ 17% vs last month), 49% of monthly-total, forecast $13,020.00.',
    ]);
    for (const heading of [
      'SPEND',
      'BUDGETS',
      'TOP SERVICES',
      'LARGEST MOVERS (vs the same days last month)',
      'BUDGET ALERTS (1)',
      'COST ANOMALIES (1)',
      'BILLING ALARMS (1)',
      'LINKS',
    ]) {
      expect(text).toContain(`\n${heading}`);
    }
    expect(text).toContain('  Month to date:      $5,860.00 (▲ 17% vs the same days last month)');
    expect(text).toMatch(/ {2}Daily spend: {8}[▁▂▃▄▅▆▇█]{14} {2}2026-05-01 → 2026-05-14/);
    expect(text).toContain('  Amazon Elastic Compute Cloud - Compute  $2,500.00  ▲ 25%');
    expect(text.trimEnd().split('\n').at(-1)).toBe(
      'Times in Europe/Berlin. Digest for finops-digest, sent by spend-alerts.',
    );
  });

  it('keeps an empty period short: the all-quiet line, budgets, links', () => {
    const text = renderDigestText(digestOf({ events: [] }));
    expect(text).toMatch(
      /^Daily spend digest: Thursday 14 May 2026\n\nAll quiet: no spend alerts on Thursday 14 May 2026\./,
    );
    expect(text).toContain('\nBUDGETS\n');
    expect(text).not.toMatch(/SPEND\n|TOP SERVICES|MOVERS|ALERTS \(/);
  });

  it('says when the costs are missing', () => {
    expect(renderDigestText(digestOf({ enrichment: null }))).toContain(
      'Note: Cost data unavailable: enrichment is off or failed.',
    );
  });

  it('prints message text as it is: text needs no escaping', () => {
    expect(renderDigestText(digestOf({ events: hostileEvents() }))).toContain('<script>alert(1)</script> <!channel>');
  });
});

describe('shared wordings', () => {
  const budget: DigestBudget = {
    name: 'web',
    period: 'quarterly',
    account: '222222222222',
    limit: money(3000),
    actual: null,
    percent: null,
    forecasted: null,
    forecastPercent: null,
    level: 'unknown',
    source: null,
  };

  it('says a budget’s spend, or that it is not known', () => {
    expect(budgetLine(budget)).toBe('web (account 222222222222): $3,000.00 quarterly limit, spend not known');
    expect(
      budgetLine({
        ...budget,
        period: 'monthly',
        account: null,
        actual: money(2900),
        percent: 96.7,
        source: 'alert',
        level: 'at-risk',
      }),
    ).toBe('web: $2,900.00 of $3,000.00 (97%), as of its latest alert');
  });

  it('says which way a mover moved, against what', () => {
    const mover: DigestMover = { name: 'AWS Lambda', delta: money(-42.5), changePercent: -12.3, basis: 'last-digest' };
    expect(moverLine(mover)).toBe('AWS Lambda: ▼ $42.50 less than its daily average before the last digest (▼ 12%)');
    expect(moverLine({ ...mover, delta: money(10), changePercent: null, basis: 'last-month' })).toBe(
      'AWS Lambda: ▲ $10.00 more than the same days last month',
    );
  });

  it('gives times in the digest’s zone', () => {
    expect(localTime('2024-03-31T01:30:00Z', 'Europe/Berlin')).toBe('31 Mar 03:30');
    expect(localTime('2024-03-31T01:30:00Z', 'Asia/Kathmandu')).toBe('31 Mar 07:15');
  });
});
