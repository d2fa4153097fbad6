import type { AttributeValue } from '@aws-sdk/client-dynamodb';

export type Item = Record<string, AttributeValue>;

export const S = (value: string): AttributeValue => ({ S: value });
export const N = (value: number): AttributeValue => ({ N: String(value) });

export function str(item: Item | undefined, key: string): string | null {
  const v = item?.[key];
  return v && 'S' in v && typeof v.S === 'string' ? v.S : null;
}

export function num(item: Item | undefined, key: string): number | null {
  const v = item?.[key];
  return v && 'N' in v && typeof v.N === 'string' ? Number(v.N) : null;
}

/** Epoch seconds, as DynamoDB TTL wants them. */
export const epochSeconds = (ms: number) => Math.ceil(ms / 1000);

/** Whether an item's `expiresAt` (epoch seconds) has passed: the local stand-in has no TTL, and real TTL deletes late. */
export function expired(item: Item | undefined, nowMs: number): boolean {
  const at = num(item, 'expiresAt');
  return at !== null && at * 1000 <= nowMs;
}

export function isConditionFailure(error: unknown): boolean {
  return (error as { name?: string })?.name === 'ConditionalCheckFailedException';
}
