/**
 * How long a failed record stays invisible before its next try: exponential in the receive count,
 * with full jitter so that retries of a burst spread out, capped below the SQS maximum of 12 hours.
 * A destination's own Retry-After wins when it asks for longer.
 * @example backoffMs(3, undefined, () => 0.5) // 40_000
 */
export function backoffMs(
  receiveCount: number,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
  baseMs = 10_000,
  capMs = 15 * 60_000,
): number {
  const exponential = Math.min(capMs, baseMs * 2 ** Math.max(0, receiveCount - 1));
  const jittered = Math.round(exponential / 2 + random() * (exponential / 2));
  return Math.max(jittered, retryAfterMs ?? 0);
}
