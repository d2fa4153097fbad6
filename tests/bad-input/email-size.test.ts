import { describe, expect, it } from 'vitest';
import {
  assertSafe,
  JSON_FIXTURES,
  renderAll,
  stringLeaves,
  TEXT_FIXTURES,
  withLeaf,
  type Rendered,
} from './render-check.ts';

/**
 * Alert emails stay small whatever the message holds: Gmail clips an HTML part past 102 KB (the
 * reader sees "[Message clipped]" and, below it, nothing), so a hostile or broken message of the
 * largest size SNS publishes must still render well under that.
 */

/** SNS's largest message: 256 KiB. */
const MAX_SNS = 256 * 1024;
/** Well under Gmail's 102 KB clip. */
const HTML_MAX = 90 * 1024;

/** Fillers: mixed markup, emoji and accents; and quotes, which cost the most once escaped (`&quot;`). */
const SEEDS = { mixed: 'x <b>&</b> é 💸 ', quotes: `"'"&` } as const;

/** Fits `make(fill)` to 256 KiB: the filler takes whatever the rest of the message leaves. */
function fillTo(make: (fill: string) => string, seed: string): string {
  const overhead = Buffer.byteLength(make(''));
  // JSON doubles a quote (\"); measure what one seed costs inside the message.
  const perSeed = (Buffer.byteLength(make(seed.repeat(1000))) - overhead) / 1000;
  return make(seed.repeat(Math.floor((MAX_SNS - overhead) / perSeed)));
}

const budgetText = TEXT_FIXTURES.find((f) => f.name.endsWith('cost-monthly-actual-costmanagement-link.txt'))!.text;
const alarm = JSON_FIXTURES.find((f) => f.name.endsWith('billing-total-alarm.json'))!.value as Record<string, unknown>;
const anomaly = JSON_FIXTURES.find((f) => f.name.endsWith('sns-multiple-root-causes.json'))!.value as Record<
  string,
  unknown
>;

function largeMessages(seed: string): Array<[string, string]> {
  const causes = Array.from({ length: 1500 }, (_, i) => ({
    service: `Amazon Service ${i} ${seed}`,
    region: 'us-east-1',
    linkedAccount: '123456789012',
    usageType: `USE1-Usage-${i}`,
  }));
  return [
    ['unrecognized text', fillTo((fill) => fill, seed)],
    [
      'a budget with a huge name',
      fillTo((fill) => budgetText.replace(/^Budget Name: .*$/m, `Budget Name: ${fill}`), seed),
    ],
    [
      'an alarm with a huge name, description and reason',
      fillTo(
        (fill) =>
          JSON.stringify({
            ...alarm,
            AlarmName: seed.repeat(250),
            AlarmDescription: fill.slice(0, fill.length / 2),
            NewStateReason: fill.slice(fill.length / 2),
          }),
        seed,
      ),
    ],
    [
      'an anomaly with 1,500 root causes',
      fillTo((fill) => JSON.stringify({ ...anomaly, rootCauses: causes, subscriptionName: fill }), seed),
    ],
  ];
}

function expectSmallEmails(r: Rendered, what: string): void {
  assertSafe(r);
  expect(r.email.length, what).toBeGreaterThan(0);
  for (const email of r.email) {
    expect(Buffer.byteLength(email.html), what).toBeLessThan(HTML_MAX);
    expect(Buffer.byteLength(email.text), what).toBeLessThan(HTML_MAX);
  }
}

describe.each(Object.entries(SEEDS))('256 KiB messages filled with %s text', (_seed, seed) => {
  it.each(largeMessages(seed))('%s: every alert email stays under 90 KB', (name, text) => {
    expect(Buffer.byteLength(text), name).toBeLessThanOrEqual(MAX_SNS);
    expect(Buffer.byteLength(text), name).toBeGreaterThan(MAX_SNS - 1024);
    expectSmallEmails(renderAll(text), name);
  });

  it('every JSON fixture with all of its strings filled up to 256 KiB', () => {
    for (const fixture of JSON_FIXTURES) {
      const leaves = stringLeaves(fixture.value);
      if (!leaves.length) continue;
      const text = fillTo((fill) => {
        const share = fill.slice(0, Math.floor(fill.length / leaves.length));
        return JSON.stringify(
          leaves.reduce<unknown>((value, path) => withLeaf(value, path, share, 'append'), fixture.value),
        );
      }, seed);
      expectSmallEmails(renderAll(text), fixture.name);
    }
  });

  it('a Lambda batch of them, grouped into one email', () => {
    const records = largeMessages(seed)
      .flatMap(([, text]) => [text, text])
      .map((body, i) => ({ messageId: String(i), eventSource: 'aws:sqs', body }));
    const r = renderAll({ Records: records });
    expect(r.events.length).toBe(8);
    expectSmallEmails(r, 'the batch');
  });
});
