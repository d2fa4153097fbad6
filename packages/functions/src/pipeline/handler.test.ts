import { deliveryTarget, readInput } from '@spend-alerts/core';
import { spec } from '@spend-alerts/stacks/spec';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { budgetText, fakeConsumer, flushRecord, sqsRecord, T0 } from '../testing/pipeline-fakes.ts';
import { createChannelHandler } from './handler.ts';

/**
 * The consumer's handler on the in-memory stores: what Lambda is told to retry, what goes to the
 * DLQ, and what each destination receives, with no server behind it.
 */
const batch = (...records: SQSRecord[]): SQSEvent => ({ Records: records });
const target = (c: ReturnType<typeof fakeConsumer>, name: string) =>
  deliveryTarget(c.deps.config.receivers.find((r) => r.name === name)!);

describe('a batch with failures', () => {
  it('reports only the records that should come back, and parks the permanently failing one', async () => {
    const c = fakeConsumer();
    c.notifier.failWith = (m) =>
      m.budgets.includes('flaky')
        ? 'transient'
        : m.budgets.includes('gone') && m.receiver === 'finance'
          ? 'permanent'
          : null;
    const [ok, flaky, gone] = [
      sqsRecord(budgetText('fine')),
      sqsRecord(budgetText('flaky')),
      sqsRecord(budgetText('gone')),
    ];
    const out = await createChannelHandler(async () => c.deps)(batch(ok, flaky, gone));

    expect(out.batchItemFailures).toEqual([{ itemIdentifier: flaky.messageId }]);
    expect(c.queue.backoffs.map((b) => b.messageId)).toEqual([flaky.messageId]);
    expect(c.queue.backoffs[0]!.delayMs).toBeGreaterThan(0);
    expect(c.queue.dead).toEqual([
      { messageId: gone.messageId, reason: 'finance: fake permanent', failure: 'permanent' },
    ]);
    expect(
      c.notifier.sent.sort((a, b) => `${a.budgets}${a.receiver}`.localeCompare(`${b.budgets}${b.receiver}`)),
    ).toEqual([
      { receiver: 'finance', budgets: ['fine'] },
      { receiver: 'ops', budgets: ['fine'] },
      { receiver: 'ops', budgets: ['gone'] },
    ]);
  });

  it('an exception no step expected retries the record instead of failing the batch', async () => {
    const c = fakeConsumer();
    const claim = c.stores.deliveries.claimDelivery.bind(c.stores.deliveries);
    c.stores.deliveries.claimDelivery = async (eventId, t, lease, attempts) => {
      if (t === target(c, 'finance')) throw new TypeError('boom');
      return claim(eventId, t, lease, attempts);
    };
    const [a, b] = [sqsRecord(budgetText('a')), sqsRecord(budgetText('b'))];
    const out = await createChannelHandler(async () => c.deps)(batch(a, b));
    expect(out.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual([a.messageId, b.messageId].sort());
    expect(c.queue.dead).toEqual([]);
    expect(c.notifier.sent.map((m) => m.receiver)).toEqual(['ops', 'ops']);
  });
});

describe('a record delivered again after a partial delivery', () => {
  it('sends only to the destination that failed, and each destination once in all', async () => {
    const c = fakeConsumer();
    c.notifier.failWith = (m) => (m.receiver === 'finance' ? 'rate-limited' : null);
    const record = sqsRecord(budgetText('half'));
    const handler = createChannelHandler(async () => c.deps);
    expect((await handler(batch(record))).batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
    expect(c.notifier.sent).toEqual([{ receiver: 'ops', budgets: ['half'] }]);

    c.notifier.failWith = () => null;
    c.setNow(T0 + 60_000);
    const again = sqsRecord(record.body, 2, record.messageId);
    expect((await handler(batch(again))).batchItemFailures).toEqual([]);
    expect((await handler(batch(sqsRecord(record.body, 3, record.messageId)))).batchItemFailures).toEqual([]);

    expect(c.notifier.sent).toEqual([
      { receiver: 'ops', budgets: ['half'] },
      { receiver: 'finance', budgets: ['half'] },
    ]);
    const entries = await c.stores.deliveries.allDeliveries();
    expect(entries.map((d) => [d.target, d.status, d.attempts]).sort()).toEqual([
      [target(c, 'finance'), 'delivered', 2],
      [target(c, 'ops'), 'delivered', 1],
    ]);
  });

  it('waits out another consumer that holds the claim, then skips what it delivered', async () => {
    const c = fakeConsumer();
    const record = sqsRecord(budgetText('racing'));
    const event = readInput(record.body).events[0]!;
    // Another consumer holds the same record (SQS delivered it twice) and is sending it to ops now.
    await c.stores.deliveries.claimDelivery(event.id, target(c, 'ops'), 30_000, 1);
    const handler = createChannelHandler(async () => c.deps);
    expect((await handler(batch(record))).batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
    expect(c.notifier.sent).toEqual([{ receiver: 'finance', budgets: ['racing'] }]);
    expect(c.queue.backoffs[0]!.delayMs).toBeGreaterThanOrEqual(30_000);

    await c.stores.deliveries.recordSent([event.id], target(c, 'ops'), 'ts-other', 1, []);
    c.setNow(T0 + 30_000);
    expect((await handler(batch(sqsRecord(record.body, 2, record.messageId)))).batchItemFailures).toEqual([]);
    expect(c.notifier.sent).toEqual([{ receiver: 'finance', budgets: ['racing'] }]);
  });
});

describe('grouping across a batch', () => {
  it('holds a batch of alerts in one group and sends them as one message when the flush comes', async () => {
    const c = fakeConsumer({ groupWait: '30s', groupBy: ['kind'] });
    const records = ['b1', 'b2', 'b3'].map((n) => sqsRecord(budgetText(n)));
    const handler = createChannelHandler(async () => c.deps);
    expect((await handler(batch(...records))).batchItemFailures).toEqual([]);
    expect(c.notifier.sent).toEqual([]);
    // One flush scheduled per receiver's group, however many records joined it.
    expect(c.queue.flushes.map((f) => [f.groupId.split('/')[0], f.delayMs]).sort()).toEqual([
      ['finance', 30_000],
      ['ops', 30_000],
    ]);

    c.setNow(T0 + 30_000);
    const flushes = c.queue.flushes.map((f) => flushRecord(f.groupId));
    expect((await handler(batch(...flushes))).batchItemFailures).toEqual([]);
    expect(c.notifier.sent.map((m) => [m.receiver, [...m.budgets].sort()]).sort()).toEqual([
      ['finance', ['b1', 'b2', 'b3']],
      ['ops', ['b1', 'b2', 'b3']],
    ]);
    // The same flush delivered twice by SQS sends nothing more.
    await handler(batch(...c.queue.flushes.slice(0, 2).map((f) => flushRecord(f.groupId))));
    expect(c.notifier.sent).toHaveLength(2);
  });
});

describe('the dead-letter decision', () => {
  const maxReceives = spec.consumers.slack.maxReceiveCount;

  it('parks a record still failing on its last receive, with its reason, instead of returning it', async () => {
    const c = fakeConsumer();
    c.notifier.failWith = () => 'transient';
    const record = sqsRecord(budgetText('stuck'), maxReceives);
    expect((await createChannelHandler(async () => c.deps)(batch(record))).batchItemFailures).toEqual([]);
    expect(c.queue.dead).toEqual([
      {
        messageId: record.messageId,
        reason: `still failing after ${maxReceives} receives: ops: fake transient; finance: fake transient`,
        failure: 'exhausted',
      },
    ]);
    expect(c.queue.backoffs).toEqual([]);
  });

  it('retries before the last receive', async () => {
    const c = fakeConsumer();
    c.notifier.failWith = () => 'transient';
    const record = sqsRecord(budgetText('stuck'), maxReceives - 1);
    expect((await createChannelHandler(async () => c.deps)(batch(record))).batchItemFailures).toHaveLength(1);
    expect(c.queue.dead).toEqual([]);
  });

  it('parks a record delivered twice once', async () => {
    const c = fakeConsumer();
    c.notifier.failWith = () => 'permanent';
    const handler = createChannelHandler(async () => c.deps);
    const record = sqsRecord(budgetText('poison'));
    await handler(batch(record));
    await handler(batch(sqsRecord(record.body, 2, record.messageId)));
    expect(c.queue.dead.map((d) => d.messageId)).toEqual([record.messageId]);
  });

  it('returns a record it could not park, and parks it on the retry', async () => {
    const c = fakeConsumer();
    c.notifier.failWith = () => 'auth';
    c.queue.deadLetterFails = true;
    const handler = createChannelHandler(async () => c.deps);
    const record = sqsRecord(budgetText('unparked'));
    expect((await handler(batch(record))).batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
    c.queue.deadLetterFails = false;
    expect((await handler(batch(sqsRecord(record.body, 2, record.messageId)))).batchItemFailures).toEqual([]);
    expect(c.queue.dead.map((d) => [d.messageId, d.failure])).toEqual([[record.messageId, 'auth']]);
  });
});
