import { describe, expect, it } from 'vitest';
import { DigestScheduleSchema, type DigestSchedule } from '../config/primitives.ts';
import type { SpendEvent } from '../event/schema.ts';
import { dueDigest, latestDigestPeriod, periodEvents, periodLabel, type DigestPeriod } from './period.ts';

const schedule = (s: Partial<DigestSchedule>): DigestSchedule => DigestScheduleSchema.parse(s);
const berlinDaily = schedule({ every: 'day', hour: 8, timeZone: 'Europe/Berlin' });
const newYorkWeekly = schedule({ every: 'week', weekday: 'monday', hour: 9, timeZone: 'America/New_York' });
const at = (iso: string) => new Date(iso);
const bounds = (p: DigestPeriod | null) => p && { key: p.key, start: p.start, end: p.end, hours: p.hours };

describe('daily periods', () => {
  it('covers the previous local day once the local hour is reached', () => {
    // 06:05 UTC is 08:05 in Berlin (CEST, +2), the first hourly run after 08:00.
    expect(dueDigest(berlinDaily, at('2024-04-01T06:05:00Z'))).toMatchObject({
      key: 'day:2024-03-31@Europe/Berlin',
      firstDay: '2024-03-31',
      lastDay: '2024-03-31',
      sendAt: '2024-04-01T06:00:00.000Z',
    });
  });

  it('sends nothing before the hour: the day before was sent the day before', () => {
    expect(dueDigest(berlinDaily, at('2024-04-01T05:05:00Z'))).toBeNull();
    expect(latestDigestPeriod(berlinDaily, at('2024-04-01T05:05:00Z')).key).toBe('day:2024-03-30@Europe/Berlin');
  });

  it('makes the spring-forward day 23 hours and the fall-back day 25 (Europe/Berlin)', () => {
    expect(bounds(dueDigest(berlinDaily, at('2024-04-01T06:05:00Z')))).toEqual({
      key: 'day:2024-03-31@Europe/Berlin',
      start: '2024-03-30T23:00:00.000Z',
      end: '2024-03-31T22:00:00.000Z',
      hours: 23,
    });
    expect(bounds(dueDigest(berlinDaily, at('2024-10-28T07:05:00Z')))).toEqual({
      key: 'day:2024-10-27@Europe/Berlin',
      start: '2024-10-26T22:00:00.000Z',
      end: '2024-10-27T23:00:00.000Z',
      hours: 25,
    });
  });

  it('makes the spring-forward day 23 hours and the fall-back day 25 (America/New_York)', () => {
    const ny = schedule({ every: 'day', hour: 9, timeZone: 'America/New_York' });
    expect(bounds(dueDigest(ny, at('2024-03-11T13:05:00Z')))).toEqual({
      key: 'day:2024-03-10@America/New_York',
      start: '2024-03-10T05:00:00.000Z',
      end: '2024-03-11T04:00:00.000Z',
      hours: 23,
    });
    expect(bounds(dueDigest(ny, at('2024-11-04T14:05:00Z')))).toEqual({
      key: 'day:2024-11-03@America/New_York',
      start: '2024-11-03T04:00:00.000Z',
      end: '2024-11-04T05:00:00.000Z',
      hours: 25,
    });
  });

  it('crosses month and year ends, leap day included', () => {
    expect(bounds(dueDigest(berlinDaily, at('2024-03-01T07:05:00Z')))).toEqual({
      key: 'day:2024-02-29@Europe/Berlin',
      start: '2024-02-28T23:00:00.000Z',
      end: '2024-02-29T23:00:00.000Z',
      hours: 24,
    });
    expect(dueDigest(berlinDaily, at('2023-03-01T07:05:00Z'))?.key).toBe('day:2023-02-28@Europe/Berlin');
    expect(dueDigest(berlinDaily, at('2024-05-01T06:05:00Z'))?.key).toBe('day:2024-04-30@Europe/Berlin');
    expect(bounds(dueDigest(berlinDaily, at('2025-01-01T07:05:00Z')))).toEqual({
      key: 'day:2024-12-31@Europe/Berlin',
      start: '2024-12-30T23:00:00.000Z',
      end: '2024-12-31T23:00:00.000Z',
      hours: 24,
    });
  });

  it('handles a quarter-hour offset: Asia/Kathmandu (+05:45) is due at the first run after 08:00 local', () => {
    const kathmandu = schedule({ every: 'day', hour: 8, timeZone: 'Asia/Kathmandu' });
    // 02:05 UTC is 07:50 there: not yet. 03:05 UTC is 08:50.
    expect(dueDigest(kathmandu, at('2024-06-15T02:05:00Z'))).toBeNull();
    expect(dueDigest(kathmandu, at('2024-06-15T03:05:00Z'))).toMatchObject({
      key: 'day:2024-06-14@Asia/Kathmandu',
      start: '2024-06-13T18:15:00.000Z',
      end: '2024-06-14T18:15:00.000Z',
      sendAt: '2024-06-15T02:15:00.000Z',
    });
  });

  it('handles a half-hour offset: Asia/Kolkata (+05:30)', () => {
    const kolkata = schedule({ every: 'day', hour: 0, timeZone: 'Asia/Kolkata' });
    expect(dueDigest(kolkata, at('2024-01-31T19:05:00Z'))).toMatchObject({
      key: 'day:2024-01-31@Asia/Kolkata',
      start: '2024-01-30T18:30:00.000Z',
      end: '2024-01-31T18:30:00.000Z',
    });
  });

  it('sends at the first instant after a skipped send hour, once on a repeated one', () => {
    const twoAm = schedule({ every: 'day', hour: 2, timeZone: 'Europe/Berlin' });
    // 2024-03-31: 02:00 does not exist; at 01:05 UTC it is 03:05 CEST.
    expect(dueDigest(twoAm, at('2024-03-31T01:05:00Z'))).toMatchObject({
      key: 'day:2024-03-30@Europe/Berlin',
      sendAt: '2024-03-31T01:00:00.000Z',
    });
    expect(dueDigest(twoAm, at('2024-03-31T00:05:00Z'))).toBeNull();
    // 2024-10-27: 02:05 happens at 00:05 UTC (CEST) and again at 01:05 UTC (CET): one key.
    const first = dueDigest(twoAm, at('2024-10-27T00:05:00Z'));
    const second = dueDigest(twoAm, at('2024-10-27T01:05:00Z'));
    expect(first?.key).toBe('day:2024-10-26@Europe/Berlin');
    expect(second?.key).toBe(first?.key);
    expect(first?.sendAt).toBe('2024-10-27T00:00:00.000Z');
  });

  it('starts a day at the jump when its midnight is skipped (America/Havana changes at 00:00)', () => {
    const havana = schedule({ every: 'day', hour: 8, timeZone: 'America/Havana' });
    expect(bounds(dueDigest(havana, at('2024-03-11T13:05:00Z')))).toEqual({
      key: 'day:2024-03-10@America/Havana',
      start: '2024-03-10T05:00:00.000Z',
      end: '2024-03-11T04:00:00.000Z',
      hours: 23,
    });
  });
});

describe('weekly periods', () => {
  it('covers the seven local days before the send day', () => {
    expect(dueDigest(newYorkWeekly, at('2024-04-01T13:05:00Z'))).toEqual({
      key: 'week:2024-03-25@America/New_York',
      every: 'week',
      timeZone: 'America/New_York',
      firstDay: '2024-03-25',
      lastDay: '2024-03-31',
      start: '2024-03-25T04:00:00.000Z',
      end: '2024-04-01T04:00:00.000Z',
      hours: 168,
      sendAt: '2024-04-01T13:00:00.000Z',
    });
  });

  it('spans two months', () => {
    expect(dueDigest(newYorkWeekly, at('2024-02-05T14:05:00Z'))).toMatchObject({
      key: 'week:2024-01-29@America/New_York',
      firstDay: '2024-01-29',
      lastDay: '2024-02-04',
      start: '2024-01-29T05:00:00.000Z',
      end: '2024-02-05T05:00:00.000Z',
    });
  });

  it('is 167 hours across spring forward and 169 across fall back', () => {
    expect(dueDigest(newYorkWeekly, at('2024-03-11T13:05:00Z'))).toMatchObject({
      key: 'week:2024-03-04@America/New_York',
      hours: 167,
    });
    expect(dueDigest(newYorkWeekly, at('2024-11-04T14:05:00Z'))).toMatchObject({
      key: 'week:2024-10-28@America/New_York',
      hours: 169,
    });
  });

  it('is not due before the hour on the weekday, nor on other days', () => {
    expect(dueDigest(newYorkWeekly, at('2024-04-01T12:05:00Z'))).toBeNull(); // Monday 08:05 EDT
    expect(latestDigestPeriod(newYorkWeekly, at('2024-04-01T12:05:00Z')).key).toBe('week:2024-03-18@America/New_York');
    expect(dueDigest(newYorkWeekly, at('2024-04-03T13:05:00Z'))).toBeNull(); // Wednesday
    expect(latestDigestPeriod(newYorkWeekly, at('2024-04-03T13:05:00Z')).key).toBe('week:2024-03-25@America/New_York');
  });

  it('uses the local weekday, not the UTC one', () => {
    // Monday 09:05 in Kathmandu is Monday 03:20 UTC; Sunday 23:05 UTC is already Monday 04:50 there.
    const kathmanduWeekly = schedule({ every: 'week', weekday: 'monday', hour: 4, timeZone: 'Asia/Kathmandu' });
    expect(dueDigest(kathmanduWeekly, at('2024-06-16T23:05:00Z'))?.key).toBe('week:2024-06-10@Asia/Kathmandu');
  });
});

describe('once per period', () => {
  it('gives the same key to runs in the same hour and to the catch-up runs after it', () => {
    const keys = ['2024-04-01T06:05:00Z', '2024-04-01T06:35:00Z', '2024-04-01T07:05:00Z', '2024-04-01T17:05:00Z'].map(
      (t) => dueDigest(berlinDaily, at(t))?.key,
    );
    expect(new Set(keys)).toEqual(new Set(['day:2024-03-31@Europe/Berlin']));
  });

  it('stops catching up after catchUpHours', () => {
    expect(dueDigest(berlinDaily, at('2024-04-01T18:05:00Z'))).toBeNull();
    expect(dueDigest(berlinDaily, at('2024-04-01T18:05:00Z'), { catchUpHours: 24 })?.key).toBe(
      'day:2024-03-31@Europe/Berlin',
    );
    expect(dueDigest(berlinDaily, at('2024-04-01T08:05:00Z'), { catchUpHours: 1 })).toBeNull();
  });

  // The hourly schedule (minute 5 of every UTC hour) for a whole year: every local day, or
  // week, goes out exactly once, at the first run after its send time, and periods tile time.
  it.each([
    ['Europe/Berlin daily at 08', schedule({ every: 'day', hour: 8, timeZone: 'Europe/Berlin' }), 366],
    ['America/New_York daily at 00', schedule({ every: 'day', hour: 0, timeZone: 'America/New_York' }), 366],
    ['Asia/Kathmandu daily at 08', schedule({ every: 'day', hour: 8, timeZone: 'Asia/Kathmandu' }), 366],
    ['America/New_York weekly on Monday at 09', newYorkWeekly, 52],
    [
      'Australia/Lord_Howe weekly on Sunday at 02',
      schedule({ every: 'week', weekday: 'sunday', hour: 2, timeZone: 'Australia/Lord_Howe' }),
      52,
    ],
  ])('%s: every period once over a year of hourly runs', (_, s, expected) => {
    const sent = new Map<string, DigestPeriod>();
    for (let t = Date.parse('2024-01-01T00:05:00Z'); t < Date.parse('2025-01-01T00:05:00Z'); t += 3_600_000) {
      const p = dueDigest(s, new Date(t));
      if (!p || sent.has(p.key)) continue;
      sent.set(p.key, p);
      expect(t - Date.parse(p.sendAt)).toBeGreaterThanOrEqual(0);
      expect(t - Date.parse(p.sendAt)).toBeLessThan(3_600_000);
    }
    const periods = [...sent.values()];
    expect(periods.length).toBeGreaterThanOrEqual(expected);
    expect(periods.length).toBeLessThanOrEqual(expected + 1);
    for (let i = 1; i < periods.length; i++) expect(periods[i]!.start).toBe(periods[i - 1]!.end);
  });
});

describe('periodEvents', () => {
  const period = latestDigestPeriod(berlinDaily, at('2024-04-01T06:05:00Z'));
  const event = (id: string, occurredAt: string) => ({ id, occurredAt }) as SpendEvent;

  it('takes what occurred before the end, late arrivals from earlier days included, oldest first', () => {
    const buffer = [
      event('in', '2024-03-31T12:00:00.000Z'),
      event('late', '2024-03-29T12:00:00.000Z'),
      event('next', '2024-03-31T22:00:00.000Z'),
    ];
    expect(periodEvents(buffer, period).map((e) => e.id)).toEqual(['late', 'in']);
  });

  it('carries an event buffered twice once', () => {
    const buffer = [event('twice', '2024-03-31T12:00:00.000Z'), event('twice', '2024-03-31T12:05:00.000Z')];
    expect(periodEvents(buffer, period).map((e) => [e.id, e.occurredAt])).toEqual([
      ['twice', '2024-03-31T12:00:00.000Z'],
    ]);
  });
});

describe('periodLabel', () => {
  it('says the day, or the week across months and years', () => {
    expect(periodLabel(latestDigestPeriod(berlinDaily, at('2024-04-01T06:05:00Z')))).toBe('Sunday 31 March 2024');
    expect(periodLabel(latestDigestPeriod(newYorkWeekly, at('2024-04-01T13:05:00Z')))).toBe('25–31 March 2024');
    expect(periodLabel(latestDigestPeriod(newYorkWeekly, at('2024-02-05T14:05:00Z')))).toBe(
      '29 January – 4 February 2024',
    );
    expect(periodLabel(latestDigestPeriod(newYorkWeekly, at('2025-01-06T14:05:00Z')))).toBe(
      '30 December 2024 – 5 January 2025',
    );
  });
});
