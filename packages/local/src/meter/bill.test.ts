import { describe, expect, it } from 'vitest';
import { buildBill } from './bill.ts';
import type { MonthModel } from './model.ts';
import type { UsageRecord } from './usage.ts';

const GB = 1024 ** 3;
const model: MonthModel = {
  polledQueues: 3,
  idleReceives: 1_944_000,
  idleReceivesOptimized: 777_600,
  schedules: { Digest: 720, Watchdog: 720 },
  operationsAlarms: 2,
  customMetrics: 0,
  userBillingAlarms: 2,
  userBudgets: 3,
  userAnomalyMonitors: 1,
};
const r = (key: UsageRecord['key'], quantity: number, detail = 'x', source = 'consumer:slack'): UsageRecord => ({
  key,
  source,
  detail,
  quantity,
});

describe('buildBill', () => {
  const bill = buildBill({
    records: [
      r('lambda.requests', 1_000_000),
      r('lambda.gbSeconds', 75_000),
      r('sqs.requests', 2_000_000, 'ReceiveMessage'),
      r('sqs.requests', 500_000, 'ReceiveMessage (empty)'),
      r('sns.publishes', 10_000, 'Publish', 'aws'),
      r('dynamodb.writeUnits', 1_600_000),
      r('dynamodb.readUnits', 8_000_000),
      r('costExplorer.requests', 100),
      r('ses.recipients', 1000),
      r('logs.ingestedBytes', GB),
    ],
    storedBytes: 4 * GB,
    model,
  });
  const usd = (item: string) => bill.items.find((i) => i.item === item)!.usd;

  it('prices each dimension at its list price', () => {
    expect(usd('lambda.requests')).toBeCloseTo(0.2, 10);
    expect(usd('lambda.compute')).toBeCloseTo(75_000 * 0.0000133334, 10);
    expect(usd('sqs.requests')).toBeCloseTo(0.8, 10); // the 500,000 empty local receives are not billed
    expect(usd('sqs.snsDeliveries')).toBeCloseTo((30_000 * 0.4) / 1e6, 10);
    expect(usd('sqs.idlePolling')).toBeCloseTo(0.7776, 10);
    expect(usd('sns.publishes')).toBeCloseTo(0.005, 10);
    expect(usd('dynamodb.writes')).toBeCloseTo(1, 10);
    expect(usd('dynamodb.reads')).toBeCloseTo(1, 10);
    expect(usd('dynamodb.storage')).toBeCloseTo(1, 10);
    expect(usd('costExplorer.requests')).toBeCloseTo(1, 10);
    expect(usd('ses.recipients')).toBeCloseTo(0.1, 10);
    // 1 GB written, plus Lambda's own 300 bytes per invocation
    expect(usd('logs.ingestion')).toBeCloseTo(((GB + 300_000_000) / GB) * 0.5, 10);
    expect(usd('scheduler.invocations')).toBeCloseTo(0.00144, 10);
    expect(usd('cloudwatch.alarms')).toBeCloseTo(0.2, 10);
    expect(bill.usd).toBeCloseTo(
      bill.items.reduce((n, i) => n + i.usd, 0),
      10,
    );
  });

  it("says which counts are metered and which modelled, and lists the user's own resources apart", () => {
    const basis = Object.fromEntries(bill.items.map((i) => [i.item, i.basis]));
    expect(basis).toMatchObject({
      'sqs.requests': 'metered',
      'sqs.idlePolling': 'modelled',
      'scheduler.invocations': 'modelled',
    });
    expect(bill.items.find((i) => i.item === 'sqs.idlePolling')!.note).toContain(
      '500000 empty receives are not counted',
    );
    expect(bill.listedApart.map((i) => [i.item, i.count, i.usd])).toEqual([
      ['user.billingAlarms', 2, 0.2],
      ['user.budgets', 3, 0],
      ['user.anomalyMonitors', 1, 0],
    ]);
    expect(bill.meteredUsd + bill.modelledUsd).toBeCloseTo(bill.usd, 10);
  });

  it('takes an override in place of a metered count', () => {
    const modelled = buildBill({
      records: [r('costExplorer.requests', 5)],
      storedBytes: 0,
      model,
      overrides: { 'costExplorer.requests': { count: 60, basis: 'modelled', note: 'refresh windows' } },
    });
    expect(modelled.items.find((i) => i.item === 'costExplorer.requests')).toMatchObject({
      count: 60,
      usd: 0.6,
      basis: 'modelled',
    });
  });
});
