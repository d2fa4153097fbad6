/**
 * The fault mix, shared by the quick suite (tests/faults) and the long run (bench/faults.ts):
 * the deployed topology with the consumers as their own processes, faults injected on the wire
 * by the stand-ins and by killing processes, never by mocking a client. Then everything is counted
 * where it arrived.
 */
import { mulberry32 } from '@spend-alerts/local/sim/prng.ts';
import type { ScriptedResponse } from '@spend-alerts/local/standins/http.ts';
import { CHANNELS, type Channel } from '@spend-alerts/stacks/spec';
import { startTopology, type Topology } from '../../bench/lib/topology.ts';
import { billingAlarms, BENCH_ACCOUNTS } from '../../bench/lib/traffic.ts';
import { messageFixtures, SOURCE_FOLDERS } from '../fixtures/load.ts';
import { threeChannelConfig } from './config.ts';
import { countAtDestinations, type DestinationCount } from './count.ts';

/** Three channels, each alert to each, one at a time (groupWait 0), enrichment on. */
export const MIX_CONFIG = threeChannelConfig({ groupWait: '0s', webhookTimeoutMs: 800 });

/** What reached a destination this long before its consumers were killed may not have been written to the ledger. */
const CRASH_WINDOW_MS = 2000;
/**
 * Nor what reached it this long after: a consumer sends the records of a batch concurrently, and
 * requests already on the wire arrive after the kill that was decided on an earlier arrival (every
 * consumer of the channel is killed at once, so until they are back only the dead ones' requests arrive).
 */
const AFTER_KILL_MS = 2000;

export interface FaultMixOptions {
  /** Billing alarms over five accounts; every bare fixture message is published too when `fixtures`. */
  events: number;
  fixtures?: boolean;
  consumersPerChannel?: number;
  /** Slack answers 429 (Retry-After 1 s) to 15% of calls and 5xx to another 15%. */
  slackFaults?: boolean;
  /** Of webhook calls: 10% stall past the receiver's timeout, 10% answer late, 10% answer 503. */
  webhookFaults?: boolean;
  /** Cost Explorer answers this share of requests with ThrottlingException. */
  ceThrottleRate?: number;
  /** Every batch handed to the handler twice (the poller's at-least-once fault). */
  deliverTwice?: boolean;
  /**
   * SIGKILL the channel's consumers at these arrivals at its destination (1-based): a Slack
   * message or an email as it is accepted (before the consumer has the answer: the send→ledger
   * window), a webhook request as it is read (before it is answered). Each is restarted.
   */
  kills?: Partial<Record<Channel, number[]>>;
  /** SQS time compression (see Topology.sqsTime). */
  sqsTime?: { receiveS: number; backoffS: number };
  publishRatePerSec?: number;
  seed?: number;
  timeoutMs?: number;
  onProgress?: (message: string) => void;
}

export interface FaultMixReport extends DestinationCount {
  seconds: number;
  kills: number;
  /** Slack and email duplicates of events that were in flight when their consumer was killed. */
  crashWindowDuplicates: number;
  /** Of those, at Slack (which the notifier looks up before sending again: 0 expected) and by email. */
  crashWindowDuplicatesSlack: number;
  crashWindowDuplicatesEmail: number;
  /** Slack and email duplicates not explained by a kill. */
  otherSlackEmailDuplicates: number;
  conditionalCheckFailures: number;
  slack429: number;
  slack5xx: number;
  webhookTimeouts: number;
  webhook5xx: number;
  ceThrottled: number;
  ceRequests: number;
  sqsReceives: number;
  /** When each kill happened (real ms), and the Slack/email duplicates not explained by one, for diagnosis. */
  killLog: Array<{ channel: Channel; at: number; inFlight: string[] }>;
  unexplainedDuplicates: Array<{ id: string; channel: 'slack' | 'email'; arrivedAt: number[] }>;
}

export async function runFaultMix(options: FaultMixOptions): Promise<FaultMixReport> {
  const say = options.onProgress ?? (() => undefined);
  const started = Date.now();
  const arrivalCount: Record<Channel, number> = { slack: 0, email: 0, webhook: 0, teams: 0 };
  let topo: Topology | undefined;
  let kills = 0;
  const killLog: FaultMixReport['killLog'] = [];
  const restarts: Array<Promise<void>> = [];

  // Every consumer of the channel dies at once: any of them may have been between a send and its
  // ledger write, so what reached the destination just before the kill was in flight too.
  const arrivals: Record<Channel, Array<{ at: number; ids: string[] }>> = {
    slack: [],
    email: [],
    webhook: [],
    teams: [],
  };
  const killChannel = (channel: Channel, inFlight: string[]) => {
    if (!topo) return;
    kills++;
    killLog.push({ channel, at: Date.now(), inFlight });
    const victims = topo.consumers.filter((c) => c.channel === channel);
    const pids = victims.map((c) => c.pid);
    for (const c of victims) c.kill('SIGKILL');
    say(`killed the ${channel} consumer(s) ${pids.join(', ')} with SIGKILL at arrival ${arrivalCount[channel]}`);
    restarts.push(
      (async () => {
        await sleep(300);
        for (const [i, c] of victims.entries()) {
          for (let tries = 0; tries < 100 && c.pid === pids[i]; tries++) {
            c.restart();
            if (c.pid === pids[i]) await sleep(50);
          }
        }
      })(),
    );
  };
  const shouldKill = (channel: Channel, ids: string[]) => {
    arrivals[channel].push({ at: Date.now(), ids });
    return options.kills?.[channel]?.includes(++arrivalCount[channel]) ?? false;
  };

  topo = await startTopology({
    configYaml: MIX_CONFIG,
    sqsTime: options.sqsTime ?? { receiveS: 30, backoffS: 1 },
    countDynamo: true,
    observeSes: (status, _body, request) => {
      if (status !== 200 || !request.path.includes('outbound-emails')) return;
      const ids = emailEventIds(request.body);
      if (shouldKill('email', ids)) killChannel('email', ids);
    },
  });
  try {
    const { stack, ce } = topo;
    const seed = options.seed ?? 1;
    if (options.slackFaults)
      stack.slack.faults.randomly({ rate429: 0.15, rate5xx: 0.15, retryAfter: 1, status5xx: 503, seed });
    if (options.webhookFaults) stack.webhook.faults.script(...webhookScript(options.events * 4 + 200, 800, seed));
    if (options.ceThrottleRate) ce!.faults.failRandomly(options.ceThrottleRate, { seed, target: 'GetCostAndUsage' });
    stack.slack.onMessage((m) => {
      const ids = (
        (m.metadata as { event_payload?: { event_ids?: string } } | undefined)?.event_payload?.event_ids ?? ''
      )
        .split(',')
        .filter(Boolean);
      if (shouldKill('slack', ids)) killChannel('slack', ids);
    });
    stack.webhook.onRequest((r) => {
      const id = (r.json as { data?: { id?: string } } | undefined)?.data?.id;
      if (shouldKill('webhook', id ? [id] : [])) killChannel('webhook', id ? [id] : []);
    });

    const extra = options.deliverTwice ? { SPEND_ALERTS_FAULT_DELIVER_TWICE: '1' } : {};
    let ready = 0;
    const count = options.consumersPerChannel ?? 1;
    for (const channel of CHANNELS)
      topo.startConsumers(channel, count, extra, (line) => void (line.includes('"consumer started"') && ready++));
    const readyBy = Date.now() + 60_000;
    while (ready < count * CHANNELS.length && Date.now() < readyBy) await sleep(100);
    say(`${ready} consumer processes ready`);

    const messages = [
      ...billingAlarms(options.events, BENCH_ACCOUNTS, 'faults'),
      ...(options.fixtures ? messageFixtures(...SOURCE_FOLDERS).map((f) => f.text) : []),
    ];
    await topo.publish(messages, { ratePerSec: options.publishRatePerSec });
    say(`published ${messages.length} messages`);
    const deadline = Date.now() + (options.timeoutMs ?? 300_000);
    for (;;) {
      await Promise.all(restarts);
      try {
        await topo.drained(Math.max(1000, deadline - Date.now()), 2500);
        break;
      } catch (error) {
        if (Date.now() >= deadline) throw error;
      }
    }
    await Promise.all(restarts);
    say('drained; counting at the destinations');

    // Per channel: a kill of the Slack consumers explains Slack duplicates, not email ones.
    const crashIds: Record<Channel, Set<string>> = {
      slack: new Set(),
      email: new Set(),
      webhook: new Set(),
      teams: new Set(),
    };
    for (const kill of killLog) {
      for (const id of kill.inFlight) crashIds[kill.channel].add(id);
      // Inclusive at both ends: a request can arrive in the same millisecond as the kill, after it.
      for (const a of arrivals[kill.channel])
        if (a.at >= kill.at - CRASH_WINDOW_MS && a.at <= kill.at + AFTER_KILL_MS)
          for (const id of a.ids) crashIds[kill.channel].add(id);
    }
    const counted = await countAtDestinations(topo.config, messages, stack);
    const crashed = counted.duplicatedSlackOrEmail.filter((d) => crashIds[d.channel].has(d.id));
    const crash = crashed.length;
    const slackEmail = counted.slackDuplicates + counted.emailDuplicates;
    return {
      ...counted,
      seconds: (Date.now() - started) / 1000,
      kills,
      crashWindowDuplicates: Math.min(crash, slackEmail),
      crashWindowDuplicatesSlack: crashed.filter((d) => d.channel === 'slack').length,
      crashWindowDuplicatesEmail: crashed.filter((d) => d.channel === 'email').length,
      otherSlackEmailDuplicates: slackEmail - Math.min(crash, slackEmail),
      conditionalCheckFailures: topo.conditionalCheckFailures(),
      slack429: stack.slack.calls.filter((c) => c.status === 429).length,
      slack5xx: stack.slack.calls.filter((c) => c.status >= 500).length,
      webhookTimeouts: stack.webhook.requests.filter((r) => r.status === 0).length,
      webhook5xx: stack.webhook.requests.filter((r) => r.status >= 500).length,
      ceThrottled: ce!.faults.injected,
      ceRequests: ce!.requests.filter((r) => r.target.startsWith('AWSInsightsIndexService.')).length,
      sqsReceives: topo.sqsCalls().get('ReceiveMessage') ?? 0,
      killLog,
      unexplainedDuplicates: counted.duplicatedSlackOrEmail
        .filter((d) => !crashIds[d.channel].has(d.id))
        .map((d) => ({ ...d, arrivedAt: arrivals[d.channel].filter((a) => a.ids.includes(d.id)).map((a) => a.at) })),
    };
  } finally {
    await topo.close();
  }
}

/** A reproducible sequence of webhook answers: stalls past the timeout, late answers, 503s and plain ones. */
function webhookScript(length: number, timeoutMs: number, seed: number): ScriptedResponse[] {
  const next = mulberry32(seed + 17);
  return Array.from({ length }, () => {
    const roll = next();
    if (roll < 0.1) return { stallMs: timeoutMs + 700 };
    if (roll < 0.2) return { stallMs: Math.round(timeoutMs / 3) };
    if (roll < 0.3) return { status: 503 };
    return {};
  });
}

/** The event ids an SES SendEmail request carries in its X-Spend-Alerts-Events header. */
function emailEventIds(body: string): string[] {
  try {
    const input = JSON.parse(body) as { Content?: { Simple?: { Headers?: Array<{ Name?: string; Value?: string }> } } };
    return (
      (input.Content?.Simple?.Headers ?? [])
        .find((h) => h.Name?.toLowerCase() === 'x-spend-alerts-events')
        ?.Value?.split(',')
        .filter(Boolean) ?? []
    );
  } catch {
    return [];
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
