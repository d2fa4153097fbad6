import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDecimal } from './decimal.ts';

const OPTIONS: Array<[number, number]> = [
  [2, 2],
  [0, 2],
  [0, 3],
  [0, 0],
];
const intl = OPTIONS.map(
  ([min, max]) => new Intl.NumberFormat('en-US', { minimumFractionDigits: min, maximumFractionDigits: max }),
);

/** Intl is the reference: every figure an alert prints must read the same as before. */
function expectAsIntl(n: number) {
  for (const [i, [min, max]] of OPTIONS.entries()) {
    expect(formatDecimal(n, min, max), `${n} with ${min}..${max} fraction digits`).toBe(intl[i]!.format(n));
  }
}

describe('formatDecimal', () => {
  it.each([
    [1234.5, 2, 2, '1,234.50'],
    [0, 2, 2, '0.00'],
    [1.005, 2, 2, '1.01'],
    [999.995, 2, 2, '1,000.00'],
    [1234567.891, 0, 2, '1,234,567.89'],
    [-1234.5, 0, 2, '-1,234.5'],
    [12, 0, 2, '12'],
  ])('formats %d with %d..%d fraction digits as %j', (n, min, max, expected) => {
    expect(formatDecimal(n, min, max)).toBe(expected);
  });

  it.each([
    0,
    -0,
    0.5,
    2.5,
    0.125,
    2.675,
    1.115,
    8.345,
    -0.001,
    -1e-7,
    1e-7,
    9.999999999999999e20,
    1e21,
    1e300,
    Number.MIN_VALUE,
    Infinity,
    -Infinity,
    NaN,
  ])('reads as Intl does for %d', (n) => expectAsIntl(n));

  it('reads as Intl does for any number', () => {
    const numbers = fc.oneof(
      fc.double(),
      fc.double({ min: -1e7, max: 1e7 }),
      fc.integer({ min: -1e9, max: 1e9 }).map((i) => i / 100),
      // Ties at the rounding digit, where half-up on the shortest decimal and on the binary value differ.
      fc.nat(1e7).map((i) => (i * 10 + 5) / 1000),
      fc.integer({ min: 0, max: 2 ** 53 }).map((i) => i / 1e4),
    );
    fc.assert(
      fc.property(numbers, (n) => expectAsIntl(n)),
      { numRuns: 5000 },
    );
  });
});
