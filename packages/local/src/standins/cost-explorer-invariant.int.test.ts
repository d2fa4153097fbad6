/**
 * The invariant that lets enrichment be checked against the alerts it enriches: on every simulated
 * day, what Budgets says in its notification, what DescribeBudget reports and what Cost Explorer
 * answers for the same scope and window agree to the cent. The window is month-to-date by the lag
 * rule: `[first of month, today)`; the forecast adds `[today, next month)`.
 */
import { DescribeBudgetCommand } from '@aws-sdk/client-budgets';
import { GetCostAndUsageCommand, GetCostForecastCommand, type Expression } from '@aws-sdk/client-cost-explorer';
import { readFileSync } from 'node:fs';
import { loadConfig, readInput } from '@spend-alerts/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, daysIn, monthStart, nextMonthStart } from '../sim/calendar.ts';
import { amountToCents } from '../sim/cents.ts';
import { budgetNotification } from '../sim/notifications.ts';
import { createSpendModel } from '../sim/spend-model.ts';
import { startHarness, type StandInHarness } from './cost-explorer-testkit.ts';

const config = loadConfig(readFileSync(new URL('../../../../spend-alerts.config.yaml', import.meta.url), 'utf8'));
const model = createSpendModel({ month: '2026-06' });

let h: StandInHarness;
beforeAll(async () => {
  h = await startHarness({ model, now: '2026-06-01T00:00:00Z', budgets: config.budgets });
});
afterAll(() => h.close());

/** The Cost Explorer filter for a budget's scope, as an adapter would build it. */
const filterOf = (account: string | undefined): Expression | undefined =>
  account ? { Dimensions: { Key: 'LINKED_ACCOUNT', Values: [account] } } : undefined;

describe('Budgets notifications, DescribeBudget and Cost Explorer agree on every day', () => {
  // Every day of the month, and the first of the next, at a time of day that does not matter.
  it.each(daysIn('2026-06-02', '2026-07-02'))('%s', async (day) => {
    h.setNow(`${day}T15:42:00Z`);
    const start = monthStart(day);
    for (const budget of config.budgets) {
      const actual = budgetNotification(budget, { type: 'ACTUAL', thresholdPercent: 100 }, day, model);
      const forecasted = budgetNotification(budget, { type: 'FORECASTED', thresholdPercent: 100 }, day, model);

      const total = async (end: string) => {
        const out = await h.ce.send(
          new GetCostAndUsageCommand({
            TimePeriod: { Start: start, End: end },
            Granularity: 'MONTHLY',
            Metrics: ['UnblendedCost'],
            Filter: filterOf(budget.account),
          }),
        );
        return out.ResultsByTime!.reduce((sum, r) => sum + amountToCents(r.Total!.UnblendedCost!.Amount!), 0);
      };
      const mtd = day === start ? 0 : await total(day);
      // Asking through tomorrow, or for the whole month, gives the same: today has no data yet.
      expect(await total(addDays(day, 1))).toBe(mtd);
      expect(await total(nextMonthStart(day))).toBe(mtd);
      const ahead = await h.ce.send(
        new GetCostForecastCommand({
          TimePeriod: { Start: day, End: nextMonthStart(day) },
          Metric: 'UNBLENDED_COST',
          Granularity: 'MONTHLY',
          Filter: filterOf(budget.account),
        }),
      );
      const { Budget } = await h.budgets.send(
        new DescribeBudgetCommand({ AccountId: model.payerAccountId, BudgetName: budget.name }),
      );

      expect(actual.amountCents, `${budget.name} ACTUAL`).toBe(mtd);
      expect(amountToCents(Budget!.CalculatedSpend!.ActualSpend!.Amount!)).toBe(mtd);
      expect(forecasted.amountCents, `${budget.name} FORECASTED`).toBe(mtd + amountToCents(ahead.Total!.Amount!));
      expect(amountToCents(Budget!.CalculatedSpend!.ForecastedSpend!.Amount!)).toBe(forecasted.amountCents);
      // And what the pipeline reads from the message is that same amount.
      const [event] = readInput(actual.message).events;
      expect(event!.kind === 'budget' && Math.round(event!.budget.spend!.amount * 100)).toBe(mtd);
    }
  });

  it('on the 1st, month-to-date is zero and Cost Explorer has no window to ask for', async () => {
    h.setNow('2026-07-01T08:00:00Z');
    expect(
      budgetNotification(config.budgets[0]!, { type: 'ACTUAL', thresholdPercent: 50 }, '2026-07-01', model).amountCents,
    ).toBe(0);
    const error = await h.ce
      .send(
        new GetCostAndUsageCommand({
          TimePeriod: { Start: '2026-07-01', End: '2026-07-01' },
          Granularity: 'MONTHLY',
          Metrics: ['UnblendedCost'],
        }),
      )
      .then(
        () => null,
        (e: Error) => e,
      );
    expect(error?.name).toBe('ValidationException');
  });
});
