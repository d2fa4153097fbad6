const BARS = '▁▂▃▄▅▆▇█';
/** A constant series has no shape to show; a flat line at mid height reads as "steady", not "zero". */
const FLAT = BARS[3]!;

/**
 * Draws a series as one line of block characters, lowest value `▁`, highest `█`. A constant
 * series gives a flat middle line, an empty one ''. A value that is not a finite number leaves
 * a gap (a space), so the days still line up.
 * @example sparkline([1, 2, 3, 8]) // '▁▂▃█'
 */
export function sparkline(values: number[]): string {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return values.length ? ' '.repeat(values.length) : '';
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  return values
    .map((v) => {
      if (!Number.isFinite(v)) return ' ';
      if (max === min) return FLAT;
      return BARS[Math.round(((v - min) / (max - min)) * (BARS.length - 1))]!;
    })
    .join('');
}
