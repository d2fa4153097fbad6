/**
 * One contract for the cost history store, run on both implementations: the ledger table (on the
 * local DynamoDB) and memory. What the enricher relies on: days read back as written, by range;
 * the refresh marker keeping its last success through a failure; a request budget that never goes
 * past its maximum, even under concurrent reservations; one lease holder at a time.
 */
import { DynamoCostHistoryStore, type CostHistoryStore } from '@spend-alerts/adapters';
import { MemoryCostHistoryStore } from '@spend-alerts/adapters/enrich/memory';
import { startLocalStack, type LocalStack } from '@spend-alerts/local/runtime/stack.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let stack: LocalStack;
let clock = Date.parse('2026-05-14T10:00:00Z');
beforeAll(async () => {
  stack = await startLocalStack();
});
afterAll(async () => {
  await stack?.close();
});

const implementations: Array<[string, () => CostHistoryStore]> = [
  ['memory', () => new MemoryCostHistoryStore(() => clock)],
  // Leases count real time in the pipeline (a simulated clock runs fast); here both run on the test's clock.
  [
    'DynamoDB',
    () =>
      new DynamoCostHistoryStore(
        stack.dynamo,
        stack.tableName,
        () => clock,
        () => clock,
      ),
  ],
];

describe.each(implementations)('the cost history store (%s)', (_name, make) => {
  it('reads back the days of a range as they were written, oldest first', async () => {
    const store = make();
    const big = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`Service ${i}`, i + 0.5]));
    await store.putDays([
      { date: '2026-05-03', cells: { '111111111111': big }, fetchedAt: 3 },
      { date: '2026-05-01', cells: { '111111111111': { EC2: 1.25 } }, fetchedAt: 1 },
      { date: '2026-05-02', cells: {}, fetchedAt: 2 },
      { date: '2026-05-09', cells: {}, fetchedAt: 9 },
    ]);
    const days = await store.days('2026-05-01', '2026-05-09');
    expect(days.map((d) => [d.date, d.fetchedAt])).toEqual([
      ['2026-05-01', 1],
      ['2026-05-02', 2],
      ['2026-05-03', 3],
    ]);
    expect(days[0]!.cells).toEqual({ '111111111111': { EC2: 1.25 } });
    expect(days[2]!.cells['111111111111']).toEqual(big);
  });

  it('keeps the time of the last successful refresh through a failed one', async () => {
    const store = make();
    await store.recordRefresh(1000, false);
    await store.recordRefresh(2000, true);
    expect(await store.lastRefresh()).toEqual({ at: 1000, failedAt: 2000 });
    await store.recordRefresh(3000, false);
    expect(await store.lastRefresh()).toEqual({ at: 3000, failedAt: null });
  });

  it('never lets the request budget go past its maximum, even when asked at once', async () => {
    const store = make();
    const month = '2031-07';
    const granted = await Promise.all(Array.from({ length: 12 }, () => store.reserveRequest(month, 5)));
    expect(granted.filter(Boolean)).toHaveLength(5);
    expect(await store.requestsUsed(month)).toBe(5);
    expect(await store.reserveRequest(month, 6)).toBe(true); // a raised budget allows more
  });

  it('has one lease holder at a time, and lets an expired lease be taken', async () => {
    const store = make();
    const key = `lease-${Math.random()}`;
    const both = await Promise.all([store.acquireLease(key, 30_000), store.acquireLease(key, 30_000)]);
    expect(both.filter(Boolean)).toHaveLength(1);
    clock += 31_000;
    expect(await store.acquireLease(key, 30_000)).toBe(true);
    await store.releaseLease(key);
    expect(await store.acquireLease(key, 30_000)).toBe(true);
  });
});

describe('the DynamoDB cost history store on a simulated clock', () => {
  it('keeps a lease for its real duration, however fast the pipeline clock runs', async () => {
    let simulated = Date.parse('2026-05-14T10:00:00Z');
    const store = new DynamoCostHistoryStore(stack.dynamo, stack.tableName, () => simulated);
    const key = `lease-${Math.random()}`;
    expect(await store.acquireLease(key, 30_000)).toBe(true);
    simulated += 3_600_000; // an hour of the pipeline's clock, a fraction of a real second
    expect(await store.acquireLease(key, 30_000)).toBe(false);
    await store.releaseLease(key);
    expect(await store.acquireLease(key, 30_000)).toBe(true);
  });
});
