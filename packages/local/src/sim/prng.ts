/**
 * Seeded randomness for the simulation. Values are drawn from a hash of what they describe
 * (seed, day, account, service) rather than from one running stream, so a cell's cost never
 * depends on which cells were asked for first.
 */

/** FNV-1a over the parts, joined with a separator no part contains. */
export function hash32(...parts: ReadonlyArray<string | number>): number {
  let h = 0x811c9dc5;
  const text = parts.join('\u001f');
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: a small, fast PRNG with a 32-bit state; returns numbers in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** One number in [0, 1) determined by the parts alone. */
export function unitNoise(...parts: ReadonlyArray<string | number>): number {
  return mulberry32(hash32(...parts))();
}

/** A version-4-shaped UUID determined by the parts: stable ids for anomalies, monitors, subscriptions. */
export function stableUuid(...parts: ReadonlyArray<string | number>): string {
  const next = mulberry32(hash32(...parts));
  const hex = Array.from({ length: 32 }, () => Math.floor(next() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}
