import { describe, expect, it } from 'vitest';
import { sampleEvents } from '../channels/test-messages.ts';
import { validateConfig } from '../config/load.ts';
import type { Config } from '../config/schema.ts';
import { directoryOf, routeEvent } from './route.ts';

const config = validateConfig({
  receivers: [
    { name: 'd', type: 'slack', channel: '#d' },
    { name: 'b', type: 'slack', channel: '#b' },
    {
      name: 'hook',
      type: 'webhook',
      url: 'https://hooks.example.com/x',
      signingSecret: 'HookSecret',
      kinds: ['anomaly'],
    },
  ],
  route: {
    receiver: 'd',
    routes: [
      { receiver: 'hook', continue: true },
      {
        name: 'critical',
        receiver: 'b',
        matchers: ['severity = critical'],
        routes: [{ matchers: ['kind =~ "budget|billing-alarm"'], groupWait: '5s' }],
      },
    ],
  },
});

describe('routeEvent', () => {
  it.each(sampleEvents())('gives the same matches whether or not the trace is read (%s)', (_name, event) => {
    const plain = routeEvent(event, config).matches;
    const explained = routeEvent(event, config);
    const trace = explained.trace;
    expect(trace.length).toBeGreaterThan(0);
    expect(explained.matches).toEqual(plain);
    expect(explained.trace).toBe(trace); // built once
    expect(JSON.parse(JSON.stringify(routeEvent(event, config)))).toEqual(
      JSON.parse(JSON.stringify({ matches: plain, trace })),
    );
  });

  it('compiles a config once and a changed copy anew', () => {
    const [, event] = sampleEvents().find(([, e]) => e.kind === 'budget' && e.severity === 'critical')!;
    expect(routeEvent(event, config).matches.map((m) => m.path)).toEqual(['route.routes[1].routes[0]']);
    const changed = { ...config, route: { ...config.route, routes: config.route.routes.slice(1) } };
    expect(routeEvent(event, changed).matches.map((m) => m.path)).toEqual(['route.routes[0].routes[0]']);
    expect(routeEvent(event, config).matches[0]!.settings.groupWait).toBe(5000);
  });
});

describe('directoryOf', () => {
  it('finds only the accounts the config names, not properties every object has', () => {
    const accounts = directoryOf({ accounts: { '111111111111': { name: 'prod', tags: {} } } } as Pick<
      Config,
      'accounts'
    >);
    expect(accounts('111111111111')?.name).toBe('prod');
    for (const id of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) expect(accounts(id)).toBeUndefined();
  });
});
