import { ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import {
  deliveryTarget,
  EVENT_KINDS,
  isDigestReceiver,
  DIGEST_RECEIVER_TYPES,
  readInput,
  routeEvent,
  takesDigests,
  type Config,
  type DigestCapableReceiver,
  type EventKind,
} from '@spend-alerts/core';
import { CHANNELS, type Channel } from '@spend-alerts/stacks/spec';
import type { Bill } from '../meter/bill.ts';
import { runBill } from '../meter/run-bill.ts';
import type { SlackApi } from '../standins/slack-api.ts';
import type { TeamsWorkflows } from '../standins/teams-workflow.ts';
import type { WebhookReceiver } from '../standins/webhook-receiver.ts';
import type { LocalStack } from './stack.ts';

/** The last line of `npm start -- --once`: every key always present. */
export interface RunSummary {
  events: Record<EventKind, number>;
  deliveries: Record<Channel, number>;
  digests: Record<DigestCapableReceiver['type'], number>;
  lost: number;
  duplicates: number;
  dlq: number;
  costExplorerRequests: number;
  /** What the watchdog's last check found wrong with the pipeline itself (nothing, in a healthy run). */
  watchdog: string[];
  /** What the run's requests, taken as a month, cost in AWS at list price: metered, and modelled where a run cannot see. */
  bill: Bill;
}

interface LedgerEntry {
  eventId: string;
  target: string;
  status: string;
}

/**
 * Counts what the run did and checks it at the destinations themselves: every (event, receiver)
 * pair the routing tree implies must be found where it was sent (a Slack message carrying the event
 * id in its metadata, an email carrying it in its header, a verified webhook whose payload is the
 * event), or be recorded in the ledger as held back (repeat, silence, mute) or buffered for a digest;
 * otherwise it is lost. A duplicate is an event found twice at one destination.
 */
export async function summarize(input: {
  config: Config;
  published: string[];
  stack: LocalStack;
  costExplorerRequests: number;
  watchdog: string[];
}): Promise<RunSummary & { lostPairs: string[] }> {
  const { config, stack } = input;
  const events = Object.fromEntries(EVENT_KINDS.map((k) => [k, 0])) as Record<EventKind, number>;
  const expected: Array<{ eventId: string; target: string; channel: Channel; digest: boolean; receiver: string }> = [];
  const seen = new Set<string>();
  for (const message of input.published) {
    for (const event of readInput(message).events) {
      if (seen.has(event.id)) continue;
      seen.add(event.id);
      events[event.kind]++;
      for (const m of routeEvent(event, config).matches) {
        expected.push({
          eventId: event.id,
          target: deliveryTarget(m.receiver),
          channel: m.receiver.type,
          digest: isDigestReceiver(m.receiver),
          receiver: m.receiver.name,
        });
      }
    }
  }

  const ledger = await scanLedger(stack.dynamo, stack.tableName);
  const byPair = new Map(ledger.deliveries.map((d) => [`${d.eventId}|${d.target}`, d.status]));
  const found = foundAtDestinations(config, stack.slack, stack.webhook, stack.teams, await emails(stack.sesUrl));
  const dlqIds = await deadLetteredEventIds(stack);

  const lostPairs: string[] = [];
  for (const pair of expected) {
    const key = `${pair.eventId}|${pair.target}`;
    const status = byPair.get(key);
    const ok = pair.digest
      ? status === 'buffered' || status === 'suppressed'
      : (found.counts.get(key) ?? 0) > 0 || status === 'suppressed';
    if (!ok && !dlqIds.has(pair.eventId))
      lostPairs.push(`${pair.receiver}: ${pair.eventId} (ledger: ${status ?? 'nothing'})`);
  }

  const deliveries = Object.fromEntries(CHANNELS.map((c) => [c, 0])) as Record<Channel, number>;
  for (const d of ledger.deliveries) {
    if (d.status !== 'delivered') continue;
    const channel = d.target.split('#')[1]?.split(':')[0] as Channel | undefined;
    if (channel && channel in deliveries) deliveries[channel]++;
  }
  const byName = new Map(config.receivers.map((r) => [r.name, r]));
  const digests = Object.fromEntries(DIGEST_RECEIVER_TYPES.map((type) => [type, 0])) as RunSummary['digests'];
  for (const name of ledger.digestsSent) {
    const receiver = byName.get(name);
    if (receiver && takesDigests(receiver)) digests[receiver.type]++;
  }
  return {
    events,
    deliveries,
    digests,
    lost: lostPairs.length,
    duplicates: [...found.counts.values()].reduce((n, c) => n + Math.max(0, c - 1), 0),
    dlq: await dlqDepth(stack),
    costExplorerRequests: input.costExplorerRequests,
    watchdog: input.watchdog,
    bill: runBill(stack, config),
    lostPairs,
  };
}

async function scanLedger(
  dynamo: DynamoDBClient,
  table: string,
): Promise<{ deliveries: LedgerEntry[]; digestsSent: string[] }> {
  const deliveries: LedgerEntry[] = [];
  const digestsSent: string[] = [];
  let start: Record<string, never> | undefined;
  do {
    const page = await dynamo.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
    for (const item of page.Items ?? []) {
      const pk = item.pk?.S ?? '';
      if (pk.startsWith('DELIVERY#'))
        deliveries.push({
          eventId: pk.slice('DELIVERY#'.length),
          target: item.sk?.S ?? '',
          status: item.status?.S ?? '',
        });
      else if (pk.startsWith('DIGESTSENT#') && item.status?.S === 'sent')
        digestsSent.push(pk.slice('DIGESTSENT#'.length));
    }
    start = page.LastEvaluatedKey as typeof start;
  } while (start);
  return { deliveries, digestsSent };
}

/** How many times each (event, target) arrived at its destination. */
function foundAtDestinations(
  config: Config,
  slack: SlackApi,
  webhook: WebhookReceiver,
  teams: TeamsWorkflows,
  mail: Array<{ destination: { to: string[] }; headers?: Array<{ name: string; value: string }> }>,
) {
  const counts = new Map<string, number>();
  const add = (eventId: string, target: string) =>
    counts.set(`${eventId}|${target}`, (counts.get(`${eventId}|${target}`) ?? 0) + 1);
  for (const receiver of config.receivers) {
    const target = deliveryTarget(receiver);
    if (receiver.type === 'slack') {
      const channelId = slack.channel(receiver.channel)?.id;
      for (const m of slack.messages) {
        if (m.channel !== channelId || m.subtype) continue;
        const payload = (m.metadata as { event_payload?: { event_ids?: string } } | undefined)?.event_payload;
        for (const id of (payload?.event_ids ?? '').split(',').filter(Boolean)) add(id, target);
      }
    } else if (receiver.type === 'email') {
      for (const e of mail) {
        if (!receiver.to.every((to) => e.destination.to.includes(to))) continue;
        const header = e.headers?.find((h) => h.name.toLowerCase() === 'x-spend-alerts-events')?.value ?? '';
        for (const id of header.split(',').filter(Boolean)) add(id, target);
      }
    } else if (receiver.type === 'teams') {
      // Each flow is named after its URL secret; the message says which receiver and events it is about.
      for (const p of teams.posts) {
        const info = p.message?.spendAlerts;
        if (p.status !== 202 || p.workflow !== receiver.urlSecret || info?.kind !== 'alert') continue;
        if (info.receiver !== receiver.name) continue;
        for (const id of info.eventIds ?? []) add(id, target);
      }
    } else {
      const ids = new Map<string, Set<string>>();
      for (const r of webhook.requests) {
        const data = (r.json as { data?: { id?: string } } | undefined)?.data;
        if (!r.verified || !data?.id || r.status < 200 || r.status >= 300) continue;
        ids.set(data.id, (ids.get(data.id) ?? new Set()).add(r.webhookId ?? ''));
      }
      // Deliveries with the same webhook-id are one delivery: the receiver can drop the repeat.
      for (const [id, webhookIds] of ids) for (let i = 0; i < webhookIds.size; i++) add(id, target);
    }
  }
  return { counts };
}

async function emails(sesUrl: string) {
  const response = await fetch(`${sesUrl}/store`);
  return (
    (await response.json()) as {
      emails: Array<{ destination: { to: string[] }; headers?: Array<{ name: string; value: string }> }>;
    }
  ).emails;
}

async function dlqDepth(stack: LocalStack): Promise<number> {
  let total = 0;
  for (const channel of CHANNELS) {
    const d = await stack.depth(stack.queues[channel].dlqUrl);
    total += d.visible + d.inFlight + d.delayed;
  }
  return total;
}

/** Event ids of dead-lettered records, which are parked, not lost. */
async function deadLetteredEventIds(stack: LocalStack): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const channel of CHANNELS) {
    const out = await stack.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: stack.queues[channel].dlqUrl,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 0,
      }),
    );
    for (const m of out.Messages ?? []) for (const e of readInput(m.Body ?? '').events) ids.add(e.id);
  }
  return ids;
}
