import { createHash } from 'node:crypto';

/**
 * A deterministic event id from a notification's identity: the fields that make one notification
 * different from another, never its envelope. `null` parts are kept as empty fields so that the
 * position of each part still counts.
 * @example eventId('budget', ['123456789012', 'monthly', 'ACTUAL']) // 'evt_3f…' (32 hex digits)
 */
export function eventId(kind: string, parts: ReadonlyArray<string | number | null | undefined>): string {
  const hash = createHash('sha256');
  hash.update(kind);
  for (const part of parts) hash.update(`\u001f${part ?? ''}`);
  return `evt_${hash.digest('hex').slice(0, 32)}`;
}
