/**
 * A burst to one Slack channel: 1,000 alerts about one account, published within one simulated
 * minute, through the slack consumers with the example config's grouping (groupBy kind and
 * account, groupWait 30s, groupInterval 5m). Counts chat.postMessage calls at the Slack stand-in,
 * and checks that every event is carried (listed or counted) by the messages sent.
 * The consumers' clock runs 10× real time, so groupWait is 3 s and groupInterval 30 s of real time.
 */
import { billingAlarms, eventIdsOf } from './lib/traffic.ts';
import { startTopology } from './lib/topology.ts';
import { progress } from './lib/stats.ts';

const ACCOUNT = '111111111111';
const SPEED = 10;

export const BURST_CONFIG = `
version: 1
accounts:
  "${ACCOUNT}": { name: production, tags: { team: platform, env: prod } }
slack: { tokenSecret: SlackBotToken }
enrichment: { enabled: true, topServices: 5, cacheTtl: 6h }
receivers:
  - { name: finops-slack, type: slack, channel: "#finops-alerts", mention: { critical: "@here" }, threads: true }
route:
  receiver: finops-slack
  groupBy: [kind, accountId]
  groupWait: 30s
  groupInterval: 5m
  repeatInterval: 24h
`;

export interface BurstResult {
  events: number;
  postMessageCalls: number;
  messages: number;
  /** Events carried by the messages (listed, or counted in "and N more"), by their metadata. */
  eventsCarried: number;
  /** Messages whose text or blocks state how many alerts they carry. */
  messagesStatingTheirCount: number;
  /** Real seconds from the first publish to the last message. */
  seconds: number;
  costExplorerRequests: number;
}

export async function runBurst(options: { events?: number; consumers?: number } = {}): Promise<BurstResult> {
  const n = options.events ?? 1000;
  const topo = await startTopology({ configYaml: BURST_CONFIG, speed: SPEED });
  try {
    const messages = billingAlarms(n, [ACCOUNT], 'burst');
    const ids = new Set(eventIdsOf(messages));
    let ready = 0;
    const consumers = options.consumers ?? 2;
    topo.startConsumers('slack', consumers, {}, (line) => void (line.includes('"consumer started"') && ready++));
    while (ready < consumers) await new Promise((r) => setTimeout(r, 100));
    const carried = new Set<string>();
    let last = Date.now();
    topo.stack.slack.onMessage((m) => {
      last = Date.now();
      const list =
        (m.metadata as { event_payload?: { event_ids?: string } } | undefined)?.event_payload?.event_ids ?? '';
      for (const id of list.split(',')) if (ids.has(id)) carried.add(id);
    });
    const started = Date.now();
    // Within one simulated minute: 1,000 alerts over 5 real seconds (50 simulated).
    await topo.publish(messages, { ratePerSec: n / 5 });
    progress(`burst: ${n} alerts published in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const deadline = Date.now() + 150_000;
    while (carried.size < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
    const posts = topo.stack.slack.messages.filter((m) => !m.subtype);
    const stating = posts.filter((m) => {
      const count = (
        (m.metadata as { event_payload?: { event_ids?: string } } | undefined)?.event_payload?.event_ids ?? ''
      )
        .split(',')
        .filter(Boolean).length;
      return count === 1 || JSON.stringify([m.text, m.blocks]).includes(String(count));
    }).length;
    return {
      events: n,
      postMessageCalls: topo.stack.slack.calls.filter((c) => c.method === 'chat.postMessage').length,
      messages: posts.length,
      eventsCarried: carried.size,
      messagesStatingTheirCount: stating,
      seconds: (last - started) / 1000,
      costExplorerRequests: topo.ce!.requests.filter((r) => r.target.startsWith('AWSInsightsIndexService.')).length,
    };
  } finally {
    await topo.close();
  }
}
