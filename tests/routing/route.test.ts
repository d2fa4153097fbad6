import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { readInput, routeEvent, validateConfig, type SpendEvent } from '@spend-alerts/core';
import { readFixture } from '../fixtures/load.ts';

interface Case {
  name: string;
  config: unknown;
  events: Array<{
    fixture: string;
    account?: string;
    expect: string[];
    settings?: Record<string, unknown>;
    path?: string;
  }>;
}

const cases = parse(readFileSync(new URL('./trees.yaml', import.meta.url), 'utf8')) as Case[];

function eventOf(fixture: string, account?: string): SpendEvent {
  const text = fixture === 'unrecognized' ? 'hello, not an AWS message' : readFixture(fixture);
  const event = readInput(text).events[0]!;
  return account ? { ...event, accountId: account } : event;
}

describe.each(cases.map((c) => [c.name, c] as const))('routing: %s', (_name, c) => {
  const config = validateConfig(c.config, c.name);
  it.each(
    c.events.map((e) => [`${e.fixture}${e.account ? ` as ${e.account}` : ''} → ${e.expect.join(', ')}`, e] as const),
  )('%s', (_label, e) => {
    const { matches, trace } = routeEvent(eventOf(e.fixture, e.account), config);
    expect(
      matches.map((m) => m.receiver.name),
      trace.map((t) => `${t.path}: ${t.reasons.join('; ')}`).join('\n'),
    ).toEqual(e.expect);
    if (e.settings) expect(matches[0]!.settings).toMatchObject(e.settings);
    if (e.path) expect(matches[0]!.path).toBe(e.path);
  });
});

describe('routing explanation', () => {
  it('says which condition failed and why', () => {
    const config = validateConfig({
      receivers: [
        { name: 'd', type: 'slack', channel: '#d' },
        { name: 'b', type: 'slack', channel: '#b' },
      ],
      route: {
        receiver: 'd',
        routes: [{ name: 'big-budgets', receiver: 'b', matchers: ['kind = budget'], amountAtLeast: 1000 }],
      },
    });
    const { trace } = routeEvent(eventOf('budgets/cost-daily-actual.txt'), config);
    const step = trace.find((t) => t.path === 'route.routes[0]')!;
    expect(step.matched).toBe(false);
    expect(step.reasons).toEqual(['✓ kind = "budget" (kind is "budget")', '✗ amount 1.7 ≥ 1000']);
  });
});
