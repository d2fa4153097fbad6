import { describe, expect, it } from 'vitest';
import { accounts, budgetAdjustmentJson, budgetText, eventOf, UNRECOGNIZED_TEXT } from '../channels/test-messages.ts';
import { money } from '../event/money.ts';
import type { SpendEvent } from '../event/schema.ts';
import { digestSnapshot, shouldSendDigest } from './build.ts';
import { BUDGETS, digestOf, enrichment, plainEvents } from './test-digests.ts';

describe('buildDigest with costs', () => {
  const d = digestOf();

  it('states month to date, its change and the forecast', () => {
    expect(d.spend).toMatchObject({
      month: '2026-05',
      monthToDate: money(5860),
      changePercent: 17.2,
      forecast: { total: money(13020) },
    });
    expect(d.empty).toBe(false);
    expect(d.unavailable).toBeNull();
  });

  it('measures each budget against the cost that covers it', () => {
    expect(d.budgets).toEqual([
      expect.objectContaining({
        name: 'monthly-total',
        actual: money(5860),
        percent: 48.8,
        forecasted: money(13020),
        forecastPercent: 108.5,
        level: 'at-risk',
        source: 'cost-explorer',
      }),
      // A linked account's budget: its own cost from the payer's breakdown, no total forecast.
      expect.objectContaining({
        name: 'data-lake-monthly',
        account: '222222222222',
        actual: money(2700),
        percent: 90,
        forecasted: null,
        level: 'at-risk',
        source: 'cost-explorer',
      }),
    ]);
  });

  it('prefers spend the caller knows, and says over at 100%', () => {
    const given = digestOf({ budgets: [{ ...BUDGETS[0]!, actual: money(12500), forecasted: money(14000) }] });
    expect(given.budgets[0]).toMatchObject({ actual: money(12500), percent: 104.2, level: 'over', source: 'given' });
  });

  it('lists top services without Other, with their share', () => {
    expect(d.services.map((s) => [s.name, s.share])).toEqual([
      ['Amazon Elastic Compute Cloud - Compute', 42.7],
      ['Amazon Relational Database Service', 23.9],
      ['Amazon Simple Storage Service', 15.4],
      ['AWS Lambda', 8.2],
      ['Amazon CloudWatch', 5.1],
    ]);
  });

  it('without a previous digest in the month, ranks movers by money against the same days last month', () => {
    expect(d.movers).toEqual([
      { name: 'Amazon Elastic Compute Cloud - Compute', delta: money(500), changePercent: 25, basis: 'last-month' },
      { name: 'Amazon Simple Storage Service', delta: money(300), changePercent: 50, basis: 'last-month' },
      { name: 'Amazon Relational Database Service', delta: money(-100), changePercent: -6.7, basis: 'last-month' },
    ]);
  });

  it('with a previous digest in the month, compares spend since then with each service’s daily average before', () => {
    // 13 days before (1–13 May), 1 day since. EC2 averaged $150/day and spent $550 since: +$400.
    const previousDigest = {
      window: { start: '2026-05-01', end: '2026-05-14' },
      services: [
        { name: 'Amazon Elastic Compute Cloud - Compute', cost: money(1950) },
        { name: 'Amazon Relational Database Service', cost: money(1300) },
        { name: 'Amazon Simple Storage Service', cost: money(845) },
      ],
    };
    const movers = digestOf({ previousDigest }).movers;
    expect(movers[0]).toEqual({
      name: 'Amazon Elastic Compute Cloud - Compute',
      delta: money(400),
      changePercent: 266.7,
      basis: 'last-digest',
    });
    // RDS averaged $100/day and spent $100: no movement, so not a mover.
    expect(movers.map((m) => m.name)).not.toContain('Amazon Relational Database Service');
    expect(movers.map((m) => m.basis)).toEqual(movers.map(() => 'last-digest'));
  });

  it('falls back to last month when the previous digest was in another month', () => {
    const previousDigest = {
      window: { start: '2026-04-01', end: '2026-05-01' },
      services: [{ name: 'AWS Lambda', cost: money(900) }],
    };
    expect(digestOf({ previousDigest }).movers.every((m) => m.basis === 'last-month')).toBe(true);
  });

  it('keeps what the next digest needs', () => {
    expect(digestSnapshot(d)).toEqual({
      window: { start: '2026-05-01', end: '2026-05-15' },
      services: d.services.map((s) => ({ name: s.name, cost: s.cost })),
    });
  });

  it('charts only monthly budgets over the same cost as the line', () => {
    expect(d.chart).toMatchObject({
      month: '2026-05',
      currency: 'USD',
      budgets: [{ name: 'monthly-total', limit: 12000 }],
      forecast: 13020,
    });
    expect(d.chart!.daily).toHaveLength(14);
  });

  it('has console links and a summary that says the count and where spend stands', () => {
    expect(d.links.map((l) => l.label)).toEqual(['Cost Explorer', 'Budgets', 'Cost Anomaly Detection']);
    expect(d.title).toBe('Daily spend digest: Thursday 14 May 2026');
    expect(d.summary).toBe(
      '3 spend alerts on Thursday 14 May 2026: 1 budget alert, 1 cost anomaly, 1 billing alarm. Month to date $5,860.00 (▲ 17% vs last month), 49% of monthly-total, forecast $13,020.00.',
    );
  });
});

describe('alerts grouped by kind', () => {
  const many: SpendEvent[] = [
    ...Array.from({ length: 7 }, (_, i) =>
      eventOf(budgetText({ name: `team-${i}`, amount: `$${100 + i}.00`, limit: '$500.00', threshold: '$50.00' })),
    ),
    eventOf(budgetText({ name: 'web', amount: '$560.00', limit: '$500.00' })),
    eventOf(budgetAdjustmentJson()),
    eventOf(UNRECOGNIZED_TEXT),
    ...plainEvents().slice(1),
  ];
  const { alerts } = digestOf({ events: many, accounts });

  it('counts each kind, money kinds first and unreadable messages last', () => {
    expect(alerts.total).toBe(12);
    expect(alerts.groups.map((g) => [g.kind, g.count])).toEqual([
      ['budget', 8],
      ['anomaly', 1],
      ['billing-alarm', 1],
      ['budget-adjustment', 1],
      ['unrecognized', 1],
    ]);
  });

  it('shows the worst first and counts the rest', () => {
    const budgets = alerts.groups[0]!;
    expect(budgets.items).toHaveLength(5);
    expect(budgets.more).toBe(3);
    expect(budgets.severity).toBe('critical');
    expect(budgets.items[0]).toMatchObject({
      title: expect.stringContaining('"web"'),
      severity: 'critical',
      account: 'production',
      detail: null,
    });
  });

  it('gives anomalies their main root cause and alarms their state change', () => {
    expect(alerts.groups[1]!.items[0]!.detail).toBe(
      'Amazon Elastic Compute Cloud - Compute · ap-northeast-1 · production (123456789012) · APN1-BoxUsage:t3.large — $601.00',
    );
    expect(alerts.groups[2]!.items[0]!.detail).toBe('State: OK → ALARM');
  });
});

describe('buildDigest without costs', () => {
  const d = digestOf({ enrichment: null });

  it('still lists the alerts, and says why the costs are missing', () => {
    expect(d.spend).toBeNull();
    expect(d.services).toEqual([]);
    expect(d.movers).toEqual([]);
    expect(d.chart).toBeNull();
    expect(d.unavailable).toMatch(/unavailable/);
    expect(d.alerts.total).toBe(3);
  });

  it('takes a budget’s spend from its latest ACTUAL alert, or says it is unknown', () => {
    const events = [eventOf(budgetText({ name: 'monthly-total', amount: '$9,900.00', limit: '$12,000.00' }))];
    const [total, lake] = digestOf({ enrichment: null, events }).budgets;
    expect(total).toMatchObject({ actual: money(9900), percent: 82.5, level: 'at-risk', source: 'alert' });
    expect(lake).toMatchObject({ actual: null, percent: null, level: 'unknown', source: null });
  });
});

describe('an empty period', () => {
  const d = digestOf({ events: [] });

  it('is flagged, with an all-quiet summary', () => {
    expect(d.empty).toBe(true);
    expect(d.alerts).toEqual({ total: 0, firing: 0, resolved: 0, groups: [] });
    expect(d.summary).toMatch(/^All quiet: no spend alerts on Thursday 14 May 2026\. Month to date \$5,860\.00/);
  });

  it('is sent only when the receiver asked for all-quiet lines', () => {
    expect(shouldSendDigest(d, { sendWhenEmpty: true })).toBe(true);
    expect(shouldSendDigest(d, { sendWhenEmpty: false })).toBe(false);
    expect(shouldSendDigest(digestOf(), { sendWhenEmpty: false })).toBe(true);
  });

  it('works with neither alerts nor costs', () => {
    const bare = digestOf({ events: [], enrichment: null, budgets: [] });
    expect(bare.summary).toBe('All quiet: no spend alerts on Thursday 14 May 2026.');
  });
});

it('measures budgets in USD only: a percent of another currency would mislead', () => {
  const d = digestOf({ enrichment: enrichment({ currency: 'EUR', monthToDate: money(5000, 'EUR') }) });
  expect(d.budgets[0]).toMatchObject({ actual: money(5000, 'EUR'), percent: null, level: 'unknown' });
});
