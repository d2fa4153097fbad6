import { readFileSync } from 'node:fs';
import { loadConfig, readInput } from '@spend-alerts/core';
import { describe, expect, it } from 'vitest';
import { addDays, daysIn, nextMonthStart } from './calendar.ts';
import { crossings, timeline, type Crossing } from './notifications.ts';
import { createSpendModel } from './spend-model.ts';

const config = loadConfig(readFileSync(new URL('../../../../spend-alerts.config.yaml', import.meta.url), 'utf8'));
const model = createSpendModel({ month: '2026-06' });

/** A crossing as a short label: `T-A80` is monthly-total ACTUAL 80%, `DL-F100` data-lake FORECASTED 100%. */
function label(c: Crossing): string {
  if (c.kind === 'budget')
    return `${c.budget === 'monthly-total' ? 'T' : 'DL'}-${c.alert.type[0]}${c.alert.thresholdPercent}`;
  if (c.kind === 'billing-alarm') return `${c.alarm === 'ec2-charges-over-4k' ? 'EC2' : 'TOTAL'}-${c.state}`;
  return c.update ? 'ANOMALY-UPDATE' : 'ANOMALY';
}

const monthOf = (m = model) => timeline(config, m, m.monthStart, addDays(nextMonthStart(m.monthStart), 1));
const dayOfLabel = (events: Crossing[], name: string) => events.find((c) => label(c) === name)?.day;

describe('crossings of the example config in the default scenario (June 2026)', () => {
  const events = monthOf();

  it('publishes this month, one event per day at most except where one cause has several effects', () => {
    expect(events.map((c) => `${c.day.slice(5)} ${label(c)}`)).toEqual([
      '06-01 EC2-OK', // May's EC2 charges had crossed $4,000; the month starts over
      '06-09 T-F100', // the launch ramp-up pushes the month-end forecast past $12,000
      '06-12 ANOMALY', // the data-lake spike of the 11th, seen the next day
      '06-13 DL-F100', // two spike days lift the data-lake forecast past $3,000
      '06-14 T-A50',
      '06-15 ANOMALY-UPDATE', // all four spike days seen
      '06-16 EC2-ALARM',
      '06-21 T-A80',
      '06-22 TOTAL-ALARM',
      '06-24 DL-A80',
      '06-26 T-A100',
      '07-01 T-F100', // a new period: July's forecast is over the limit from its first day
      '07-01 TOTAL-OK',
      '07-01 EC2-OK',
    ]);
  });

  it('crosses each of the example thresholds on a distinct day of the month', () => {
    const june = events.filter((c) => c.day < '2026-07-01' && c.kind !== 'anomaly');
    expect(new Set(june.map((c) => c.day)).size).toBe(june.length);
  });

  it('states amounts over the threshold on the crossing day and not on the day before', () => {
    for (const c of events) {
      if (c.kind === 'budget') {
        expect(c.amountCents).toBeGreaterThan(c.thresholdCents);
        if (c.alert.type === 'ACTUAL')
          expect(
            crossings(config, model, addDays(c.day, -1)).some((p) => p.kind === 'budget' && label(p) === label(c)),
          ).toBe(false);
      }
      if (c.kind === 'billing-alarm')
        expect(c.state === 'ALARM' ? c.valueCents > c.thresholdCents : c.valueCents <= c.thresholdCents).toBe(true);
    }
    const a80 = events.find((c) => label(c) === 'T-A80')!;
    expect(model.monthToDate(addDays(a80.day, -1))).toBeLessThanOrEqual(960_000);
    expect(model.monthToDate(a80.day)).toBe(a80.kind === 'budget' ? a80.amountCents : NaN);
  });

  it('publishes messages that normalize cleanly to their kind, with the amounts the crossing states', () => {
    for (const c of events) {
      const { events: read } = readInput(c.message);
      expect(read).toHaveLength(1);
      const event = read[0]!;
      expect(event.diagnostics).toEqual([]);
      expect(event.kind).toBe(c.kind);
      if (event.kind === 'budget' && c.kind === 'budget')
        expect(Math.round(event.budget.spend!.amount * 100)).toBe(c.amountCents);
      if (event.kind === 'billing-alarm' && c.kind === 'billing-alarm') {
        expect(Math.round(event.alarm.value! * 100)).toBe(c.valueCents);
        expect(event.status).toBe(c.state === 'OK' ? 'resolved' : 'firing');
      }
      if (event.kind === 'anomaly' && c.kind === 'anomaly')
        expect(Math.round(event.anomaly.impact.total!.amount * 100)).toBe(c.impactCents);
    }
  });

  it('gives the anomaly one id, reported first with less impact than in its update', () => {
    const [first, update] = events.filter((c) => c.kind === 'anomaly');
    expect(first!.kind === 'anomaly' && update!.kind === 'anomaly' && first!.anomalyId === update!.anomalyId).toBe(
      true,
    );
    expect(first!.kind === 'anomaly' && update!.kind === 'anomaly' && update!.impactCents > first!.impactCents).toBe(
      true,
    );
    const events2 = readInput(first!.message).events.concat(readInput(update!.message).events);
    expect(events2[0]!.id).not.toBe(events2[1]!.id); // an update with a bigger impact is a new notification
  });

  it('is a pure function of the day: replaying a day gives the same messages', () => {
    expect(crossings(config, createSpendModel({ month: '2026-06' }), '2026-06-16')).toEqual(
      crossings(config, model, '2026-06-16'),
    );
  });
});

describe('crossings in any month', () => {
  const months = [
    '2026-01',
    '2026-02',
    '2026-03',
    '2026-04',
    '2026-05',
    '2026-07',
    '2026-08',
    '2026-09',
    '2026-10',
    '2026-11',
    '2026-12',
    '2027-02',
  ];

  it.each(months)('%s: each alert once, in a sensible order, billing alarms resolved on the 1st', (month) => {
    const m = createSpendModel({ month });
    const events = monthOf(m).filter((c) => c.day < nextMonthStart(m.monthStart));
    const labels = events.map(label);
    for (const name of [
      'T-F100',
      'T-A50',
      'T-A80',
      'T-A100',
      'DL-F100',
      'DL-A80',
      'EC2-ALARM',
      'TOTAL-ALARM',
      'ANOMALY',
      'ANOMALY-UPDATE',
    ]) {
      expect(
        labels.filter((l) => l === name),
        name,
      ).toHaveLength(1);
    }
    const day = (name: string) => dayOfLabel(events, name)!;
    expect(day('T-F100') < day('T-A100')).toBe(true);
    expect(day('T-A50') < day('T-A80') && day('T-A80') < day('T-A100')).toBe(true);
    expect(day('DL-F100') < day('DL-A80')).toBe(true);
    expect(day('ANOMALY') > m.anomalyStart! && day('ANOMALY') < day('ANOMALY-UPDATE')).toBe(true);
    expect(day('T-A80') <= day('TOTAL-ALARM')).toBe(true); // $9,600 before $10,000
    const next = crossings(config, m, nextMonthStart(m.monthStart)).map(label);
    expect(next).toEqual(expect.arrayContaining(['TOTAL-OK', 'EC2-OK']));
  });
});

describe('crossings rules', () => {
  it('alerts a daily budget on every day whose yesterday was over, and never forecasts it', () => {
    const daily = {
      budgets: [
        {
          name: 'daily',
          limit: 400,
          period: 'daily' as const,
          notifications: [
            { type: 'ACTUAL' as const, thresholdPercent: 100 },
            { type: 'FORECASTED' as const, thresholdPercent: 100 },
          ],
        },
      ],
    };
    const over = daysIn('2026-06-01', '2026-07-01').filter((d) => model.costBetween(addDays(d, -1), d) > 40_000);
    const alerted = timeline(daily, model, '2026-06-01', '2026-07-01').map((c) => c.day);
    expect(alerted).toEqual(over);
    expect(over.length).toBeGreaterThan(5);
  });

  it('publishes nothing for a disabled anomaly monitor, or one whose minimum impact is never reached', () => {
    const at = (minImpact: number, enabled = true) =>
      timeline({ anomalyDetection: { enabled, minImpact } }, model, '2026-06-01', '2026-07-01').length;
    expect(at(100)).toBe(2);
    expect(at(100, false)).toBe(0);
    expect(at(1_000_000)).toBe(0);
  });

  it('publishes a single alert when the minimum impact is only reached once the whole spike is seen', () => {
    const total = model.anomaly!.extraDaily * model.anomaly!.days;
    const events = timeline(
      { anomalyDetection: { enabled: true, minImpact: total * 0.8 } },
      model,
      '2026-06-01',
      '2026-07-01',
    );
    expect(events.map((c) => [c.day, c.kind === 'anomaly' && c.update])).toEqual([['2026-06-15', false]]);
  });
});
