import { createLogger } from '@spend-alerts/adapters/log';
import { describe, expect, it } from 'vitest';
import { runWatchdog, WATCHDOG_KEYS, type WatchdogDeps } from './run-watchdog.ts';

/** The watchdog's world in memory: the ledger's records, each DLQ's depth, what was published. */
function world() {
  const records = new Map<string, unknown>();
  const depth: Record<string, number> = { slack: 0, email: 0 };
  const heartbeats: Date[] = [];
  const notices: Array<{ subject: string; message: string }> = [];
  const deps: WatchdogDeps = {
    channels: ['slack', 'email'],
    store: {
      getCached: async <T>(key: string) => (records.get(key) as T | undefined) ?? null,
      putCached: async (key, value) => void records.set(key, value),
    },
    deadLetters: async (channel) => ({ messages: depth[channel] ?? 0, oldestSentAt: null }),
    deadLetterRetentionSeconds: 14 * 86_400,
    digestsExpected: false,
    publishHeartbeat: async (at) => void heartbeats.push(at),
    notify: async (subject, message) => void notices.push({ subject, message }),
    stage: 'test',
    clock: { now: () => new Date(), realDelayMs: (ms: number) => ms },
    logger: createLogger({ destination: { write: () => true } }),
  };
  return { deps, records, depth, heartbeats, notices };
}
const at = (iso: string) => new Date(iso);

describe('runWatchdog', () => {
  it('publishes the first heartbeat at once, then one a day', async () => {
    const w = world();
    expect((await runWatchdog(w.deps, at('2026-05-14T10:35:00Z'))).heartbeatPublished).toBe(true);
    expect((await runWatchdog(w.deps, at('2026-05-14T11:35:00Z'))).heartbeatPublished).toBe(false);
    expect((await runWatchdog(w.deps, at('2026-05-15T10:35:00Z'))).heartbeatPublished).toBe(true);
    expect(w.heartbeats.map((d) => d.toISOString())).toEqual(['2026-05-14T10:35:00.000Z', '2026-05-15T10:35:00.000Z']);
  });

  it('tells the operations topic once when a consumer misses the heartbeat, and once when it is back', async () => {
    const w = world();
    await runWatchdog(w.deps, at('2026-05-14T10:35:00Z'));
    w.records.set(WATCHDOG_KEYS.heartbeatSeen('slack'), { at: '2026-05-14T10:35:00.000Z' });
    const first = await runWatchdog(w.deps, at('2026-05-14T11:35:00Z'));
    expect(first.raised).toEqual(['heartbeat-missing:email']);
    await runWatchdog(w.deps, at('2026-05-14T12:35:00Z'));
    expect(w.notices).toHaveLength(1);
    expect(w.notices[0]!.subject).toBe('spend-alerts test: CRITICAL: heartbeat-missing:email');
    w.records.set(WATCHDOG_KEYS.heartbeatSeen('email'), { at: '2026-05-14T10:35:00.000Z' });
    const back = await runWatchdog(w.deps, at('2026-05-14T13:35:00Z'));
    expect(back.cleared).toEqual(['heartbeat-missing:email']);
    expect(w.notices.map((n) => n.subject)).toEqual([
      'spend-alerts test: CRITICAL: heartbeat-missing:email',
      'spend-alerts test: resolved: heartbeat-missing:email',
    ]);
  });

  it('reports a dead-lettered record with the command that shows its reason', async () => {
    const w = world();
    w.depth.email = 1;
    const result = await runWatchdog(w.deps, at('2026-05-14T10:35:00Z'));
    expect(result.raised).toEqual(['dead-letters:email']);
    expect(w.notices[0]!.message).toContain('spend-alerts dlq list --channel email');
  });
});
