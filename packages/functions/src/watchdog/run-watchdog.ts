import {
  changes,
  heartbeatDue,
  inspect,
  operationsMessage,
  type WatchdogFinding,
  type WatchdogObservation,
} from '@spend-alerts/core';
import type { Logger } from '@spend-alerts/adapters';
import type { Clock } from '../pipeline/deps.ts';

/** The ledger records the watchdog reads and writes (cache items with a long life). */
export const WATCHDOG_KEYS = {
  heartbeatPublished: 'watchdog:heartbeat-published',
  heartbeatSeen: (channel: string) => `watchdog:heartbeat-seen:${channel}`,
  digestRan: 'watchdog:digest-ran',
  findings: 'watchdog:findings',
};
/** Longer than any gap the watchdog judges; TTL removes them from a stage that was removed. */
export const WATCHDOG_RECORD_TTL_MS = 400 * 86_400_000;

export interface WatchdogStore {
  getCached<T>(key: string): Promise<T | null>;
  putCached(key: string, value: unknown, ttlMs: number): Promise<void>;
}

export interface WatchdogDeps {
  channels: readonly string[];
  store: WatchdogStore;
  /** A channel's dead-letter queue: records in it, and when the oldest one seen was sent. */
  deadLetters(channel: string): Promise<{ messages: number; oldestSentAt: string | null }>;
  deadLetterRetentionSeconds: number;
  /** Whether any receiver gets digests. */
  digestsExpected: boolean;
  /** Publishes the heartbeat to the spend topic, for every consumer to see. */
  publishHeartbeat(at: Date): Promise<void>;
  /** Publishes to the operations topic. */
  notify(subject: string, message: string): Promise<void>;
  stage: string;
  /** How long consumers have to see a heartbeat (an hour; longer on a simulated clock that runs fast). */
  heartbeatGraceMs?: number;
  clock: Clock;
  logger: Logger;
}

export interface WatchdogResult {
  heartbeatPublished: boolean;
  findings: WatchdogFinding[];
  raised: string[];
  cleared: string[];
}

/**
 * The hourly check (EventBridge Scheduler): publishes the daily heartbeat, then looks at what the
 * pipeline left behind: every consumer saw the last heartbeat, no dead-letter queue holds records,
 * the digest job runs. It tells the operations topic when a problem appears and when it clears.
 * No CloudWatch alarm or custom metric is needed: a few ledger reads and queue attribute reads an hour.
 */
export async function runWatchdog(deps: WatchdogDeps, now: Date): Promise<WatchdogResult> {
  const { store } = deps;
  const published = await store.getCached<{ at: string }>(WATCHDOG_KEYS.heartbeatPublished);
  const seen: Record<string, string | null> = {};
  const deadLetters: WatchdogObservation['deadLetters'] = {};
  for (const channel of deps.channels) {
    seen[channel] = (await store.getCached<{ at: string }>(WATCHDOG_KEYS.heartbeatSeen(channel)))?.at ?? null;
    deadLetters[channel] = await deps.deadLetters(channel);
  }
  const observation: WatchdogObservation = {
    now,
    heartbeat: { publishedAt: published?.at ?? null, seen },
    deadLetters,
    deadLetterRetentionSeconds: deps.deadLetterRetentionSeconds,
    ...(deps.heartbeatGraceMs ? { heartbeatGraceMs: deps.heartbeatGraceMs } : {}),
    digest: {
      expected: deps.digestsExpected,
      lastRunAt: (await store.getCached<{ at: string }>(WATCHDOG_KEYS.digestRan))?.at ?? null,
    },
  };
  // Judged against the heartbeat published before this check: the new one gets its hour of grace.
  const findings = inspect(observation);
  let heartbeatPublished = false;
  if (heartbeatDue(observation)) {
    await deps.publishHeartbeat(now);
    await store.putCached(WATCHDOG_KEYS.heartbeatPublished, { at: now.toISOString() }, WATCHDOG_RECORD_TTL_MS);
    heartbeatPublished = true;
  }
  const previous = (await store.getCached<{ keys: string[] }>(WATCHDOG_KEYS.findings))?.keys ?? [];
  const { raised, cleared } = changes(previous, findings);
  const message = operationsMessage(raised, cleared, deps.stage);
  if (message) {
    await deps.notify(message.subject, message.message);
    await store.putCached(WATCHDOG_KEYS.findings, { keys: findings.map((f) => f.key) }, WATCHDOG_RECORD_TTL_MS);
  }
  const result = { heartbeatPublished, findings, raised: raised.map((f) => f.key), cleared };
  deps.logger.info({ ...result, findings: result.findings.map((f) => f.key) }, 'watchdog check');
  return result;
}
