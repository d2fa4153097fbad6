import { describe, expect, it } from 'vitest';
import { loadConfig } from '@spend-alerts/core';
import { PRICES } from './prices.ts';
import { digestSendsWithAlerts, pagesPerRefresh, perAlert, projectBill, refreshesPerMonth } from './project.ts';
import { configModel } from './run-bill.ts';
import type { UsageRecord } from './usage.ts';

const rec = (key: UsageRecord['key'], source: string, detail: string, quantity: number): UsageRecord => ({
  key,
  source,
  detail,
  quantity,
});

const CONFIG = loadConfig(
  `
enrichment: { cacheTtl: 12h, maxRequestsPerMonth: 60 }
email: { from: a@example.com }
receivers:
  - { name: ops, type: slack, channel: "#ops" }
  - { name: daily, type: email, to: [f@example.com], mode: digest, digest: { every: day, hour: 8 } }
  - { name: weekly, type: slack, channel: "#w", mode: digest, digest: { every: week, weekday: monday, hour: 9 } }
route: { receiver: ops }
`,
  'test.yaml',
);

describe('perAlert', () => {
  const idle = {
    records: [
      rec('dynamodb.writeUnits', 'consumer:slack', 'PutItem (DELIVERY)', 10),
      rec('dynamodb.readUnits', 'watchdog', 'GetItem (CACHE)', 700),
    ],
    storedBytes: 0,
    alerts: 0,
  };
  const sample = {
    records: [
      rec('dynamodb.writeUnits', 'consumer:slack', 'PutItem (DELIVERY)', 50),
      rec('dynamodb.readUnits', 'watchdog', 'GetItem (CACHE)', 900),
      rec('costExplorer.requests', 'consumer:slack', 'GetCostAndUsage (3 days)', 4),
      rec('sns.publishes', 'aws', 'Publish', 20),
    ],
    storedBytes: 0,
    alerts: 20,
  };

  it("is the sample less the idle month, over the sample's alerts; schedules and Cost Explorer apart", () => {
    expect(perAlert(idle, sample)).toEqual([
      rec('dynamodb.writeUnits', 'consumer:slack', 'PutItem (DELIVERY)', 2), // (50 - 10) / 20
      rec('sns.publishes', 'aws', 'Publish', 1),
    ]);
  });

  it("takes the idle month's share for a stretch shorter than a month", () => {
    // A tenth of a month: the idle share is 1 of the 10 writes.
    expect(perAlert(idle, sample, 0.1)[0]!.quantity).toBeCloseTo(49 / 20, 12);
  });

  it('refuses a sample without alerts', () => {
    expect(() => perAlert(idle, { ...sample, alerts: 0 })).toThrow(/no alert/);
  });
});

describe('refreshesPerMonth', () => {
  const halfDay = 12 * 3_600_000;

  it('is none without alerts, and at most one per window (60 of 12 h in 30 days)', () => {
    expect(refreshesPerMonth(0, 0, halfDay)).toBe(0);
    expect(refreshesPerMonth(1_000_000, 0, halfDay)).toBeCloseTo(60, 9);
  });

  it('counts the windows an alert falls in: 60 alerts at random fill 1 - 1/e of 60 windows', () => {
    expect(refreshesPerMonth(60, 0, halfDay)).toBeCloseTo(60 * (1 - Math.exp(-1)), 9);
    expect(refreshesPerMonth(30, 30, halfDay)).toBeCloseTo(60 * (1 - Math.exp(-1)), 9);
  });
});

describe('digestSendsWithAlerts', () => {
  it('is each digest period that gets an alert: 30 daily and 30/7 weekly periods', () => {
    expect(digestSendsWithAlerts(CONFIG, 0)).toBe(0);
    expect(digestSendsWithAlerts(CONFIG, 1e9)).toBeCloseTo(30 + 30 / 7, 9);
    expect(digestSendsWithAlerts(CONFIG, 30)).toBeCloseTo(30 * (1 - Math.exp(-1)) + (30 / 7) * (1 - Math.exp(-7)), 9);
  });
});

describe('pagesPerRefresh', () => {
  it('averages the pages of the short refreshes, and counts the first fill apart', () => {
    const records = [
      rec('costExplorer.requests', 'consumer:slack', 'GetCostAndUsage (3 days)', 4),
      rec('costExplorer.requests', 'consumer:slack', 'GetCostAndUsage (3 days, next page)', 2),
      rec('costExplorer.requests', 'digest', 'GetCostAndUsage (45 days)', 1),
      rec('costExplorer.requests', 'digest', 'GetCostAndUsage (45 days, next page)', 3),
    ];
    expect(pagesPerRefresh(records)).toEqual({ steady: 1.5, firstFill: 4 });
  });
});

describe('projectBill', () => {
  const model = configModel(CONFIG);
  const idle = {
    records: [rec('lambda.requests', 'watchdog', 'invocation', 720)],
    storedBytes: 1000,
    alerts: 0,
  };
  const sample = {
    records: [
      rec('lambda.requests', 'watchdog', 'invocation', 720),
      rec('lambda.requests', 'consumer:slack', 'invocation', 10),
      rec('dynamodb.writeUnits', 'consumer:slack', 'PutItem (DELIVERY)', 30),
      rec('costExplorer.requests', 'consumer:slack', 'GetCostAndUsage (3 days)', 5),
    ],
    storedBytes: 3000,
    alerts: 10,
  };
  const item = (bill: ReturnType<typeof projectBill>, key: string) => bill.items.find((i) => i.item === key)!;

  it('scales what one alert adds, and keeps the schedules as they are', () => {
    const bill = projectBill({ config: CONFIG, model, idle, sample, alertsPerMonth: 1000 });
    expect(item(bill, 'lambda.requests').count).toBe(720 + 1000);
    expect(item(bill, 'dynamodb.writes').count).toBe(3000);
    expect(item(bill, 'dynamodb.writes').usd).toBeCloseTo(
      (3000 * PRICES.dynamoWrites.usd) / PRICES.dynamoWrites.per,
      12,
    );
  });

  it('prices Cost Explorer by the windows alerts fall in, never past maxRequestsPerMonth', () => {
    const few = projectBill({ config: CONFIG, model, idle, sample, alertsPerMonth: 10 });
    // 10 alerts and the digests they land in, over 60 windows; one page each as metered.
    const triggers = 10 + digestSendsWithAlerts(CONFIG, 10);
    expect(item(few, 'costExplorer.requests').count).toBeCloseTo(60 * (1 - Math.exp(-triggers / 60)), 5);
    const many = projectBill({ config: CONFIG, model, idle, sample, alertsPerMonth: 100_000 });
    expect(item(many, 'costExplorer.requests').count).toBe(60);
    expect(item(many, 'costExplorer.requests').usd).toBeCloseTo(0.6, 9);
    expect(
      item(projectBill({ config: CONFIG, model, idle, sample, alertsPerMonth: 0 }), 'costExplorer.requests').count,
    ).toBe(0);
  });
});
