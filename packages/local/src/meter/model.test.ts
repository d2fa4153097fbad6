import { validateConfig } from '@spend-alerts/core';
import { spec } from '@spend-alerts/stacks/spec';
import { describe, expect, it } from 'vitest';
import { billedMs, gbSeconds } from './lambda-report.ts';
import { firingsPerMonth, idleReceivesPerQueue, monthModel } from './model.ts';

describe('the month model', () => {
  it('counts schedule firings in a 30-day month', () => {
    expect(firingsPerMonth('cron(5 * * * ? *)')).toBe(720);
    expect(firingsPerMonth('cron(0 12 * * ? *)')).toBe(30);
    expect(firingsPerMonth('cron(0,30 9 * * ? *)')).toBe(60);
    expect(firingsPerMonth('rate(5 minutes)')).toBe(8640);
    expect(() => firingsPerMonth('every hour')).toThrow(/not a schedule expression/);
  });

  it('models five pollers, each one 20 s receive at a time, on the queue of each channel in use', () => {
    expect(idleReceivesPerQueue()).toBe(648_000);
    expect(idleReceivesPerQueue(2)).toBe(259_200);
    const config = validateConfig({
      version: 1,
      receivers: [{ name: 'ops', type: 'slack', channel: '#ops' }],
      route: { receiver: 'ops' },
      billingAlarms: [{ name: 'total', threshold: 100 }],
    });
    const model = monthModel({ spec, config, operationsAlarms: 0, customMetrics: 0 });
    expect(model).toMatchObject({ polledQueues: 1, idleReceives: 648_000, userBillingAlarms: 1, userBudgets: 0 });
    expect(model.schedules).toEqual({ Digest: 720, Watchdog: 720 });
    const twoChannels = validateConfig({
      version: 1,
      receivers: [
        { name: 'ops', type: 'slack', channel: '#ops' },
        { name: 'dev', type: 'slack', channel: '#dev' },
        { name: 'hook', type: 'webhook', url: 'https://hooks.example.com/in', signingSecret: 'HookSecret' },
      ],
      route: { receiver: 'ops' },
    });
    expect(monthModel({ spec, config: twoChannels, operationsAlarms: 0, customMetrics: 0 })).toMatchObject({
      polledQueues: 2,
      idleReceives: 2 * 648_000,
    });
  });
});

describe('Lambda billing', () => {
  it('rounds durations up to the millisecond and multiplies by the memory', () => {
    expect([billedMs(0.2), billedMs(12), billedMs(12.001)]).toEqual([1, 12, 13]);
    expect(gbSeconds({ billedDurationMs: 1000, memorySizeMB: 512 })).toBe(0.5);
  });
});
