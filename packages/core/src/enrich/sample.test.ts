import { describe, expect, it } from 'vitest';
import { anomalyJson, billingAlarmJson, budgetText, eventOf, sampleEvents } from '../channels/test-messages.ts';
import { sampleEnrichment } from './sample.ts';

const cents = (n: number) => Math.round(n * 100);

describe('sampleEnrichment', () => {
  it.each(sampleEvents())('%s: parts add up to month to date', (_, event) => {
    const e = sampleEnrichment(event);
    const mtd = cents(e.monthToDate!.amount);
    expect(e.unavailable).toBeNull();
    expect(e.accountId).toBe(event.accountId);

    expect(e.services).toHaveLength(6);
    expect(e.services.at(-1)!.name).toBe('Other');
    expect(e.services.reduce((s, x) => s + cents(x.cost.amount), 0)).toBe(mtd);
    const top = e.services.slice(0, 5).map((s) => s.cost.amount);
    expect(top).toEqual([...top].sort((a, b) => b - a));
    expect(e.services.reduce((s, x) => s + cents(x.previous!.amount), 0)).toBe(cents(e.previousPeriod!.amount));

    expect(e.daily.reduce((s, d) => s + cents(d.amount), 0)).toBe(mtd);
    expect(e.daily[0]!.date).toBe(e.window.start);
    const dayAfterLast = new Date(Date.parse(`${e.daily.at(-1)!.date}T00:00:00Z`) + 86_400_000)
      .toISOString()
      .slice(0, 10);
    expect(dayAfterLast).toBe(e.window.end);
    expect(e.daily.every((d) => d.amount >= 0)).toBe(true);

    expect(e.forecast!.total.amount).toBeGreaterThanOrEqual(e.monthToDate!.amount);
    expect(e.forecast!.lower!.amount).toBeLessThanOrEqual(e.forecast!.total.amount);
    expect(e.forecast!.upper!.amount).toBeGreaterThanOrEqual(e.forecast!.total.amount);
  });

  it('is deterministic per event, and differs between events', () => {
    const a = eventOf(budgetText({ name: 'a' }));
    const b = eventOf(budgetText({ name: 'b' }));
    expect(sampleEnrichment(a)).toEqual(sampleEnrichment(eventOf(budgetText({ name: 'a' }))));
    expect(sampleEnrichment(a).daily).not.toEqual(sampleEnrichment(b).daily);
  });

  it('matches a monthly budget’s actual spend and limit', () => {
    const e = sampleEnrichment(eventOf(budgetText({ amount: '$560.00', limit: '$500.00', date: 'May 14, 2026' })));
    expect(e.monthToDate).toEqual({ amount: 560, currency: 'USD' });
    expect(e.window).toEqual({ start: '2026-05-01', end: '2026-05-15' });
    expect(e.daily).toHaveLength(14);
    expect(e.forecast!.total).toEqual({ amount: 1240, currency: 'USD' });
    expect(e.budget).toMatchObject({ limit: { amount: 500 }, actual: { amount: 560 }, timeUnit: 'MONTHLY' });
  });

  it('takes a forecasted budget’s forecast as the month-end forecast', () => {
    const e = sampleEnrichment(eventOf(budgetText({ alertType: 'FORECASTED', amount: '$620.00' })));
    expect(e.forecast!.total.amount).toBe(620);
    expect(e.monthToDate!.amount).toBeLessThan(620);
  });

  it('matches a billing alarm’s estimated charges, its service first', () => {
    const e = sampleEnrichment(eventOf(billingAlarmJson({ value: 424.2, service: 'AmazonEC2' })));
    expect(e.monthToDate!.amount).toBe(424.2);
    expect(e.services[0]!.name).toBe('AmazonEC2');
  });

  it('puts an anomaly’s service first, with the jump', () => {
    const e = sampleEnrichment(eventOf(anomalyJson({ service: 'Amazon Simple Storage Service' })));
    expect(e.services[0]!.name).toBe('Amazon Simple Storage Service');
    expect(e.services[0]!.changePercent).toBeGreaterThan(100);
    expect(e.daily.at(-1)!.amount).toBeGreaterThan(e.daily[0]!.amount);
  });
});
