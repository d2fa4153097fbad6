import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readInput, SpendEventSchema } from '@spend-alerts/core';
import { messageFixtures, SOURCE_FOLDERS } from '../fixtures/load.ts';

const fixtures = messageFixtures(...SOURCE_FOLDERS);
const texts = fixtures.map((f) => f.text);
const jsonMessages = fixtures
  .filter((f) => f.text.trimStart().startsWith('{'))
  .map((f) => JSON.parse(f.text) as Record<string, unknown>);
const NUM_RUNS = 300;

/** Every input must become schema-valid events; nothing may throw. */
function assertReadable(input: unknown) {
  const { events, controls } = readInput(input);
  for (const event of events) {
    const parsed = SpendEventSchema.safeParse(event);
    if (!parsed.success)
      throw new Error(`invalid event for input ${JSON.stringify(input).slice(0, 300)}: ${parsed.error.message}`);
  }
  return { events, controls };
}

/** A text edit: cut, insert or replace a run of characters. */
const textMutation = fc
  .tuple(fc.constantFrom(...texts), fc.nat(), fc.nat({ max: 40 }), fc.string({ maxLength: 20, unit: 'binary' }))
  .map(([text, at, len, insert]) => {
    const i = at % (text.length + 1);
    return text.slice(0, i) + insert + text.slice(i + len);
  });

/** A JSON edit: a key's value replaced by anything, or the key removed, at the top level or one level down. */
const jsonMutation = fc
  .tuple(fc.constantFrom(...jsonMessages), fc.nat(), fc.nat(), fc.boolean(), fc.jsonValue({ maxDepth: 2 }))
  .map(([message, k1, k2, remove, value]) => {
    const copy = structuredClone(message) as Record<string, unknown>;
    const keys = Object.keys(copy);
    const key = keys[k1 % keys.length]!;
    const inner = copy[key];
    if (inner && typeof inner === 'object' && !Array.isArray(inner) && k2 % 2 === 0) {
      const innerKeys = Object.keys(inner);
      if (innerKeys.length) {
        const ik = innerKeys[k2 % innerKeys.length]!;
        if (remove) delete (inner as Record<string, unknown>)[ik];
        else (inner as Record<string, unknown>)[ik] = value;
        return JSON.stringify(copy);
      }
    }
    if (remove) delete copy[key];
    else copy[key] = value;
    return JSON.stringify(copy);
  });

const wrap = fc.constantFrom(
  (m: string) => m,
  (m: string) =>
    JSON.stringify({ Type: 'Notification', MessageId: 'x', TopicArn: 'arn:aws:sns:us-east-1:1:t', Message: m }),
  (m: string) => ({ Records: [{ messageId: '1', eventSource: 'aws:sqs', body: m }] }),
  (m: string) => ({
    Records: [{ EventSource: 'aws:sns', Sns: { Type: 'Notification', MessageId: 'y', TopicArn: 't', Message: m } }],
  }),
);

describe('normalize never throws and always returns a valid event', () => {
  it('for arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 500 }), (s) => {
        const { events, controls } = assertReadable(s);
        expect(events.length + controls.length).toBe(1);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('for arbitrary JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (v) => void assertReadable(JSON.stringify(v))),
      { numRuns: NUM_RUNS },
    );
  });

  it('for mutated real messages, in any envelope', () => {
    fc.assert(
      fc.property(fc.oneof(textMutation, jsonMutation), wrap, (m, w) => void assertReadable(w(m))),
      { numRuns: NUM_RUNS },
    );
  });

  it('for truncated real messages: a message cut short is unrecognized with a diagnostic, never misread', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...jsonMessages.map((m) => JSON.stringify(m))),
        fc.double({ min: 0.05, max: 0.95, noNaN: true }),
        (text, frac) => {
          const cut = text.slice(0, Math.floor(text.length * frac));
          const { events } = assertReadable(cut);
          expect(events[0]!.kind).toBe('unrecognized');
          expect(events[0]!.diagnostics.join(' ')).toMatch(/not valid JSON/);
          expect(events[0]!.raw).toBe(cut);
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });
});

describe('ids', () => {
  it('are the same for the same text and differ when the text differs (unrecognized)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), (a, b) => {
        const ia = readInput(`x${a}`).events[0]?.id;
        const ib = readInput(`x${b}`).events[0]?.id;
        expect(ia === ib).toBe(a === b);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
