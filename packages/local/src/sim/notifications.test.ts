import { readFileSync } from 'node:fs';
import { readInput, type SpendEvent } from '@spend-alerts/core';
import { describe, expect, it } from 'vitest';
import { anomalyAsOf } from './anomaly.ts';
import { EC2_COMPUTE } from './catalog.ts';
import { anomalyMessage, billingAlarmMessage, budgetNotification, javaDouble } from './notifications.ts';
import { createSpendModel } from './spend-model.ts';

const model = createSpendModel({ month: '2026-06' });
const fixture = (path: string) => readFileSync(new URL(`../../../../tests/fixtures/${path}`, import.meta.url), 'utf8');
const DATA_LAKE = '222222222222';

/** The one event a message normalizes to, asserting it read cleanly. */
function normalized(message: string, subject: string | null = null): SpendEvent {
  // Delivered the way SNS delivers it to SQS, so the Subject is seen as it would be.
  const envelope = JSON.stringify({
    Type: 'Notification',
    MessageId: 'b0c1d2e3-0000-4000-8000-000000000001',
    TopicArn: 'arn:aws:sns:us-east-1:999999999999:SpendEvents',
    Subject: subject,
    Message: message,
    Timestamp: '2026-06-21T06:20:00.000Z',
  });
  const { events } = readInput(envelope);
  expect(events).toHaveLength(1);
  expect(events[0]!.diagnostics).toEqual([]);
  return events[0]!;
}

/** A Budgets text with every value that varies replaced, to compare shapes. */
function budgetShape(text: string, name: string): string {
  return text
    .replaceAll(name, '<name>')
    .replace(/\$[0-9,]+\.[0-9]{2}/g, '$<amount>')
    .replace(/^AWS Budget Notification [A-Z][a-z]+ \d{2}, \d{4}$/m, 'AWS Budget Notification <date>')
    .replace(/^AWS Account \d{12}$/m, 'AWS Account <account>');
}

describe('budgetNotification', () => {
  const total = { name: 'monthly-total', limit: 12000 };
  const dataLake = { name: 'data-lake-monthly', limit: 3000, account: DATA_LAKE };

  it('writes the exact text of a real monthly ACTUAL notification, and its subject', () => {
    const m = budgetNotification(
      total,
      { type: 'ACTUAL', thresholdPercent: 80 },
      '2026-06-21',
      model,
      model.payerAccountId,
    );
    const real = fixture('budgets/cost-monthly-actual-costmanagement-link.txt');
    expect(budgetShape(m.message, 'monthly-total')).toBe(
      budgetShape(real, 'MonthlyBudget-eu-west-1-1770978414540-1X3bcZUWhcMp'),
    );
    expect(m.subject).toBe('AWS Budgets: monthly-total has exceeded your alert threshold');
    expect(m.message).toContain('AWS Budget Notification June 21, 2026\nAWS Account 999999999999\n');
    expect(m.message).toContain('Budgeted Amount: $12,000.00\nAlert Type: ACTUAL\nAlert Threshold: > $9,600.00\n');
  });

  it('zero-pads the day of the month, as AWS does', () => {
    expect(budgetNotification(total, { type: 'ACTUAL', thresholdPercent: 50 }, '2026-06-05', model).message).toMatch(
      /^AWS Budget Notification June 05, 2026\n/,
    );
  });

  it('writes the exact text of a real FORECASTED notification', () => {
    const m = budgetNotification(dataLake, { type: 'FORECASTED', thresholdPercent: 100 }, '2026-06-13', model);
    const real = fixture('budgets/cost-monthly-forecasted-costmanagement-link.txt');
    expect(budgetShape(m.message, 'data-lake-monthly')).toBe(budgetShape(real, 'test'));
    expect(m.amountCents).toBe(model.forecastMonthEnd('2026-06-13', { account: DATA_LAKE }));
  });

  it('states, for ACTUAL, the model month-to-date of the budget scope, and normalizes to exactly that', () => {
    for (const [budget, scope] of [
      [total, {}],
      [dataLake, { account: DATA_LAKE }],
    ] as const) {
      const m = budgetNotification(budget, { type: 'ACTUAL', thresholdPercent: 80 }, '2026-06-24', model);
      expect(m.amountCents).toBe(model.monthToDate('2026-06-24', scope));
      const event = normalized(m.message, m.subject);
      expect(event.kind).toBe('budget');
      if (event.kind !== 'budget') return;
      expect(event.accountId).toBe(model.payerAccountId);
      expect(event.budget).toMatchObject({
        name: budget.name,
        type: 'Cost',
        period: 'monthly',
        alertType: 'ACTUAL',
        notificationDate: '2026-06-24',
      });
      expect(Math.round(event.budget.spend!.amount * 100)).toBe(m.amountCents);
      expect(Math.round(event.budget.threshold!.amount * 100)).toBe(m.thresholdCents);
      expect(event.budget.limit).toEqual({ amount: budget.limit, currency: 'USD' });
    }
  });

  it('writes daily budgets as AWS does ("per day. Yesterday, …") with yesterday’s cost', () => {
    const daily = { name: 'killswitch', limit: 600, period: 'daily' as const };
    const m = budgetNotification(daily, { type: 'ACTUAL', thresholdPercent: 75 }, '2026-06-21', model);
    const real = fixture('budgets/cost-daily-actual.txt').replace('billing/home', 'costmanagement/home');
    expect(budgetShape(m.message, 'killswitch')).toBe(budgetShape(real, 'killswitch'));
    expect(m.amountCents).toBe(model.costBetween('2026-06-20', '2026-06-21'));
    const event = normalized(m.message, m.subject);
    expect(event.kind === 'budget' && event.budget.period).toBe('daily');
    expect(() => budgetNotification(daily, { type: 'FORECASTED', thresholdPercent: 100 }, '2026-06-21', model)).toThrow(
      RangeError,
    );
  });

  it('names quarterly and annual periods in the prose, and the normalizer reads them back', () => {
    for (const period of ['quarterly', 'annually'] as const) {
      const m = budgetNotification(
        { name: `q-${period}`, limit: 50000, period },
        { type: 'ACTUAL', thresholdPercent: 50 },
        '2026-06-21',
        model,
      );
      const event = normalized(m.message, m.subject);
      expect(event.kind === 'budget' && event.budget.period).toBe(period);
      expect(m.amountCents).toBe(model.periodToDate('2026-06-21', period));
    }
  });
});

describe('billingAlarmMessage', () => {
  const alarm = { name: 'ec2-charges-over-4k', threshold: 4000, service: 'AmazonEC2' };

  it('has the field set and order of a current CloudWatch alarm message', () => {
    const m = JSON.parse(billingAlarmMessage(alarm, 'ALARM', '2026-06-16', 412_345).message) as Record<
      string,
      Record<string, unknown>
    >;
    const real = JSON.parse(fixture('cloudwatch/lambda-concurrency-alarm-modern.json')) as Record<
      string,
      Record<string, unknown>
    >;
    expect(Object.keys(m)).toEqual(Object.keys(real));
    expect(Object.keys(m.Trigger!)).toEqual(Object.keys(real.Trigger!));
  });

  it('writes doubles the Java way, `+0000` times, the display region and lower-case dimension keys', () => {
    const { subject, message } = billingAlarmMessage(alarm, 'ALARM', '2026-06-16', 412_345, {
      accountId: '999999999999',
    });
    expect(subject).toBe('ALARM: "ec2-charges-over-4k" in US East (N. Virginia)');
    expect(message).toContain('"Threshold":4000.0,');
    expect(message).toContain('"StateChangeTime":"2026-06-16T06:13:14.090+0000"');
    expect(message).toContain(
      '"Region":"US East (N. Virginia)","AlarmArn":"arn:aws:cloudwatch:us-east-1:999999999999:alarm:ec2-charges-over-4k"',
    );
    expect(message).toContain(
      '"Dimensions":[{"value":"AmazonEC2","name":"ServiceName"},{"value":"USD","name":"Currency"}]',
    );
    expect(message).toContain(
      '"NewStateReason":"Threshold Crossed: 1 out of the last 1 datapoints [4123.45 (16/06/26 00:13:00)] was greater than the threshold (4000.0) (minimum 1 datapoint for OK -> ALARM transition)."',
    );
  });

  it('normalizes to a billing alarm with the value, threshold, scope and state it was given', () => {
    const alarmEvent = normalized(
      billingAlarmMessage({ ...alarm, linkedAccount: DATA_LAKE }, 'ALARM', '2026-06-16', 412_345).message,
    );
    expect(alarmEvent.kind).toBe('billing-alarm');
    if (alarmEvent.kind !== 'billing-alarm') return;
    expect(alarmEvent.alarm).toMatchObject({
      state: 'ALARM',
      previousState: 'OK',
      value: 4123.45,
      threshold: 4000,
      region: 'us-east-1',
      currency: 'USD',
      service: 'AmazonEC2',
      linkedAccount: DATA_LAKE,
    });
    expect(alarmEvent.occurredAt).toBe('2026-06-16T06:13:14.090Z');
    const ok = normalized(
      billingAlarmMessage({ name: 'estimated-charges-over-10k', threshold: 10000 }, 'OK', '2026-07-01', 0).message,
    );
    expect(ok).toMatchObject({
      kind: 'billing-alarm',
      status: 'resolved',
      alarm: { state: 'OK', previousState: 'ALARM', value: 0, threshold: 10000, dimensions: { Currency: 'USD' } },
    });
  });

  it('stamps the datapoint one period before the state change, on the previous day when it must', () => {
    expect(billingAlarmMessage(alarm, 'ALARM', '2026-06-16', 1, { time: '03:30:00.000' }).message).toContain(
      '[0.01 (15/06/26 21:30:00)]',
    );
  });

  it('formats doubles as Java prints them', () => {
    expect([javaDouble(0), javaDouble(1), javaDouble(424.2), javaDouble(12345.67), javaDouble(12_000_000)]).toEqual([
      '0.0',
      '1.0',
      '424.2',
      '12345.67',
      '1.2E7',
    ]);
  });
});

describe('anomalyMessage', () => {
  it('has the documented fields in the order of a real message, compact', () => {
    const { message, subject } = anomalyMessage(model, '2026-06-12');
    expect(subject).toBeNull();
    expect(message).not.toContain('\n');
    const keys = Object.keys(JSON.parse(message) as object);
    const documented = Object.keys(JSON.parse(fixture('anomaly/sns-current-docs-sample.json')) as object);
    const real = Object.keys(JSON.parse(fixture('anomaly/sns-real-cloudtrail-2023.json')) as object);
    expect(keys.slice().sort()).toEqual([...new Set([...documented, ...real])].sort());
    expect(keys).toEqual(real);
  });

  it('reports what is visible on the day: from the first day of the spike to yesterday', () => {
    expect(() => anomalyMessage(model, '2026-06-11')).toThrow(RangeError);
    const first = anomalyAsOf(model, '2026-06-12')!;
    expect([first.start, first.end, first.days.length]).toEqual(['2026-06-11', '2026-06-11', 1]);
    const whole = anomalyAsOf(model, '2026-06-20')!;
    expect([whole.start, whole.end, whole.days.length]).toEqual(['2026-06-11', '2026-06-14', 4]);
    expect(whole.anomalyId).toBe(first.anomalyId);
    expect(whole.totalImpactCents).toBeGreaterThan(first.totalImpactCents * 3);
  });

  it('normalizes to an anomaly whose impact equals the model’s extra spend', () => {
    const { message, report } = anomalyMessage(model, '2026-06-15');
    const event = normalized(message);
    expect(event.kind).toBe('anomaly');
    if (event.kind !== 'anomaly') return;
    const spent = model.costWhere('2026-06-11', '2026-06-15', (a, s) => a.id === DATA_LAKE && s.name === EC2_COMPUTE);
    const expected = ['2026-06-11', '2026-06-12', '2026-06-13', '2026-06-14'].reduce(
      (sum, d) => sum + model.expectedCents(d, DATA_LAKE, EC2_COMPUTE),
      0,
    );
    expect(Math.round(event.anomaly.impact.actualSpend!.amount * 100)).toBe(spent);
    expect(Math.round(event.anomaly.impact.expectedSpend!.amount * 100)).toBe(expected);
    expect(Math.round(event.anomaly.impact.total!.amount * 100)).toBe(spent - expected);
    expect(event.anomaly).toMatchObject({
      id: report.anomalyId,
      start: '2026-06-11T00:00:00Z',
      end: '2026-06-14T00:00:00Z',
      dimensionalValue: EC2_COMPUTE,
    });
    expect(event.anomaly.rootCauses).toEqual([
      {
        service: EC2_COMPUTE,
        region: 'us-east-1',
        linkedAccount: DATA_LAKE,
        linkedAccountName: 'data-lake',
        usageType: 'BoxUsage:r5.8xlarge',
        contribution: { amount: (spent - expected) / 100, currency: 'USD' },
      },
    ]);
    expect(event.severity).toBe('critical');
  });
});
