import { describe, expect, it } from 'vitest';
import { validateConfig } from '../config/load.ts';
import type { SpendEvent } from '../event/schema.ts';
import { readInput } from '../read.ts';
import { routeEvent } from '../routing/route.ts';
import { NoiseController, type Admission } from './controller.ts';
import { newSilence } from './silence.ts';
import { MemoryNoiseStore } from './store.ts';

const T0 = new Date('2024-05-06T10:00:00Z'); // a Monday
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

function budget(name: string, spend: number, account = '111111111111', date = 'May 06, 2024'): SpendEvent {
  const text = `AWS Budget Notification ${date}\nAWS Account ${account}\n\nBudget Name: ${name}\nBudget Type: Cost\nBudgeted Amount: $100.00\nAlert Type: ACTUAL\nAlert Threshold: > $80.00\nACTUAL Amount: $${spend.toFixed(2)}\n`;
  return readInput(text).events[0]!;
}

function alarm(state: 'ALARM' | 'OK', time: string): SpendEvent {
  return readInput(
    JSON.stringify({
      AlarmName: 'bill',
      AWSAccountId: '111111111111',
      NewStateValue: state,
      OldStateValue: state === 'OK' ? 'ALARM' : 'OK',
      NewStateReason: 'Threshold Crossed: 1 datapoint [12.0 (06/05/24 10:00:00)]',
      StateChangeTime: time,
      AlarmArn: 'arn:aws:cloudwatch:us-east-1:111111111111:alarm:bill',
      Trigger: {
        MetricName: 'EstimatedCharges',
        Namespace: 'AWS/Billing',
        Threshold: 10,
        Dimensions: [{ name: 'Currency', value: 'USD' }],
      },
    }),
  ).events[0]!;
}

function setup(route: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  const config = validateConfig({
    receivers: [
      { name: 'ops', type: 'slack', channel: '#ops' },
      { name: 'digest', type: 'email', to: ['a@example.com'], mode: 'digest' },
    ],
    email: { from: 'alerts@example.com' },
    route: { receiver: 'ops', groupWait: '30s', groupInterval: '5m', repeatInterval: '4h', ...route },
    ...extra,
  });
  const store = new MemoryNoiseStore();
  const noise = new NoiseController(config, store);
  const admit = (event: SpendEvent, now: Date): Promise<Admission> =>
    noise.admit(event, routeEvent(event, config).matches[0]!, now);
  return { config, store, noise, admit };
}

describe('grouping', () => {
  it('turns a burst of 1,000 events into one message per group, then one per groupInterval', async () => {
    const { noise, admit } = setup();
    for (let i = 0; i < 1000; i++) {
      const decision = await admit(budget(`b${i}`, 90 + (i % 10)), at(i * 0.01));
      expect(decision).toMatchObject({ action: 'grouped', flushAt: at(30).getTime(), scheduled: i === 0 });
    }
    expect(await noise.due(at(29))).toEqual([]);
    const [first, ...others] = await noise.due(at(30));
    expect(others).toEqual([]);
    expect(first!.events).toHaveLength(1000);
    expect(new Set(first!.events.map((e) => e.id)).size).toBe(1000);
    await noise.complete(first!, 'ops#slack:#ops', 4 * 3600_000, at(31));

    // Events that arrive after the first send wait for groupInterval after it.
    expect(await admit(budget('late', 95), at(40))).toMatchObject({
      action: 'grouped',
      flushAt: at(31 + 300).getTime(),
    });
    expect(await noise.due(at(300))).toEqual([]);
    const [second] = await noise.due(at(331));
    expect(second!.events.map((e) => (e.kind === 'budget' ? e.budget.name : ''))).toEqual(['late']);
  });

  it('keeps different groups apart (groupBy kind and account)', async () => {
    const { noise, admit } = setup();
    await admit(budget('a', 90, '111111111111'), T0);
    await admit(budget('b', 90, '222222222222'), T0);
    await admit(alarm('ALARM', '2024-05-06T10:00:00.000+0000'), T0);
    const groups = await noise.due(at(30));
    expect(groups.map((g) => g.group.groupKey).sort()).toEqual([
      '{kind="billing-alarm", accountId="111111111111"}',
      '{kind="budget", accountId="111111111111"}',
      '{kind="budget", accountId="222222222222"}',
    ]);
  });

  it('sends at once when groupWait is 0', async () => {
    const { admit } = setup({ groupWait: '0s' });
    const event = budget('now', 90);
    expect(await admit(event, T0)).toEqual({
      action: 'send',
      events: [event],
      groupKey: '{kind="budget", accountId="111111111111"}',
    });
  });

  it('a group taken by one consumer is not taken again, and comes back if that consumer dies', async () => {
    const { noise, admit } = setup();
    await admit(budget('x', 90), T0);
    const [taken] = await noise.due(at(30));
    expect(taken!.events).toHaveLength(1);
    expect(await noise.due(at(31))).toEqual([]); // leased
    const [again] = await noise.due(at(30 + 5 * 60)); // lease over, never completed
    expect(again!.events.map((e) => e.id)).toEqual(taken!.events.map((e) => e.id));
  });

  it('adding the same event twice keeps it once', async () => {
    const { noise, admit } = setup();
    const event = budget('dup', 90);
    await admit(event, T0);
    await admit(event, at(1));
    const [group] = await noise.due(at(30));
    expect(group!.events).toHaveLength(1);
  });
});

describe('dedup and repeatInterval', () => {
  it('drops an event already delivered to the receiver', async () => {
    const { noise, admit } = setup({ groupWait: '0s' });
    const event = budget('d', 90);
    await noise.sent('ops#slack:#ops', [event], 4 * 3600_000, T0);
    expect(await admit(event, at(1))).toMatchObject({ action: 'drop', reason: 'duplicate' });
  });

  it('holds back the same budget, threshold and period within repeatInterval, and sends it after', async () => {
    const { noise, admit } = setup({ groupWait: '0s' });
    const first = budget('r', 85);
    await noise.sent('ops#slack:#ops', [first], 4 * 3600_000, T0);
    const again = budget('r', 88); // another notification (new amount) about the same alert
    expect(again.id).not.toBe(first.id);
    expect(await admit(again, at(3600))).toMatchObject({ action: 'drop', reason: 'repeat' });
    expect(await admit(again, at(4 * 3600))).toMatchObject({ action: 'send' });
    expect(await admit(budget('r', 88, '111111111111', 'June 01, 2024'), at(60))).toMatchObject({ action: 'send' }); // a new period
  });
});

describe('resolved notices', () => {
  it('sends a return to OK by default and drops it with sendResolved: false', async () => {
    const ok = alarm('OK', '2024-05-06T11:00:00.000+0000');
    expect(ok.status).toBe('resolved');
    expect(await setup({ groupWait: 0 }).admit(ok, T0)).toMatchObject({ action: 'send' });
    expect(await setup({ groupWait: 0, sendResolved: false }).admit(ok, T0)).toMatchObject({
      action: 'drop',
      reason: 'resolved-not-sent',
    });
  });
});

describe('mute time windows', () => {
  const windows = {
    muteTimeWindows: [
      {
        name: 'nights',
        timeZone: 'Europe/Berlin',
        intervals: [{ times: [{ start: '22:00', end: '07:00' }] }, { weekdays: ['saturday', 'sunday'] }],
      },
    ],
  };
  it.each([
    ['2024-05-06T21:30:00Z', 'muted'], // 23:30 in Berlin (CEST)
    ['2024-05-07T04:59:00Z', 'muted'], // 06:59
    ['2024-05-07T05:00:00Z', 'send'], // 07:00
    ['2024-05-06T12:00:00Z', 'send'], // Monday noon
    ['2024-05-11T12:00:00Z', 'muted'], // Saturday
  ])('at %s: %s', async (when, expected) => {
    const { admit } = setup({ groupWait: 0, muteTimeWindows: ['nights'] }, windows);
    const decision = await admit(budget('m', 90), new Date(when));
    expect(decision.action === 'drop' ? decision.reason : decision.action).toBe(expected);
  });
});

describe('silences', () => {
  it('drops matching events only while the silence is active', async () => {
    const { store, admit } = setup({ groupWait: 0 });
    await store.putSilence(
      newSilence(
        { matchers: ['budgetName = quiet'], startsAt: at(0), endsAt: at(3600), createdBy: 'ana', comment: 'migration' },
        's-1',
      ),
    );
    expect(await admit(budget('quiet', 90), at(10))).toMatchObject({
      action: 'drop',
      reason: 'silenced',
      detail: 'silence s-1 by ana: migration',
    });
    expect(await admit(budget('loud', 90), at(10))).toMatchObject({ action: 'send' });
    expect(await admit(budget('quiet', 91), at(3600))).toMatchObject({ action: 'send' });
  });

  it('refuses a silence without matchers or that ends before it starts', () => {
    expect(() => newSilence({ matchers: [], startsAt: T0, endsAt: at(1), createdBy: 'a', comment: 'c' }, 'x')).toThrow(
      /at least one matcher/,
    );
    expect(() =>
      newSilence({ matchers: ['kind = budget'], startsAt: at(1), endsAt: T0, createdBy: 'a', comment: 'c' }, 'x'),
    ).toThrow(/end after it starts/);
    expect(() =>
      newSilence({ matchers: ['kind budget'], startsAt: T0, endsAt: at(1), createdBy: 'a', comment: 'c' }, 'x'),
    ).toThrow(/not a matcher/);
  });
});

describe('digest receivers', () => {
  it('buffer the event instead of sending it', async () => {
    const { config, store, noise } = setup();
    const event = budget('dg', 90);
    const match = routeEvent(event, { ...config, route: { ...config.route, receiver: 'digest' } }).matches[0]!;
    expect(await noise.admit(event, match, T0)).toEqual({ action: 'digest' });
    expect([...store.digests.get('digest')!.keys()]).toEqual([event.id]);
  });
});
