import { describe, expect, it } from 'vitest';
import { changes, heartbeatDue, inspect, operationsMessage, type WatchdogObservation } from './inspect.ts';

const NOON = '2026-05-14T12:35:00.000Z';
const observation = (over: Partial<WatchdogObservation> = {}): WatchdogObservation => ({
  now: new Date('2026-05-14T14:35:00.000Z'),
  heartbeat: { publishedAt: NOON, seen: { slack: NOON, email: NOON, webhook: NOON } },
  deadLetters: { slack: { messages: 0, oldestSentAt: null }, email: { messages: 0, oldestSentAt: null } },
  deadLetterRetentionSeconds: 14 * 86_400,
  digest: { expected: true, lastRunAt: '2026-05-14T14:05:00.000Z' },
  ...over,
});

describe('inspect', () => {
  it('finds nothing when every consumer saw the heartbeat, the DLQs are empty and digests run', () => {
    expect(inspect(observation())).toEqual([]);
  });

  it('names each consumer that missed the heartbeat, once its hour of grace is over', () => {
    const seen = { slack: NOON, email: '2026-05-13T12:36:00.000Z', webhook: null };
    expect(inspect(observation({ heartbeat: { publishedAt: NOON, seen } })).map((f) => f.key)).toEqual([
      'heartbeat-missing:email',
      'heartbeat-missing:webhook',
    ]);
    const soon = observation({ now: new Date('2026-05-14T13:00:00.000Z'), heartbeat: { publishedAt: NOON, seen } });
    expect(inspect(soon)).toEqual([]);
  });

  it('reports dead letters, critical once the oldest has used half its retention', () => {
    const young = inspect(
      observation({ deadLetters: { email: { messages: 2, oldestSentAt: '2026-05-12T14:35:00Z' } } }),
    );
    expect(young).toEqual([expect.objectContaining({ key: 'dead-letters:email', severity: 'warning' })]);
    expect(young[0]!.summary).toContain(
      '2 records in the email dead-letter queue, the oldest 2 days old (kept 14 days)',
    );
    const old = inspect(observation({ deadLetters: { email: { messages: 1, oldestSentAt: '2026-05-06T14:35:00Z' } } }));
    expect(old[0]).toMatchObject({ key: 'dead-letters:email', severity: 'critical' });
  });

  it('reports a digest job that has not run for three hours, only where digests are expected', () => {
    const stalled = { digest: { expected: true, lastRunAt: '2026-05-14T11:05:00.000Z' } };
    expect(inspect(observation(stalled)).map((f) => f.key)).toEqual(['digest-job-stalled']);
    expect(inspect(observation({ digest: { expected: false, lastRunAt: null } }))).toEqual([]);
  });
});

describe('heartbeatDue', () => {
  it('is due when none was ever sent, or the last is a day old', () => {
    expect(heartbeatDue({ now: new Date(NOON), heartbeat: { publishedAt: null, seen: {} } })).toBe(true);
    expect(heartbeatDue({ now: new Date('2026-05-15T12:35:00Z'), heartbeat: { publishedAt: NOON, seen: {} } })).toBe(
      true,
    );
    expect(heartbeatDue({ now: new Date('2026-05-15T11:35:00Z'), heartbeat: { publishedAt: NOON, seen: {} } })).toBe(
      false,
    );
  });
});

describe('changes and the operations message', () => {
  const finding = { key: 'dead-letters:slack', severity: 'warning' as const, summary: '1 record …' };

  it('announces a finding once, then its resolution', () => {
    expect(changes([], [finding])).toEqual({ raised: [finding], cleared: [] });
    expect(changes(['dead-letters:slack'], [finding])).toEqual({ raised: [], cleared: [] });
    expect(changes(['dead-letters:slack'], [])).toEqual({ raised: [], cleared: ['dead-letters:slack'] });
  });

  it('writes a subject that says how bad, and nothing when nothing changed', () => {
    expect(operationsMessage([finding], [], 'production')).toEqual({
      subject: 'spend-alerts production: warning: dead-letters:slack',
      message: 'WARNING dead-letters:slack\n  1 record …\n',
    });
    expect(operationsMessage([], ['heartbeat-missing:email'], 'dev')?.subject).toBe(
      'spend-alerts dev: resolved: heartbeat-missing:email',
    );
    expect(operationsMessage([], [], 'dev')).toBeNull();
  });
});
