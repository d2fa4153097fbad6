import { describe, expect, it } from 'vitest';
import type { DeliveryContext, Notifier } from '@spend-alerts/adapters';
import { readInput, routeEvent, validateConfig, type Notification, type SpendEvent } from '@spend-alerts/core';
import { deliverEvents, systemClock, type ChannelDeps } from '@spend-alerts/functions';
import { readFixture } from '../fixtures/load.ts';

const config = validateConfig({
  email: { from: 'alerts@example.org' },
  receivers: [{ name: 'mail', type: 'email', to: ['ops@example.org'] }],
  route: { receiver: 'mail', groupWait: 0 },
});
const alarm = readFixture('cloudwatch/billing-total-alarm.json');
const events: SpendEvent[] = Array.from(
  { length: 6 },
  (_, i) => readInput(alarm.replaceAll('eng-1332', `serial-${i}`)).events[0]!,
);

/** A destination that notes how many sends overlap, and the ledger writes that followed them. */
function world(oneAtATime: boolean) {
  let open = 0;
  const seen = { maxOpen: 0, order: [] as string[] };
  const notifier: Notifier = {
    channel: 'email',
    perEvent: false,
    oneAtATime,
    async deliver(n: Notification, _c: DeliveryContext) {
      seen.maxOpen = Math.max(seen.maxOpen, ++open);
      seen.order.push(`send ${n.events[0]!.event.id}`);
      await new Promise((r) => setImmediate(r));
      open--;
      return { ref: 'ok' };
    },
  };
  const store = {
    claimDelivery: async () => ({ status: 'claimed' as const }),
    recordSent: async (ids: string[]) => {
      await new Promise((r) => setImmediate(r));
      seen.order.push(`ledger ${ids[0]}`);
    },
    recordFailed: async () => undefined,
  };
  const deps = {
    channel: 'email',
    config,
    stores: {
      deliveries: store,
      threads: { get: async () => null, put: async (_t: string, _k: string, ts: string) => ts },
    },
    notifier,
    enricher: null,
    clock: systemClock,
    logger: { info: () => undefined, warn: () => undefined },
  } as unknown as ChannelDeps;
  const deliverAll = () =>
    Promise.all(events.map((event) => deliverEvents([event], routeEvent(event, config).matches[0]!, '{}', deps, 1)));
  return { seen, deliverAll };
}

describe('deliverEvents with a notifier that sends one at a time', () => {
  it('has one send open at a time, each followed by its ledger write before the next: a crash repeats one', async () => {
    const { seen, deliverAll } = world(true);
    const outcomes = await deliverAll();
    expect(outcomes.map((o) => o.delivered)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(seen.maxOpen).toBe(1);
    expect(seen.order).toEqual(events.flatMap((e) => [`send ${e.id}`, `ledger ${e.id}`]));
  });

  it('sends the records of a batch concurrently otherwise', async () => {
    const { seen, deliverAll } = world(false);
    await deliverAll();
    expect(seen.maxOpen).toBeGreaterThan(1);
  });
});
