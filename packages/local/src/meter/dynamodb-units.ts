/**
 * DynamoDB's request units, computed as DynamoDB computes them (Developer Guide, "Item sizes and
 * formats" and "Read/write capacity mode"): an item's size is the UTF-8 bytes of its attribute names
 * plus their values; a write costs one unit per 1 KB of the larger of the old and new item (at least
 * one, also when a condition fails); a strongly consistent read one unit per 4 KB (half for an
 * eventually consistent one, at least the minimum when nothing is found); a Query adds up the items
 * it reads before any filter and rounds the total up once; BatchGetItem rounds each item up on its own.
 */

/** A DynamoDB attribute value as the JSON protocol writes it (`{ "S": "…" }`, `{ "N": "12" }` …). */
export type AttributeValue = Record<string, unknown>;
export type Item = Record<string, AttributeValue>;

const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');

/** Bytes of a number: one per two significant digits, plus one. Leading and trailing zeros do not count. */
export function numberSize(text: string): number {
  const digits = text
    .replace(/^[+-]/, '')
    .replace(/[eE].*$/, '')
    .replace('.', '')
    .replace(/^0+/, '')
    .replace(/0+$/, '');
  return Math.ceil(Math.max(1, digits.length) / 2) + 1;
}

/** Bytes of one attribute value. */
export function valueSize(value: AttributeValue): number {
  const [type, v] = Object.entries(value)[0] ?? ['NULL', true];
  switch (type) {
    case 'S':
      return utf8(String(v));
    case 'N':
      return numberSize(String(v));
    case 'B':
      return Buffer.from(String(v), 'base64').length;
    case 'BOOL':
    case 'NULL':
      return 1;
    case 'SS':
      return (v as string[]).reduce((n, s) => n + utf8(s), 0);
    case 'NS':
      return (v as string[]).reduce((n, s) => n + numberSize(s), 0);
    case 'BS':
      return (v as string[]).reduce((n, s) => n + Buffer.from(s, 'base64').length, 0);
    case 'L':
      // 3 bytes for the list, 1 for each element.
      return 3 + (v as AttributeValue[]).reduce((n, e) => n + 1 + valueSize(e), 0);
    case 'M':
      return 3 + Object.entries(v as Item).reduce((n, [name, e]) => n + 1 + utf8(name) + valueSize(e), 0);
    default:
      return 0;
  }
}

/** The size DynamoDB bills an item by. */
export function itemSize(item: Item): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) size += utf8(name) + valueSize(value);
  return size;
}

/** Write request units for one write of items of these sizes (the larger counts; a missing one is 0 bytes). */
export function writeUnits(...sizes: number[]): number {
  return Math.max(1, Math.ceil(Math.max(0, ...sizes) / 1024));
}

/** Read request units for reading `bytes` at once (0 bytes: nothing found, still the minimum). */
export function readUnits(bytes: number, consistent: boolean): number {
  return Math.max(1, Math.ceil(bytes / 4096)) * (consistent ? 1 : 0.5);
}
