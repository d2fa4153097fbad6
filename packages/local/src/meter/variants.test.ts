import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadConfig, readInput, repeatKey, threadKey } from '@spend-alerts/core';
import { describe, expect, it } from 'vitest';
import { crossings } from '../sim/notifications.ts';
import { createSpendModel } from '../sim/spend-model.ts';
import { simulatedDays } from '../runtime/simulation.ts';
import { variantOf } from './variants.ts';

const EXAMPLE = fileURLToPath(new URL('../../../../spend-alerts.config.yaml', import.meta.url));
const config = loadConfig(readFileSync(EXAMPLE, 'utf8'), EXAMPLE);
const model = createSpendModel({ month: '2026-06' });
const published = simulatedDays('2026-06').flatMap((day) => crossings(config, model, day));
/** One message of each kind the simulated month publishes. */
const samples = [...new Map(published.map((c) => [c.kind, c.message])).entries()];

describe('variantOf', () => {
  it('has a budget, a billing alarm and an anomaly to copy', () => {
    expect(samples.map(([kind]) => kind).sort()).toEqual(['anomaly', 'billing-alarm', 'budget']);
  });

  it.each(samples)('makes another %s of the same account, its own event, repeat key and thread', (_, message) => {
    const [original] = readInput(message).events;
    const [copy] = readInput(variantOf(message, 7)).events;
    expect(copy!.kind).toBe(original!.kind);
    expect(copy!.accountId).toBe(original!.accountId);
    expect(copy!.id).not.toBe(original!.id);
    expect(repeatKey(copy!)).not.toBe(repeatKey(original!));
    expect(threadKey(copy!)).not.toBe(threadKey(original!));
    expect(copy!.diagnostics).toEqual(original!.diagnostics);
    expect(readInput(variantOf(message, 8)).events[0]!.id).not.toBe(copy!.id);
  });
});
