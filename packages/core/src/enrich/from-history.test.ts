import { describe, expect, it } from 'vitest';
import { money } from '../event/money.ts';
import { type CostDay, enrichmentFromHistory } from './from-history.ts';

const A = '111111111111';
const B = '222222222222';
/** May 2026's first 4 days and April's first 4: EC2 and S3 in A, RDS in B. */
const days: CostDay[] = [
  ...['2026-04-01', '2026-04-02', '2026-04-03', '2026-04-04'].map((date) => ({
    date,
    cells: { [A]: { EC2: 5, S3: 1 }, [B]: { RDS: 2 } },
  })),
  ...['2026-05-01', '2026-05-02', '2026-05-03', '2026-05-04'].map((date) => ({
    date,
    cells: { [A]: { EC2: 10, S3: 1 }, [B]: { RDS: 2 } },
  })),
];
const base = {
  days,
  window: { start: '2026-05-01', end: '2026-05-05' },
  top: 5,
  accountId: A,
  budget: null,
  byAccount: false,
  unavailable: null,
};

describe('enrichmentFromHistory', () => {
  it('breaks the whole bill down by service against the same days last month', () => {
    const e = enrichmentFromHistory({ ...base, scope: [] });
    expect(e.monthToDate).toEqual(money(52));
    expect(e.previousPeriod).toEqual(money(32));
    expect(e.services.map((s) => [s.name, s.cost.amount, s.previous?.amount, s.changePercent])).toEqual([
      ['EC2', 40, 20, 100],
      ['RDS', 8, 8, 0],
      ['S3', 4, 4, 0],
    ]);
    expect(e.daily).toEqual(['01', '02', '03', '04'].map((d) => ({ date: `2026-05-${d}`, amount: 13 })));
    expect(e.unavailable).toBeNull();
  });

  it('keeps to the accounts an alert is about', () => {
    const e = enrichmentFromHistory({ ...base, scope: [B] });
    expect(e.monthToDate).toEqual(money(8));
    expect(e.services.map((s) => s.name)).toEqual(['RDS']);
  });

  it('lists the rest as Other, and accounts in a payer account', () => {
    const e = enrichmentFromHistory({ ...base, scope: [], top: 1, byAccount: true });
    expect(e.services.map((s) => [s.name, s.cost.amount])).toEqual([
      ['EC2', 40],
      ['Other', 12],
    ]);
    expect(e.accounts).toEqual([
      { id: A, name: null, cost: money(44) },
      { id: B, name: null, cost: money(8) },
    ]);
  });

  it("forecasts with the budget's own forecast when AWS gives one, else projects the daily costs", () => {
    const budget = { limit: money(100), actual: money(52), forecasted: money(400), timeUnit: 'MONTHLY' };
    expect(enrichmentFromHistory({ ...base, scope: [], budget }).forecast).toEqual({
      total: money(400),
      lower: null,
      upper: null,
    });
    // 52 spent in 4 days of 13; 27 days left of May at 13 a day
    expect(enrichmentFromHistory({ ...base, scope: [] }).forecast).toEqual({
      total: money(52 + 27 * 13),
      lower: money(52 + 27 * 13),
      upper: money(52 + 27 * 13),
    });
  });

  it('says what is missing: days not in yet, the month just begun, or what the caller knows', () => {
    const partial = enrichmentFromHistory({ ...base, scope: [], window: { start: '2026-05-01', end: '2026-05-07' } });
    expect(partial.unavailable).toBe("Cost Explorer has no costs yet for 2 of the month's 6 days");
    expect(partial.forecast).toBeNull(); // a projection from incomplete days would mislead
    const empty = enrichmentFromHistory({ ...base, scope: [], window: { start: '2026-05-01', end: '2026-05-01' } });
    expect(empty.unavailable).toBe('the month has just begun: no cost yet this month');
    expect(empty.monthToDate).toBeNull();
    const told = enrichmentFromHistory({ ...base, scope: [], unavailable: 'request budget used' });
    expect(told.unavailable).toBe('request budget used');
  });
});
