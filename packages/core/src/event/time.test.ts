import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalUtc, utcMillis } from './time.ts';

const viaDate = (text: string) => {
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
};

describe('canonicalUtc', () => {
  it.each([
    ['2024-01-01T10:00:00.123Z', '2024-01-01T10:00:00.123Z'],
    ['2024-01-01T10:00:00Z', '2024-01-01T10:00:00.000Z'],
    ['2024-01-01T10:00:00.000+0000', '2024-01-01T10:00:00.000Z'],
    ['2024-01-01T10:00:00-00:00', '2024-01-01T10:00:00.000Z'],
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
  ])('reads %j', (text, expected) => {
    expect(canonicalUtc(text)).toBe(expected);
    expect(viaDate(text)).toBe(expected);
  });

  it.each([
    '2023-02-29',
    '2024-04-31',
    '2024-13-01',
    '2024-01-01T24:00:00Z',
    '2024-01-01T10:00:00+01:00',
    '2024-01-01T10:00:00',
    ' 2024-01-01',
    'Mon, 01 Jan 2024',
  ])('leaves %j to Date.parse', (text) => expect(canonicalUtc(text)).toBeUndefined());

  it('agrees with Date.parse wherever it answers', () => {
    const two = fc.integer({ min: 0, max: 39 }).map((n) => String(n).padStart(2, '0'));
    const text = fc
      .tuple(
        fc.integer({ min: 0, max: 9999 }),
        two,
        two,
        fc.option(
          fc.tuple(
            two,
            two,
            two,
            fc.option(fc.integer({ min: 0, max: 999 })),
            fc.constantFrom('Z', '+00:00', '-0000', '+01:00', ''),
          ),
        ),
      )
      .map(([y, mo, d, t]) => {
        const date = `${String(y).padStart(4, '0')}-${mo}-${d}`;
        if (!t) return date;
        const [h, mi, s, ms, zone] = t;
        return `${date}T${h}:${mi}:${s}${ms === null ? '' : `.${String(ms).padStart(3, '0')}`}${zone}`;
      });
    fc.assert(
      fc.property(text, (t) => {
        const fast = canonicalUtc(t);
        if (fast !== undefined) {
          expect(fast).toBe(viaDate(t));
          expect(utcMillis(fast)).toBe(Date.parse(t));
        }
      }),
      { numRuns: 5000 },
    );
  });

  it.each([
    '0000-01-01T00:00:00.000Z',
    '0099-12-31T23:59:59.999Z',
    '1900-02-28T12:00:00.000Z',
    '1970-01-01T00:00:00.000Z',
    '2000-02-29T00:00:00.001Z',
    '9999-12-31T23:59:59.999Z',
  ])('counts the milliseconds of %s as Date.parse does', (text) => expect(utcMillis(text)).toBe(Date.parse(text)));
});
