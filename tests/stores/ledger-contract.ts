/**
 * One contract for the ledger's stores, run on both implementations (the DynamoDB table and memory):
 * what the consumers and the digest run rely on, role by role, and the one place the roles meet
 * (a send's repeat mark and thread are written by the delivery ledger and read by the others).
 */
import type { LedgerStores } from '@spend-alerts/adapters';
import { newSilence, readInput, type GroupState, type SpendEvent } from '@spend-alerts/core';
import { describe, expect, it } from 'vitest';

/** Makes a fresh, empty set of stores whose expiry checks read `now`. */
export type MakeStores = (now: () => number) => Promise<LedgerStores>;

const T0 = Date.parse('2026-06-15T10:00:00Z');
const TARGET = 'ops#slack:#finops';

export function budgetEvent(name: string, spend = 90, raw = ''): SpendEvent {
  const text = `AWS Budget Notification June 15, 2026\nAWS Account 111111111111\n\nBudget Name: ${name}\nBudget Type: Cost\nBudgeted Amount: $100.00\nAlert Type: ACTUAL\nAlert Threshold: > $80.00\nACTUAL Amount: $${spend.toFixed(2)}\n${raw}`;
  return readInput(text).events[0]!;
}

function group(id: string, flushAt: number | null): GroupState {
  return {
    id,
    receiver: 'ops',
    route: 'root',
    routePath: 'route',
    groupKey: '{}',
    flushAt,
    lastSentAt: null,
    groupInterval: 300_000,
  };
}

export function ledgerContract(name: string, make: MakeStores): void {
  let now = T0;
  const fresh = () => {
    now = T0;
    return make(() => now);
  };

  describe(`the delivery ledger (${name})`, () => {
    it('lets one consumer claim a delivery, holds off a second until the lease ends, then lets it take over', async () => {
      const { deliveries } = await fresh();
      expect(await deliveries.claimDelivery('e1', TARGET, 60_000, 1)).toEqual({ status: 'claimed' });
      expect(await deliveries.claimDelivery('e1', TARGET, 60_000, 2)).toEqual({ status: 'held', untilMs: T0 + 60_000 });
      now = T0 + 60_000;
      // The first claim expired with no result: the taker is told, so Slack can look for a message already posted.
      expect(await deliveries.claimDelivery('e1', TARGET, 60_000, 2)).toEqual({ status: 'claimed', unfinished: true });
      expect(await deliveries.getDelivery('e1', TARGET)).toMatchObject({ status: 'sending', attempts: 2 });
    });

    it('does not call a claim unfinished when the earlier attempt recorded its failure', async () => {
      const { deliveries } = await fresh();
      await deliveries.claimDelivery('e1', TARGET, 60_000, 1);
      await deliveries.recordFailed('e1', TARGET, 'slack: ratelimited', 1);
      expect(await deliveries.claimDelivery('e1', TARGET, 60_000, 2)).toEqual({ status: 'claimed' });
    });

    it('answers "delivered" to every claim after a send, and a late failure does not overwrite it', async () => {
      const { deliveries } = await fresh();
      await deliveries.claimDelivery('e1', TARGET, 60_000, 1);
      await deliveries.recordSent(['e1', 'e2'], TARGET, '1718445600.000100', 1, []);
      expect(await deliveries.claimDelivery('e1', TARGET, 60_000, 2)).toEqual({ status: 'delivered' });
      await deliveries.recordFailed('e1', TARGET, 'timeout', 2);
      await deliveries.recordDecision('e2', TARGET, 'suppressed', 'repeat');
      expect(await deliveries.getDelivery('e1', TARGET)).toEqual({
        eventId: 'e1',
        target: TARGET,
        status: 'delivered',
        ref: '1718445600.000100',
        at: T0,
        attempts: 1,
        reason: null,
      });
      expect((await deliveries.getDelivery('e2', TARGET))?.status).toBe('delivered');
    });

    it('records failures and decisions of what was not delivered, one entry per destination', async () => {
      const { deliveries } = await fresh();
      await deliveries.recordFailed('e1', TARGET, 'slack: channel_not_found', 3);
      await deliveries.recordDecision('e1', 'mail#email:a@example.com', 'buffered', 'digest');
      const entries = await deliveries.deliveriesOf('e1');
      expect(entries.map((d) => [d.target, d.status, d.reason, d.attempts]).sort()).toEqual([
        ['mail#email:a@example.com', 'buffered', 'digest', 0],
        [TARGET, 'failed', 'slack: channel_not_found', 3],
      ]);
      expect(await deliveries.deliveriesOf('e2')).toEqual([]);
      expect((await deliveries.allDeliveries()).map((d) => d.eventId)).toEqual(['e1', 'e1']);
    });

    it('parks a message in the DLQ once, and again only after the claim is given back', async () => {
      const { deliveries } = await fresh();
      expect(await deliveries.claimDeadLetter('slack', 'm-1')).toBe(true);
      expect(await deliveries.claimDeadLetter('slack', 'm-1')).toBe(false);
      expect(await deliveries.claimDeadLetter('email', 'm-1')).toBe(true);
      await deliveries.releaseDeadLetter('slack', 'm-1');
      expect(await deliveries.claimDeadLetter('slack', 'm-1')).toBe(true);
    });

    it("writes a send's repeat marks and threads where noise control, the thread store and the batch read find them", async () => {
      const { deliveries, noise, threads } = await fresh();
      const longKey = `budget|${'x'.repeat(2000)}`;
      await deliveries.recordSent(
        ['e1'],
        TARGET,
        'ts-1',
        1,
        [{ repeatKey: longKey, at: T0, expiresAt: T0 + 3_600_000 }],
        [{ key: 'alarm:bill', ts: 'ts-1' }],
      );
      expect(await noise.lastSent(TARGET, longKey)).toBe(T0);
      expect(await threads.get(TARGET, 'alarm:bill')).toBe('ts-1');
      const marks = await deliveries.readMarks(
        [
          { target: TARGET, repeatKey: longKey },
          { target: TARGET, repeatKey: 'never' },
        ],
        [
          { target: TARGET, key: 'alarm:bill' },
          { target: 'other#x', key: 'alarm:bill' },
        ],
      );
      expect(Object.fromEntries(marks.lastSent)).toEqual({ [`${TARGET}|${longKey}`]: T0, [`${TARGET}|never`]: null });
      expect(Object.fromEntries(marks.threads)).toEqual({
        [`${TARGET}|alarm:bill`]: 'ts-1',
        'other#x|alarm:bill': null,
      });
      now = T0 + 3_600_000;
      expect(await noise.lastSent(TARGET, longKey)).toBeNull();
      expect(
        (await deliveries.readMarks([{ target: TARGET, repeatKey: longKey }], [])).lastSent.get(`${TARGET}|${longKey}`),
      ).toBeNull();
    });
  });

  describe(`noise control's state (${name})`, () => {
    it('answers dedup from the delivery ledger', async () => {
      const { noise, deliveries } = await fresh();
      expect(await noise.wasDelivered(TARGET, 'e1')).toBe(false);
      await noise.markDelivered(TARGET, 'e1', T0);
      expect(await noise.wasDelivered(TARGET, 'e1')).toBe(true);
      expect((await deliveries.getDelivery('e1', TARGET))?.status).toBe('delivered');
    });

    it('writes a group only when its flush time is still the one expected', async () => {
      const { noise } = await fresh();
      expect(await noise.putGroupIf(group('ops/a', T0 + 30_000), 'absent')).toBe(true);
      expect(await noise.putGroupIf(group('ops/a', T0 + 1), 'absent')).toBe(false);
      expect(await noise.putGroupIf(group('ops/a', null), T0 + 1)).toBe(false);
      expect(await noise.putGroupIf(group('ops/a', null), T0 + 30_000)).toBe(true);
      expect(await noise.putGroupIf(group('ops/a', T0 + 60_000), null)).toBe(true);
      expect(await noise.putGroupIf(group('ops/b', T0), null)).toBe(false);
      expect(await noise.getGroup('ops/a')).toEqual(group('ops/a', T0 + 60_000));
      expect(await noise.getGroup('ops/b')).toBeNull();
      expect((await noise.dueGroups(T0 + 59_999)).map((g) => g.id)).toEqual([]);
      expect((await noise.dueGroups(T0 + 60_000)).map((g) => g.id)).toEqual(['ops/a']);
    });

    it("keeps a group's members once each, oldest first, and removes the ones sent", async () => {
      const { noise } = await fresh();
      const [a, b] = [budgetEvent('a'), { ...budgetEvent('b'), occurredAt: '2026-06-14T00:00:00.000Z' }];
      await noise.addMember('ops/g', a);
      await noise.addMember('ops/g', b);
      await noise.addMember('ops/g', a);
      expect((await noise.members('ops/g')).map((e) => e.id)).toEqual([b.id, a.id]);
      expect(await noise.members('ops/g')).toEqual([b, a]);
      await noise.removeMembers('ops/g', [b.id]);
      expect((await noise.members('ops/g')).map((e) => e.id)).toEqual([a.id]);
    });

    it('stores a huge message cut to a bounded size', async () => {
      const { noise } = await fresh();
      const huge = budgetEvent('huge', 95, 'x'.repeat(300_000));
      await noise.addMember('ops/g', huge);
      const [back] = await noise.members('ops/g');
      expect(back!.id).toBe(huge.id);
      expect(back!.raw.length).toBeLessThan(70_000);
      expect(back!.raw).toMatch(/…\[truncated for storage\]$/);
    });

    it('keeps silences by id, the latest write winning, until 30 days after they end', async () => {
      const { noise } = await fresh();
      const silence = newSilence(
        {
          matchers: ['accountName = sandbox'],
          startsAt: new Date(T0),
          endsAt: new Date(T0 + 3_600_000),
          createdBy: 'me',
          comment: 'test',
        },
        's1',
      );
      await noise.putSilence(silence);
      await noise.putSilence({ ...silence, comment: 'changed' });
      expect(await noise.listSilences()).toEqual([{ ...silence, comment: 'changed' }]);
      now = T0 + 3_600_000 + 30 * 86_400_000;
      expect(await noise.listSilences()).toEqual([]);
    });
  });

  describe(`the digest ledger (${name})`, () => {
    it('buffers an event once, by received time, and reads back up to a period end', async () => {
      const { noise, digests } = await fresh();
      const [a, b, c] = [budgetEvent('a'), budgetEvent('b'), budgetEvent('c')];
      await noise.addToDigest('finops', b, Date.parse('2026-06-15T09:00:00Z'));
      await noise.addToDigest('finops', a, Date.parse('2026-06-14T09:00:00Z'));
      await noise.addToDigest('finops', a, Date.parse('2026-06-15T09:30:00Z'));
      await noise.addToDigest('finops', c, Date.parse('2026-06-16T09:00:00Z'));
      const buffer = await digests.digestBuffer('finops', '2026-06-16T00:00:00.000Z');
      expect(buffer.map((e) => [e.receivedAt, e.event.id])).toEqual([
        ['2026-06-14T09:00:00.000Z', a.id],
        ['2026-06-15T09:00:00.000Z', b.id],
      ]);
      expect(buffer[0]!.event).toEqual(a);
      expect(
        (await digests.digestEvents('finops', '2026-06-15T00:00:00.000Z', '2026-06-17T00:00:00.000Z')).map((e) => e.id),
      ).toEqual([b.id, c.id]);
      await digests.removeDigestEvents('finops', [buffer[0]!.key]);
      expect((await digests.digestBuffer('finops', '2027-01-01T00:00:00.000Z')).map((e) => e.event.id)).toEqual([
        b.id,
        c.id,
      ]);
      // Redelivered after it was sent, an event is not buffered again.
      await noise.addToDigest('finops', a, Date.parse('2026-06-16T10:00:00Z'));
      expect((await digests.digestBuffer('finops', '2027-01-01T00:00:00.000Z')).map((e) => e.event.id)).toEqual([
        b.id,
        c.id,
      ]);
      expect(await digests.digestBuffer('other', '2027-01-01T00:00:00.000Z')).toEqual([]);
    });

    it('claims a period once; a released claim may be taken again, a closed period never', async () => {
      const { digests } = await fresh();
      expect(await digests.claimDigest('finops', 'day:2026-06-15@UTC', 600_000)).toBe(true);
      expect(await digests.claimDigest('finops', 'day:2026-06-15@UTC', 600_000)).toBe(false);
      expect(await digests.digestRecord('finops', 'day:2026-06-15@UTC')).toMatchObject({ status: 'claimed' });
      await digests.releaseDigest('finops', 'day:2026-06-15@UTC');
      expect(await digests.digestRecord('finops', 'day:2026-06-15@UTC')).toBeNull();
      expect(await digests.claimDigest('finops', 'day:2026-06-15@UTC', 600_000)).toBe(true);
      await digests.markDigestSent('finops', 'day:2026-06-15@UTC', 'msg-1');
      await digests.releaseDigest('finops', 'day:2026-06-15@UTC');
      expect(await digests.digestRecord('finops', 'day:2026-06-15@UTC')).toEqual({
        status: 'sent',
        ref: 'msg-1',
        reason: null,
        at: T0,
      });
      now = T0 + 86_400_000;
      expect(await digests.claimDigest('finops', 'day:2026-06-15@UTC', 600_000)).toBe(false);
      await digests.recordDigestOutcome('finops', 'day:2026-06-16@UTC', 'failed', 'permanent: no such address');
      expect(await digests.digestRecord('finops', 'day:2026-06-16@UTC')).toMatchObject({
        status: 'failed',
        reason: 'permanent: no such address',
      });
    });

    it('lets a claim whose holder died be taken over once it expires', async () => {
      const { digests } = await fresh();
      expect(await digests.claimDigest('finops', 'week:2026-W25@UTC', 60_000)).toBe(true);
      now = T0 + 61_000;
      expect(await digests.claimDigest('finops', 'week:2026-W25@UTC', 60_000)).toBe(true);
    });
  });

  describe(`threads and the cache (${name})`, () => {
    it('keeps the first thread of a key per destination', async () => {
      const { threads } = await fresh();
      expect(await threads.put(TARGET, 'alarm:bill', 'ts-1')).toBe('ts-1');
      expect(await threads.put(TARGET, 'alarm:bill', 'ts-2')).toBe('ts-1');
      expect(await threads.put('other#x', 'alarm:bill', 'ts-3')).toBe('ts-3');
      expect(await threads.get(TARGET, 'alarm:bill')).toBe('ts-1');
      expect(await threads.get(TARGET, 'alarm:other')).toBeNull();
    });

    it('answers a cached value until its time runs out, and holds one lease at a time', async () => {
      const { cache } = await fresh();
      await cache.putCached('ce:2026-06', { total: 12.5, services: ['EC2'] }, 60_000);
      expect(await cache.getCached('ce:2026-06')).toEqual({ total: 12.5, services: ['EC2'] });
      expect(await cache.getCached('ce:2026-05')).toBeNull();
      expect(await cache.acquireLease('refresh', 30_000)).toBe(true);
      expect(await cache.acquireLease('refresh', 30_000)).toBe(false);
      await cache.releaseLease('refresh');
      expect(await cache.acquireLease('refresh', 30_000)).toBe(true);
      now = T0 + 60_000;
      expect(await cache.getCached('ce:2026-06')).toBeNull();
      expect(await cache.acquireLease('refresh', 30_000)).toBe(true);
    });
  });
}
