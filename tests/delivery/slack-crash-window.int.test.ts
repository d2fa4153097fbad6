/**
 * The crash window of a Slack delivery: a consumer that dies between chat.postMessage and its ledger
 * write leaves a claim with no result. The next attempt finds the message by the delivery id in its
 * metadata and records it instead of posting again; an attempt that cannot look yet posts nothing.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SlackNotifier, createLogger, dynamoLedgerStores } from '@spend-alerts/adapters';
import {
  deliveryTarget,
  readInput,
  routeEvent,
  validateConfig,
  type Config,
  type SpendEvent,
} from '@spend-alerts/core';
import { deliverEvents, type ChannelDeps, type Clock } from '@spend-alerts/functions';
import { startLocalStack, type LocalStack } from '@spend-alerts/local';
import { readFixture } from '../fixtures/load.ts';

const LEASE_MS = 30_000;
let stack: LocalStack;
let config: Config;
let now = Date.parse('2026-06-15T10:00:00Z');
const clock = { now: () => new Date(now), realDelayMs: (ms: number) => ms } as unknown as Clock;

beforeAll(async () => {
  stack = await startLocalStack();
  config = validateConfig({
    receivers: [
      { name: 'ops', type: 'slack', channel: '#finops-alerts', threads: false },
      { name: 'threads', type: 'slack', channel: '#data-costs', threads: true },
    ],
    route: { receiver: 'ops', groupWait: 0 },
  });
});
afterAll(() => stack?.close());
beforeEach(() => {
  stack.slack.reset();
  now += 24 * 3_600_000;
});

let n = 0;
/** A distinct alarm each time (its own ledger entries and thread), going into `state`. */
function freshEvent(state = 'ALARM', name = `crash-${++n}`): SpendEvent {
  const text = readFixture('cloudwatch/billing-total-alarm.json')
    .replaceAll('eng-1332', name)
    .replace('"NewStateValue":"ALARM"', `"NewStateValue":"${state}"`);
  return readInput(text).events[0]!;
}

function setup(receiverName = 'ops') {
  const stores = dynamoLedgerStores({ client: stack.dynamo, tableName: stack.tableName, now: () => now });
  const store = stores.deliveries;
  const notifier = new SlackNotifier({
    token: stack.slack.token,
    slackApiUrl: stack.slack.url,
    sleep: async () => undefined,
  });
  const deps = {
    channel: 'slack',
    config,
    stores,
    notifier,
    enricher: null,
    clock,
    logger: createLogger({ level: 'silent' }),
    deliveryLeaseMs: LEASE_MS,
  } as unknown as ChannelDeps;
  const threadsOf = (target: string) => ({
    get: (key: string) => stores.threads.get(target, key),
    put: (key: string, ts: string) => stores.threads.put(target, key, ts),
  });
  const deliver = (event: SpendEvent, attempt: number) => {
    const match = routeEvent(event, { ...config, route: { ...config.route, receiver: receiverName } }).matches[0]!;
    return deliverEvents([event], match, '{}', deps, attempt);
  };
  /** What a consumer killed after Slack stored its message leaves: a claim, a message, no ledger write. */
  const crashAfterSend = async (event: SpendEvent) => {
    const receiver = config.receivers.find((r) => r.name === receiverName)!;
    const target = deliveryTarget(receiver);
    expect(await store.claimDelivery(event.id, target, LEASE_MS, 1)).toEqual({ status: 'claimed' });
    await notifier.deliver(
      { events: [{ event, enrichment: null }], receiver: receiver as never, route: 'route', groupKey: '{}' },
      { idempotencyKey: `${event.id}|${target}`, attempt: 1, threads: threadsOf(target) },
    );
    now += LEASE_MS + 1; // the claim expires, as the record comes back
  };
  return { store, deliver, crashAfterSend };
}

const posts = () => stack.slack.calls.filter((c) => c.method === 'chat.postMessage' && c.status === 200).length;

describe('a Slack delivery cut off between the send and the ledger write', () => {
  it('tells a claim that expired with no result from a fresh one', async () => {
    const { store } = setup();
    const id = freshEvent().id;
    expect(await store.claimDelivery(id, 'slack#x', 1000, 1)).toEqual({ status: 'claimed' });
    now += 1001;
    expect(await store.claimDelivery(id, 'slack#x', 1000, 2)).toEqual({ status: 'claimed', unfinished: true });
    await store.recordFailed(id, 'slack#x', 'Slack internal_error', 2);
    expect(await store.claimDelivery(id, 'slack#x', 1000, 3)).toEqual({ status: 'claimed' });
  });

  it('is found in the channel by its delivery id and recorded, not posted again', async () => {
    const { deliver, crashAfterSend } = setup();
    const event = freshEvent();
    await crashAfterSend(event);
    expect(posts()).toBe(1);

    expect(await deliver(event, 2)).toMatchObject({ delivered: 1, failures: [] });
    expect(posts()).toBe(1);
    expect(await deliver(event, 3)).toMatchObject({ delivered: 0, skipped: 1 });
    expect(stack.slack.messages).toHaveLength(1);
  });

  it('is found among the thread replies when the alert was a reply', async () => {
    const { deliver, crashAfterSend } = setup('threads');
    const name = `crash-thread-${++n}`;
    expect(await deliver(freshEvent('ALARM', name), 1)).toMatchObject({ delivered: 1 });
    // The alarm resolves: a reply in the first message's thread, cut off before its ledger write.
    const resolved = freshEvent('OK', name);
    await crashAfterSend(resolved);
    expect(stack.slack.messages.map((m) => Boolean(m.thread_ts))).toEqual([false, true]);

    expect(await deliver(resolved, 2)).toMatchObject({ delivered: 1, failures: [] });
    expect(stack.slack.messages).toHaveLength(2);
    expect(stack.slack.calls.filter((c) => c.method === 'conversations.replies')).toHaveLength(1);
  });

  it('is posted when no earlier message carries it (the crash came before the send)', async () => {
    const { store, deliver } = setup();
    const event = freshEvent();
    await store.claimDelivery(event.id, deliveryTarget(config.receivers[0]!), LEASE_MS, 1);
    now += LEASE_MS + 1;
    expect(await deliver(event, 2)).toMatchObject({ delivered: 1, failures: [] });
    expect(posts()).toBe(1);
    const metadata = stack.slack.messages[0]!.metadata as { event_payload: { delivery_id: string } };
    expect(metadata.event_payload.delivery_id).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('finds the channel by name in a fresh process, which has posted nothing yet', async () => {
    const { crashAfterSend } = setup();
    const event = freshEvent();
    await crashAfterSend(event);
    const { deliver } = setup(); // the restarted consumer
    expect(await deliver(event, 2)).toMatchObject({ delivered: 1, failures: [] });
    expect(posts()).toBe(1);
    expect(stack.slack.calls.map((c) => c.method)).toEqual([
      'chat.postMessage',
      'conversations.list',
      'conversations.history',
    ]);
  });

  it('posts nothing while the lookup fails, and looks again on the next try', async () => {
    const { deliver, crashAfterSend } = setup();
    const event = freshEvent();
    await crashAfterSend(event);
    const unavailable = { target: 'conversations.history', status: 503 };
    stack.slack.faults.script(unavailable, unavailable, unavailable);
    const failed = await deliver(event, 2);
    expect(failed.failures).toMatchObject([{ retryable: true, failure: 'transient' }]);
    expect(posts()).toBe(1);

    now += LEASE_MS + 1;
    expect(await deliver(event, 3)).toMatchObject({ delivered: 1, failures: [] });
    expect(posts()).toBe(1);
  });

  it('posts when the token cannot read the channel: a repeat beats a lost alert', async () => {
    const { deliver, crashAfterSend } = setup();
    const event = freshEvent();
    await crashAfterSend(event);
    stack.slack.faults.script({ target: 'conversations.history', status: 200, error: 'missing_scope' });
    expect(await deliver(event, 2)).toMatchObject({ delivered: 1, failures: [] });
    expect(posts()).toBe(2);
  });
});
