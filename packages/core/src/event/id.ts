import * as crypto from 'node:crypto';

/**
 * A deterministic event id from a notification's identity: the fields that make one notification
 * different from another, never its envelope. `null` parts are kept as empty fields so that the
 * position of each part still counts.
 * @example eventId('budget', ['123456789012', 'monthly', 'ACTUAL']) // 'evt_3f…' (32 hex digits)
 */
export function eventId(kind: string, parts: ReadonlyArray<string | number | null | undefined>): string {
  // One string hashed at once: the same bytes as hashing the parts one by one, for one call into C++.
  let identity = kind;
  for (const part of parts) identity += `\u001f${part ?? ''}`;
  return `evt_${sha256Hex(identity).slice(0, 32)}`;
}

/** `crypto.hash` (one shot, Node 20.12+) where there is one. */
const sha256Hex: (text: string) => string =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'hex')
    : (text) => crypto.createHash('sha256').update(text).digest('hex');
