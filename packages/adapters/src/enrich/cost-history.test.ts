import { CostExplorerClient, GetCostAndUsageCommand, type ResultByTime } from '@aws-sdk/client-cost-explorer';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { CostHistory } from './cost-history.ts';
import { MemoryCostHistoryStore } from './memory-history-store.ts';

const ce = mockClient(CostExplorerClient);
afterEach(() => ce.reset());

const HOUR = 3_600_000;
/** Cost Explorer's answer for `[start, end)`: $1 of EC2 in one account each day. */
function answer(start: string, end: string): ResultByTime[] {
  const out: ResultByTime[] = [];
  for (let d = start; d < end; d = new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10))
    out.push({
      TimePeriod: { Start: d, End: d },
      Groups: [{ Keys: ['111111111111', 'EC2'], Metrics: { UnblendedCost: { Amount: '1', Unit: 'USD' } } }],
    });
  return out;
}
function history(store: MemoryCostHistoryStore, clock: { t: number }, max = 60) {
  return new CostHistory({
    store,
    costExplorer: () => new CostExplorerClient({ region: 'us-east-1' }),
    refreshEveryMs: 12 * HOUR,
    maxRequestsPerMonth: max,
    now: () => new Date(clock.t),
    sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 5))),
    waitForOthersMs: 50,
  });
}
const periods = () => ce.commandCalls(GetCostAndUsageCommand).map((c) => c.args[0].input.TimePeriod);

describe('CostHistory', () => {
  it('fetches every day it lacks with one request grouped by linked account and service, then none within the window', async () => {
    ce.on(GetCostAndUsageCommand).callsFake((input) => ({
      ResultsByTime: answer(input.TimePeriod.Start, input.TimePeriod.End),
    }));
    const clock = { t: Date.parse('2026-05-14T10:00:00Z') };
    const store = new MemoryCostHistoryStore(() => clock.t);
    const h = history(store, clock);
    const first = await h.days('2026-04-01', '2026-05-14');
    expect(first.days).toHaveLength(43);
    expect(first.days[0]).toEqual({ date: '2026-04-01', cells: { '111111111111': { EC2: 1 } } });
    expect(periods()).toEqual([{ Start: '2026-04-01', End: '2026-05-14' }]);
    expect(ce.commandCalls(GetCostAndUsageCommand)[0]!.args[0].input.GroupBy).toEqual([
      { Type: 'DIMENSION', Key: 'LINKED_ACCOUNT' },
      { Type: 'DIMENSION', Key: 'SERVICE' },
    ]);
    clock.t += 2 * HOUR;
    await history(store, clock).days('2026-04-01', '2026-05-14'); // another consumer, within the window
    expect(periods()).toHaveLength(1);
  });

  it('asks a later refresh only for the days that can still change', async () => {
    ce.on(GetCostAndUsageCommand).callsFake((input) => ({
      ResultsByTime: answer(input.TimePeriod.Start, input.TimePeriod.End),
    }));
    const clock = { t: Date.parse('2026-05-14T10:00:00Z') };
    const store = new MemoryCostHistoryStore(() => clock.t);
    await history(store, clock).days('2026-04-01', '2026-05-14');
    clock.t = Date.parse('2026-05-15T09:00:00Z');
    await history(store, clock).days('2026-04-01', '2026-05-15');
    // Fetched on the 14th at 10:00: the 13th had ended only ten hours before, so it may still change.
    expect(periods()[1]).toEqual({ Start: '2026-05-13', End: '2026-05-15' });
  });

  it('never spends more than the month’s request budget, and says the costs are from before', async () => {
    let page = 0;
    ce.on(GetCostAndUsageCommand).callsFake(() => ({ ResultsByTime: [], NextPageToken: `p${++page}` }));
    const clock = { t: Date.parse('2026-05-14T10:00:00Z') };
    const store = new MemoryCostHistoryStore(() => clock.t);
    const out = await history(store, clock, 3).days('2026-05-01', '2026-05-14');
    expect(periods()).toHaveLength(3);
    expect(out.unavailable).toBe("this month's Cost Explorer request budget (3) is used: no costs fetched yet");
    clock.t += 13 * HOUR;
    const later = await history(store, clock, 3).days('2026-05-01', '2026-05-14');
    expect(periods()).toHaveLength(3);
    expect(later.unavailable).toMatch(/request budget \(3\) is used/);
    expect(await store.requestsUsed('2026-05')).toBe(3);
  });

  it('lets one consumer refresh while another waits for its answer', async () => {
    ce.on(GetCostAndUsageCommand).callsFake(async (input) => {
      await new Promise((r) => setTimeout(r, 20));
      return { ResultsByTime: answer(input.TimePeriod.Start, input.TimePeriod.End) };
    });
    const clock = { t: Date.parse('2026-05-14T10:00:00Z') };
    const store = new MemoryCostHistoryStore(() => clock.t);
    const [a, b] = await Promise.all([
      history(store, clock).days('2026-05-01', '2026-05-14'),
      history(store, clock).days('2026-05-01', '2026-05-14'),
    ]);
    expect(periods()).toHaveLength(1);
    expect(a.days).toHaveLength(13);
    expect(b.days).toHaveLength(13);
  });

  it('degrades on a failure, and tries again a minute later', async () => {
    ce.on(GetCostAndUsageCommand).rejectsOnce(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }));
    const clock = { t: Date.parse('2026-05-14T10:00:00Z') };
    const store = new MemoryCostHistoryStore(() => clock.t);
    const failed = await history(store, clock).days('2026-05-01', '2026-05-14');
    expect(failed.unavailable).toBe('Cost Explorer is throttling requests (ThrottlingException)');
    await history(store, clock).days('2026-05-01', '2026-05-14');
    expect(periods()).toHaveLength(1);
    ce.on(GetCostAndUsageCommand).callsFake((input) => ({
      ResultsByTime: answer(input.TimePeriod.Start, input.TimePeriod.End),
    }));
    clock.t += 61_000;
    const again = await history(store, clock).days('2026-05-01', '2026-05-14');
    expect(again.days).toHaveLength(13);
    expect(again.unavailable).toBeNull();
  });
});
