import { describe, expect, it } from 'vitest';
import { sparkline } from './sparkline.ts';

describe('sparkline', () => {
  it.each([
    ['empty', [], ''],
    ['one value', [5], '▄'],
    ['constant', [3, 3, 3], '▄▄▄'],
    ['rising', [0, 1, 2, 3, 4, 5, 6, 7], '▁▂▃▄▅▆▇█'],
    ['falling', [7, 0], '█▁'],
    ['negative values', [-10, 0, 10], '▁▅█'],
    ['a spike', [1, 1, 1, 9], '▁▁▁█'],
    ['a gap for NaN', [1, Number.NaN, 3], '▁ █'],
    ['all NaN', [Number.NaN, Number.NaN], '  '],
  ])('%s', (_, values, expected) => {
    expect(sparkline(values)).toBe(expected);
  });

  it('draws one character per value', () => {
    const values = Array.from({ length: 31 }, (_, i) => Math.sin(i) * 100);
    expect([...sparkline(values)]).toHaveLength(31);
  });
});
