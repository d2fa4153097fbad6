import type { SpendEvent } from '@spend-alerts/core';
import { epochSeconds, N, num, S, str, type Item } from './items.ts';
import type { DigestEntry, DigestLedger, DigestRecord } from './roles.ts';
import { DAY, KEYS, unpackEvent } from './stored.ts';
import type { LedgerTable } from './table.ts';

/** Digest records are kept past a year, so "compared with last period" always has one. */
const DIGEST_RECORD_RETENTION_MS = 400 * DAY;

/**
 * The digest side of the table: the buffer (`DIGEST#<receiver>`, sorted by received time, written by
 * noise control) and each period's claim and outcome (`DIGESTSENT#<receiver>`, keyed by period).
 */
export class DynamoDigestLedger implements DigestLedger {
  constructor(readonly table: LedgerTable) {}

  async digestEvents(receiver: string, fromIso: string, toIso: string): Promise<SpendEvent[]> {
    const items = await this.table.query({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': S(KEYS.digest(receiver)), ':from': S(fromIso), ':to': S(toIso) },
    });
    return items.filter((i) => (str(i, 'sk') ?? '') < toIso).map((i) => unpackEvent(i));
  }

  async digestBuffer(receiver: string, toIso: string): Promise<DigestEntry[]> {
    const items = await this.table.query({
      KeyConditionExpression: 'pk = :pk AND sk < :to',
      ExpressionAttributeValues: { ':pk': S(KEYS.digest(receiver)), ':to': S(toIso) },
    });
    return items.map((i) => {
      const key = str(i, 'sk') ?? '';
      return { key, receivedAt: key.slice(0, key.indexOf('#')), event: unpackEvent(i) };
    });
  }

  async removeDigestEvents(receiver: string, keys: string[]): Promise<void> {
    for (const key of keys) await this.table.delete(KEYS.digest(receiver), key);
  }

  async claimDigest(receiver: string, periodKey: string, leaseMs: number): Promise<boolean> {
    return this.table.claim(KEYS.digestSent(receiver), periodKey, leaseMs);
  }

  async markDigestSent(receiver: string, periodKey: string, ref: string | null): Promise<void> {
    await this.close(receiver, periodKey, { status: S('sent'), ref: S(ref ?? '') });
  }

  async recordDigestOutcome(
    receiver: string,
    periodKey: string,
    status: 'empty' | 'failed',
    reason: string,
  ): Promise<void> {
    await this.close(receiver, periodKey, { status: S(status), reason: S(reason) });
  }

  /** Deletes the claim only while it is a claim: a period closed meanwhile stays closed. */
  async releaseDigest(receiver: string, periodKey: string): Promise<void> {
    await this.table.delete(KEYS.digestSent(receiver), periodKey, {
      ConditionExpression: '#s = :claimed',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':claimed': S('claimed') },
    });
  }

  async digestRecord(receiver: string, periodKey: string): Promise<DigestRecord | null> {
    const item = await this.table.get(KEYS.digestSent(receiver), periodKey);
    return item
      ? {
          status: str(item, 'status') ?? '',
          ref: str(item, 'ref') || null,
          reason: str(item, 'reason'),
          at: num(item, 'at') ?? 0,
        }
      : null;
  }

  private async close(receiver: string, periodKey: string, fields: Item): Promise<void> {
    const now = this.table.now();
    await this.table.put({
      pk: S(KEYS.digestSent(receiver)),
      sk: S(periodKey),
      ...fields,
      at: N(now),
      expiresAt: N(epochSeconds(now + DIGEST_RECORD_RETENTION_MS)),
    });
  }
}
