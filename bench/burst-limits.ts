/**
 * A burst under Slack's real posting limit: 1,000 alerts about one account, published at once, to one
 * channel, with the Slack stand-in enforcing `chat.postMessage`'s limit (`slack-rate-limit.ts`: one
 * message a second per channel, a burst of 10, 429 with Retry-After beyond). Measured for the pipeline
 * with its default noise control (the example's grouping) and for the naive peer, which posts every
 * alert: the real seconds until every event is visible in the channel, the messages it took, and the
 * 429s answered. Everything runs at real speed (the consumers' clock too), since the limit is real time.
 */
import type { ChildProcess } from 'node:child_process';
import { BURST_CONFIG } from './burst.ts';
import { spawnNaive, stopBare } from './e2e.ts';
import { progress } from './lib/stats.ts';
import { startTopology } from './lib/topology.ts';
import { billingAlarms, eventIdsOf } from './lib/traffic.ts';

const ACCOUNT = '111111111111';
const CHANNEL = '#finops-alerts';
/** The stand-in's model of Slack's limit (README: the rate-limit model). */
export const SLACK_POST_LIMIT = { perSecond: 1, burst: 10 } as const;

export interface LimitedBurstResult {
  mode: 'pipeline' | 'naive';
  events: number;
  /** Events seen in the channel by the end (all of them, unless the deadline came first). */
  visible: number;
  /** Real seconds from the first publish to the moment the last event became visible. */
  visibleSeconds: number;
  /** Messages stored in the channel. */
  messages: number;
  /** chat.postMessage calls answered 429. */
  rateLimited: number;
}

/**
 * Publishes `events` alarms at once and waits (up to `deadlineS`) until every one is visible in the
 * channel: by the event ids in the pipeline's message metadata, by the alarm name in the peer's text.
 */
export async function runLimitedBurst(
  mode: 'pipeline' | 'naive',
  options: { events?: number; consumers?: number; deadlineS?: number } = {},
): Promise<LimitedBurstResult> {
  const n = options.events ?? 1000;
  const consumers = options.consumers ?? 2;
  const topo = await startTopology({ configYaml: BURST_CONFIG });
  const procs: ChildProcess[] = [];
  try {
    topo.stack.slack.postRateLimit.configure(SLACK_POST_LIMIT);
    const messages = billingAlarms(n, [ACCOUNT], 'burst');
    const wanted = new Set(
      mode === 'pipeline'
        ? eventIdsOf(messages)
        : messages.map((m) => (JSON.parse(m) as { AlarmName: string }).AlarmName),
    );
    const seen = new Set<string>();
    let lastSeen = 0;
    topo.stack.slack.onMessage((m) => {
      const keys =
        mode === 'pipeline'
          ? (
              (m.metadata as { event_payload?: { event_ids?: string } } | undefined)?.event_payload?.event_ids ?? ''
            ).split(',')
          : [/burst-charges-\d+/.exec(m.text ?? '')?.[0] ?? ''];
      for (const key of keys)
        if (wanted.has(key) && !seen.has(key)) {
          seen.add(key);
          lastSeen = m.receivedAt.getTime();
        }
    });
    if (mode === 'pipeline') {
      let ready = 0;
      topo.startConsumers('slack', consumers, {}, (line) => void (line.includes('"consumer started"') && ready++));
      while (ready < consumers) await new Promise((r) => setTimeout(r, 100));
    } else procs.push(...(await spawnNaive(topo, consumers, CHANNEL)));
    const started = Date.now();
    await topo.publish(messages);
    progress(`limited burst, ${mode}: ${n} alerts published in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const deadline = started + (options.deadlineS ?? 1800) * 1000;
    let reported = Date.now();
    while (seen.size < n && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      if (Date.now() - reported > 30_000) {
        reported = Date.now();
        progress(
          `limited burst, ${mode}: ${seen.size}/${n} visible after ${Math.round((reported - started) / 1000)} s`,
        );
      }
    }
    return {
      mode,
      events: n,
      visible: seen.size,
      visibleSeconds: (lastSeen - started) / 1000,
      messages: topo.stack.slack.messages.filter((m) => !m.subtype).length,
      rateLimited: topo.stack.slack.postRateLimit.refused,
    };
  } finally {
    for (const p of procs) await stopBare(p);
    await topo.close();
  }
}
