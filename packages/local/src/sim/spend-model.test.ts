import { describe, expect, it } from 'vitest';
import { addDays, daysIn, weekday } from './calendar.ts';
import { DEFAULT_ACCOUNTS, EC2_COMPUTE, PAYER_ACCOUNT_ID } from './catalog.ts';
import { amountToCents, centsToAmount, formatUsd } from './cents.ts';
import { createSpendModel } from './spend-model.ts';

const MONTH = '2026-06';
const model = createSpendModel({ month: MONTH });
const june = daysIn('2026-06-01', '2026-07-01');
const DATA_LAKE = '222222222222';

describe('createSpendModel', () => {
  it('is deterministic: the same seed gives the same cents, another seed other cents', () => {
    const again = createSpendModel({ month: MONTH });
    const other = createSpendModel({ month: MONTH, seed: 7 });
    expect(june.map((d) => again.costFor(d))).toEqual(june.map((d) => model.costFor(d)));
    expect(other.monthToDate('2026-06-30')).not.toBe(model.monthToDate('2026-06-30'));
  });

  it('defaults the scenario month to the month of the simulated clock start', () => {
    expect(createSpendModel({ start: new Date('2026-09-17T08:00:00Z') }).monthStart).toBe('2026-09-01');
    expect(createSpendModel({ start: '2027-02-03' }).month).toBe('2027-02');
    expect(() => createSpendModel({ month: '2026-13' })).toThrow(RangeError);
  });

  it('gives the management account the payer id asked for', () => {
    const other = createSpendModel({ month: MONTH, payerAccountId: '123456789012' });
    expect(other.payerAccountId).toBe('123456789012');
    expect(Object.keys(other.costFor('2026-06-10'))).toContain('123456789012');
    expect(Object.keys(other.costFor('2026-06-10'))).not.toContain(PAYER_ACCOUNT_ID);
  });

  it('costs every account and service of the example config in whole cents', () => {
    const cells = model.costFor('2026-06-10');
    expect(Object.keys(cells).sort()).toEqual(['111111111111', '222222222222', '333333333333', PAYER_ACCOUNT_ID]);
    expect(Object.keys(cells['111111111111']!)).toContain(EC2_COMPUTE);
    for (const services of Object.values(cells))
      for (const cents of Object.values(services)) expect(Number.isInteger(cents) && cents > 0).toBe(true);
  });

  it('filters cells by account and by service name or billing code', () => {
    const ec2 = model.costFor('2026-06-10', { accounts: [DATA_LAKE], services: ['AmazonEC2'] });
    expect(Object.keys(ec2)).toEqual([DATA_LAKE]);
    expect(Object.keys(ec2[DATA_LAKE]!).sort()).toEqual(['EC2 - Other', EC2_COMPUTE].sort());
    expect(model.serviceNames('AmazonEC2')).toEqual([EC2_COMPUTE, 'EC2 - Other']);
    expect(model.serviceNames(EC2_COMPUTE)).toEqual([EC2_COMPUTE]);
  });

  it('sums exactly: month-to-date is the sum of the day cells, and AmazonEC2 covers both EC2 services', () => {
    const byHand = daysIn('2026-06-01', '2026-06-20').reduce(
      (sum, d) =>
        sum +
        Object.values(model.costFor(d))
          .flatMap(Object.values)
          .reduce((a, b) => a + b, 0),
      0,
    );
    expect(model.monthToDate('2026-06-20')).toBe(byHand);
    const ec2 = model.monthToDate('2026-06-20', { service: 'AmazonEC2' });
    expect(ec2).toBe(
      model.monthToDate('2026-06-20', { service: EC2_COMPUTE }) +
        model.monthToDate('2026-06-20', { service: 'EC2 - Other' }),
    );
  });

  it('applies the lag rule: month-to-date on a day leaves that day out, and is zero on the 1st', () => {
    expect(model.monthToDate('2026-06-01')).toBe(0);
    expect(model.monthToDate('2026-06-02')).toBe(model.costBetween('2026-06-01', '2026-06-02'));
    expect(model.monthToDate('2026-06-16') - model.monthToDate('2026-06-15')).toBe(
      model.costBetween('2026-06-15', '2026-06-16'),
    );
    expect(model.periodToDate('2026-06-16', 'daily')).toBe(model.costBetween('2026-06-15', '2026-06-16'));
    expect(model.periodToDate('2026-06-16', 'quarterly')).toBe(model.costBetween('2026-04-01', '2026-06-16'));
  });

  it('spends less on weekends than on the weekdays around them', () => {
    const weekdays = june.filter((d) => weekday(d) >= 1 && weekday(d) <= 5 && (d < '2026-06-11' || d > '2026-06-14'));
    const weekends = june.filter((d) => weekday(d) === 0 || weekday(d) === 6);
    const mean = (days: string[]) => days.reduce((s, d) => s + model.costBetween(d, addDays(d, 1)), 0) / days.length;
    expect(mean(weekends)).toBeLessThan(mean(weekdays) * 0.9);
    for (const saturday of june.filter((d) => weekday(d) === 6)) {
      expect(model.costBetween(saturday, addDays(saturday, 1))).toBeLessThan(
        model.costBetween(addDays(saturday, -1), saturday),
      );
    }
  });

  it('grows: the last week of the month costs more than the second, and the previous month less', () => {
    expect(model.costBetween('2026-06-22', '2026-06-29')).toBeGreaterThan(
      model.costBetween('2026-06-01', '2026-06-08') * 1.1,
    );
    expect(model.costBetween('2026-05-01', '2026-05-31')).toBeLessThan(
      model.costBetween('2026-06-01', '2026-07-01') * 0.85,
    );
  });

  it('injects the anomaly in data-lake EC2 from the 11th for four days, several times the expected cost', () => {
    for (const d of daysIn('2026-06-11', '2026-06-15')) {
      const actual = model.cellCents(d, DATA_LAKE, EC2_COMPUTE);
      const expected = model.expectedCents(d, DATA_LAKE, EC2_COMPUTE);
      expect(actual).toBeGreaterThan(expected * 4);
    }
    for (const d of ['2026-06-10', '2026-06-15'])
      expect(model.cellCents(d, DATA_LAKE, EC2_COMPUTE)).toBe(model.expectedCents(d, DATA_LAKE, EC2_COMPUTE));
    expect(createSpendModel({ month: MONTH, anomaly: null }).anomalyStart).toBeNull();
  });

  it('forecasts month end as month-to-date plus the mean of the last seven days for each day left', () => {
    const rate = Math.round(model.costBetween('2026-06-13', '2026-06-20') / 7);
    expect(model.dailyForecast('2026-06-20')).toBe(rate);
    expect(model.forecastMonthEnd('2026-06-20')).toBe(model.monthToDate('2026-06-20') + rate * 11);
    expect(model.forecastBetween('2026-06-20', '2026-06-25', '2026-07-01', { account: DATA_LAKE })).toBe(
      model.dailyForecast('2026-06-20', { account: DATA_LAKE }) * 6,
    );
    expect(() => model.forecastBetween('2026-06-20', '2026-06-19', '2026-07-01')).toThrow(RangeError);
    expect(() => model.forecastPeriodEnd('2026-06-20', 'daily')).toThrow(RangeError);
  });

  it('has no data for an account before it was created', () => {
    const withNew = createSpendModel({
      month: MONTH,
      accounts: [
        ...DEFAULT_ACCOUNTS,
        { id: '444444444444', name: 'new', createdOn: '2026-06-20', baseDaily: { 'AWS Lambda': 5 } },
      ],
    });
    expect(withNew.hasData('444444444444', '2026-06-19')).toBe(false);
    expect(withNew.hasData('444444444444', '2026-06-20')).toBe(true);
    expect(withNew.monthToDate('2026-06-20', { account: '444444444444' })).toBe(0);
    expect(withNew.monthToDate('2026-06-22', { account: '444444444444' })).toBeGreaterThan(0);
    expect(withNew.hasData('555555555555', '2026-06-22')).toBe(false);
  });
});

describe('cents', () => {
  it('formats and reads amounts exactly', () => {
    expect(formatUsd(1_234_567)).toBe('$12,345.67');
    expect(formatUsd(5)).toBe('$0.05');
    expect(formatUsd(100_000_000)).toBe('$1,000,000.00');
    expect(centsToAmount(-1205)).toBe('-12.05');
    expect(amountToCents('9276.07')).toBe(927_607);
    expect(amountToCents('12')).toBe(1200);
    expect(amountToCents('0.005')).toBe(1);
    expect(() => amountToCents('$1')).toThrow(RangeError);
  });
});
