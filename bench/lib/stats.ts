/** Small statistics helpers for the bench. */

/** The q-quantile (0..1) of values, nearest-rank; NaN for none. */
export function quantile(values: readonly number[], q: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** Rounds to `digits` decimals for the report. */
export function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** Progress goes to stderr, so that stdout stays the table and the JSON line. */
export function progress(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}
