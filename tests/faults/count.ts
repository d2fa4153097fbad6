/**
 * Counting at the destinations themselves, as `npm start -- --once` does (runtime/summary.ts):
 * what arrived where, what was lost, and what arrived twice, split by the kind of duplicate.
 */
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { deliveryTarget, readInput, routeEvent, type Config } from '@spend-alerts/core';
import { CHANNELS } from '@spend-alerts/stacks/spec';
import type { LocalStack } from '@spend-alerts/local/runtime/stack.ts';

export interface DestinationCount {
  /** Distinct events published. */
  events: number;
  /** (event, receiver) pairs routing implies. */
  expectedPairs: number;
  /** Pairs found at no destination, not dead-lettered: silently lost. */
  lost: number;
  lostPairs: string[];
  /** Pairs whose record went to a dead-letter queue (parked with its reason, not lost). */
  deadLettered: number;
  /** Pairs noise control held back on purpose (a repeat within repeatInterval…), as the ledger records. */
  heldBack: number;
  /** Webhook events that arrived under more than one distinct `webhook-id`: true duplicates. */
  webhookDuplicates: number;
  /** Repeated requests with a `webhook-id` already received (the receiver drops them): redeliveries, not duplicates. */
  webhookRepeats: number;
  /** Slack messages carrying an event already posted to that channel. */
  slackDuplicates: number;
  /** Emails carrying an event already mailed to those recipients. */
  emailDuplicates: number;
  /** One entry per extra copy at Slack or email, for attributing it to the send→ledger window. */
  duplicatedSlackOrEmail: Array<{ id: string; channel: 'slack' | 'email' }>;
}

interface Email {
  destination: { to: string[] };
  headers?: Array<{ name: string; value: string }>;
}

/** Every email in the local SES outbox. */
export async function outbox(stack: LocalStack): Promise<Email[]> {
  const response = await fetch(`${stack.sesUrl}/store`);
  return ((await response.json()) as { emails: Email[] }).emails;
}

/** Event ids of every record on the dead-letter queues (drained through repeated receives, left in place). */
export async function deadLetteredIds(stack: LocalStack): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const channel of CHANNELS) {
    const seen = new Set<string>();
    for (let round = 0; round < 50; round++) {
      const out = await stack.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: stack.queues[channel].dlqUrl,
          MaxNumberOfMessages: 10,
          VisibilityTimeout: 30,
        }),
      );
      const fresh = (out.Messages ?? []).filter((m) => !seen.has(m.MessageId!));
      if (!fresh.length) break;
      for (const m of fresh) {
        seen.add(m.MessageId!);
        for (const e of readInput(m.Body ?? '').events) ids.add(e.id);
      }
    }
  }
  return ids;
}

/** Counts, at Slack, SES and the webhook receiver, what the published messages should have produced. */
export async function countAtDestinations(
  config: Config,
  published: readonly string[],
  stack: LocalStack,
): Promise<DestinationCount> {
  const expected: Array<{ eventId: string; receiver: string; key: string; target: string }> = [];
  const seen = new Set<string>();
  for (const message of published) {
    for (const event of readInput(message).events) {
      if (seen.has(event.id)) continue;
      seen.add(event.id);
      for (const m of routeEvent(event, config).matches)
        expected.push({
          eventId: event.id,
          receiver: m.receiver.name,
          key: `${event.id}|${m.receiver.name}`,
          target: deliveryTarget(m.receiver),
        });
    }
  }

  const found = new Map<string, number>();
  const add = (key: string, n = 1) => found.set(key, (found.get(key) ?? 0) + n);
  let webhookRepeats = 0;
  let slackDuplicates = 0;
  let emailDuplicates = 0;
  let webhookDuplicates = 0;
  const duplicated: DestinationCount['duplicatedSlackOrEmail'] = [];
  const mail = await outbox(stack);
  for (const receiver of config.receivers) {
    if (receiver.type === 'slack') {
      const channelId = stack.slack.channel(receiver.channel)?.id;
      for (const m of stack.slack.messages) {
        if (m.channel !== channelId || m.subtype) continue;
        const ids =
          (m.metadata as { event_payload?: { event_ids?: string } } | undefined)?.event_payload?.event_ids ?? '';
        for (const id of ids.split(',').filter(Boolean)) {
          if (found.has(`${id}|${receiver.name}`)) {
            slackDuplicates++;
            duplicated.push({ id, channel: 'slack' });
          }
          add(`${id}|${receiver.name}`);
        }
      }
    } else if (receiver.type === 'email') {
      for (const e of mail) {
        if (!receiver.to.every((to) => e.destination.to.includes(to))) continue;
        const ids = e.headers?.find((h) => h.name.toLowerCase() === 'x-spend-alerts-events')?.value ?? '';
        for (const id of ids.split(',').filter(Boolean)) {
          if (found.has(`${id}|${receiver.name}`)) {
            emailDuplicates++;
            duplicated.push({ id, channel: 'email' });
          }
          add(`${id}|${receiver.name}`);
        }
      }
    } else {
      const byEvent = new Map<string, Set<string>>();
      const accepted = new Set<string>();
      for (const r of stack.webhook.requests) {
        const data = (r.json as { data?: { id?: string } } | undefined)?.data;
        if (!r.verified || !data?.id || r.status < 200 || r.status >= 300) continue;
        if (accepted.has(r.webhookId ?? '')) webhookRepeats++;
        accepted.add(r.webhookId ?? '');
        byEvent.set(data.id, (byEvent.get(data.id) ?? new Set()).add(r.webhookId ?? ''));
      }
      for (const [id, webhookIds] of byEvent) {
        add(`${id}|${receiver.name}`, webhookIds.size);
        webhookDuplicates += webhookIds.size - 1;
      }
    }
  }

  const dead = await deadLetteredIds(stack);
  const held = await heldBackPairs(stack);
  const lostPairs: string[] = [];
  let deadLettered = 0;
  let heldBack = 0;
  for (const pair of expected) {
    if ((found.get(pair.key) ?? 0) > 0) continue;
    if (held.has(`${pair.eventId}|${pair.target}`)) heldBack++;
    else if (dead.has(pair.eventId)) deadLettered++;
    else lostPairs.push(`${pair.receiver}: ${pair.eventId}`);
  }
  return {
    events: seen.size,
    expectedPairs: expected.length,
    lost: lostPairs.length,
    lostPairs,
    deadLettered,
    heldBack,
    webhookDuplicates,
    webhookRepeats,
    slackDuplicates,
    emailDuplicates,
    duplicatedSlackOrEmail: duplicated,
  };
}

/** (event id, target) pairs the ledger records as suppressed or buffered by noise control. */
async function heldBackPairs(stack: LocalStack): Promise<Set<string>> {
  const pairs = new Set<string>();
  let start: Record<string, never> | undefined;
  do {
    const page = await stack.dynamo.send(new ScanCommand({ TableName: stack.tableName, ExclusiveStartKey: start }));
    for (const item of page.Items ?? []) {
      const pk = item.pk?.S ?? '';
      const status = item.status?.S ?? '';
      if (pk.startsWith('DELIVERY#') && (status === 'suppressed' || status === 'buffered'))
        pairs.add(`${pk.slice('DELIVERY#'.length)}|${item.sk?.S ?? ''}`);
    }
    start = page.LastEvaluatedKey as typeof start;
  } while (start);
  return pairs;
}
