import { describe, expect, it } from 'vitest';
import { sampleEnrichment } from '../../enrich/sample.ts';
import type { Enrichment } from '../../enrich/types.ts';
import type { SpendEvent } from '../../event/schema.ts';
import {
  ACCOUNT,
  accounts,
  anomalyJson,
  billingAlarmJson,
  budgetAdjustmentJson,
  budgetText,
  eventOf,
  sampleEvents,
  unavailableEnrichment,
} from '../test-messages.ts';
import { EmailReceiverSchema } from './config.ts';
import { MAX_EMAIL_EVENTS } from './content.ts';
import { renderEmail, type RenderedEmail } from './render.ts';

const receiver = EmailReceiverSchema.parse({ type: 'email', name: 'finops-mail', to: ['finops@example.com'] });

function render(events: Array<SpendEvent | [SpendEvent, Enrichment | null]>, ctx = { accounts }): RenderedEmail {
  const enriched = events.map((e) =>
    Array.isArray(e) ? { event: e[0], enrichment: e[1] } : { event: e, enrichment: null },
  );
  return renderEmail({ events: enriched, receiver, route: 'finops', groupKey: '{}' }, ctx);
}

/** The HTML's visible text, entities decoded: what a reader sees. */
const visible = (html: string) =>
  html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&');

describe('renderEmail: every kind, with and without enrichment', () => {
  const cases = sampleEvents().flatMap(
    ([name, event]) =>
      [
        [`${name}, no enrichment`, event, null],
        [`${name}, sample enrichment`, event, sampleEnrichment(event)],
        [`${name}, enrichment unavailable`, event, unavailableEnrichment()],
      ] as const,
  );

  it.each(cases)('%s: a one-line subject, a complete document and a text part that agree', (_, event, enrichment) => {
    const m = render([[event, enrichment]]);
    expect(m.subject).toMatch(/^\[(critical|warning|info|resolved)\] \S/);
    expect(m.subject).not.toMatch(/[\r\n]/);
    expect(m.html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(m.html.trimEnd().endsWith('</html>')).toBe(true);
    expect(m.html).not.toMatch(/<style|<link|<script|<img|class=/i);
    expect(visible(m.html)).toContain(event.summary.slice(0, 60));
    expect(m.text).toContain(event.summary.slice(0, 60));
    if (enrichment?.unavailable) {
      expect(visible(m.html)).toContain('Breakdown unavailable: Cost Explorer throttled the request');
      expect(m.text).toContain('Breakdown unavailable: Cost Explorer throttled the request');
    } else if (enrichment) {
      const top = enrichment.services[0]!.name;
      expect(visible(m.html)).toContain(top);
      expect(m.text).toMatch(new RegExp(`  ${top.slice(0, 20)}.*\\$[0-9,.]+  [▲▼▬] [0-9.]+%`));
      expect(m.text).toMatch(/Daily spend: [▁▂▃▄▅▆▇█]+ /);
    } else {
      expect(m.text).not.toContain('Top services');
      expect(m.html).not.toContain('Top services');
    }
  });
});

describe('renderEmail: subjects', () => {
  it.each([
    [
      'an actual budget alert',
      eventOf(budgetText({ name: 'web', amount: '$560.00', limit: '$500.00' })),
      '[critical] Budget "web" at 112% of $500.00 (actual $560.00)',
    ],
    [
      'a forecasted budget alert',
      eventOf(budgetText({ alertType: 'FORECASTED', amount: '$620.00' })),
      '[warning] Budget "web" forecast at 124% of $500.00 (forecast $620.00)',
    ],
    [
      'an alarm',
      eventOf(billingAlarmJson({ value: 424.2, threshold: 300 })),
      '[critical] Billing alarm "monthly-estimated-charges": Estimated charges $424.20 over $300.00',
    ],
    [
      'a resolved alarm',
      eventOf(billingAlarmJson({ state: 'OK', value: 120.5 })),
      '[resolved] billing alarm "monthly-estimated-charges" is OK at $120.50',
    ],
    [
      'an anomaly',
      eventOf(anomalyJson()),
      '[critical] Cost anomaly in Amazon Elastic Compute Cloud - Compute: $1,001.00 above expected (+333.67%)',
    ],
    ['an adjustment', eventOf(budgetAdjustmentJson()), '[info] Budget "web" auto-adjusted: $100.00 → $150.00'],
  ])('%s', (_, event, expected) => {
    expect(render([event], { accounts: () => undefined }).subject).toBe(expected);
  });

  it('names the account when the directory knows it', () => {
    expect(render([eventOf(budgetText())]).subject).toBe(
      '[critical] Budget "web" at 112% of $500.00 (actual $560.00) · production',
    );
  });

  it('counts a mixed group by kind', () => {
    const events = [
      eventOf(budgetText()),
      eventOf(budgetText({ name: 'api' })),
      eventOf(budgetText({ name: 'data' })),
      eventOf(anomalyJson()),
      eventOf(anomalyJson({ service: 'AWS Lambda' })),
    ];
    expect(render(events, { accounts: () => undefined }).subject).toBe(
      `[critical] 5 spend alerts for account ${ACCOUNT}: 3 budgets, 2 anomalies`,
    );
  });

  it('keeps a subject to one line whatever the message holds', () => {
    const m = render([eventOf('line one\r\nBcc: victim@example.com\n')]);
    expect(m.subject).toBe('[warning] Unrecognized message: line one');
    const long = render([eventOf(budgetText({ name: 'n'.repeat(100) }))]);
    expect(long.subject.length).toBeLessThanOrEqual(200);
  });
});

describe('renderEmail: content', () => {
  it('shows the key facts in a table and in the text part', () => {
    const m = render([eventOf(budgetText())]);
    expect(m.html).toContain(
      '>Actual spend</td><td valign="top" style="padding:4px 0;font-size:14px;color:#101828;">$560.00 of $500.00 (112%)</td>',
    );
    expect(m.text).toMatch(/^Actual spend: +\$560\.00 of \$500\.00 \(112%\)$/m);
    expect(m.text).toMatch(/^Threshold: +> \$400\.00$/m);
    expect(m.text).toMatch(/^Account: +production \(123456789012\)$/m);
  });

  it('draws a severity colour bar', () => {
    expect(render([eventOf(budgetText())]).html).toContain('<td height="6" bgcolor="#D92D20"');
    expect(render([eventOf(billingAlarmJson({ state: 'OK' }))]).html).toContain('<td height="6" bgcolor="#12B76A"');
  });

  it('links the console, and only over http(s)', () => {
    const budget = render([eventOf(budgetText())]);
    expect(budget.html).toContain('<a href="https://console.aws.amazon.com/costmanagement/home#/budgets"');
    expect(budget.text).toContain(
      'Open in the AWS console: https://console.aws.amazon.com/costmanagement/home#/budgets',
    );

    const hostile = JSON.parse(anomalyJson());
    hostile.anomalyDetailsLink = 'javascript:alert(1)';
    const m = render([eventOf(JSON.stringify(hostile))]);
    expect(m.html).not.toContain('javascript:');
    // A link that is not the AWS console's is replaced by the console's default anomaly page.
    expect(m.html).toContain(
      '<a href="https://console.aws.amazon.com/cost-management/home#/anomaly-detection/overview"',
    );
  });

  it('lists every event of a group, or counts those past the list', () => {
    const events = Array.from({ length: MAX_EMAIL_EVENTS + 20 }, (_, i) => eventOf(budgetText({ name: `team-${i}` })));
    const m = render(events);
    expect(m.subject).toBe(`[critical] ${MAX_EMAIL_EVENTS + 20} budget alerts for account production`);
    expect(m.text.match(/^ {2}- critical: Budget "team-\d+"/gm)).toHaveLength(MAX_EMAIL_EVENTS);
    expect(m.text).toContain('…and 20 more');
    expect(m.html).toContain('&hellip;and 20 more');
  });
});

describe('renderEmail: nothing from a message is left unescaped', () => {
  const hostile = `x <script>alert(1)</script> <img src=x onerror="alert(2)"> & "quoted" 'single'`;
  const hostileAccounts = (id: string) => (id === ACCOUNT ? { name: hostile, tags: {} } : undefined);
  const events: Array<[string, SpendEvent]> = [
    ['budget name', eventOf(budgetText({ name: hostile }))],
    [
      'alarm name and reason',
      eventOf(billingAlarmJson({ name: hostile, reason: `Threshold Crossed ${hostile} [424.2 (14/05/26 08:13:00)]` })),
    ],
    ['anomaly service and account name', eventOf(anomalyJson({ service: hostile, linkedAccountName: hostile }))],
    ['adjusted budget name', eventOf(budgetAdjustmentJson(hostile))],
    ['unrecognized raw text', eventOf(hostile)],
  ];

  const check = (m: RenderedEmail) => {
    expect(m.html).not.toMatch(/<script|<img/i);
    expect(m.html).not.toMatch(/&(?!amp;|lt;|gt;|quot;|#39;|nbsp;|rarr;|hellip;)/);
    expect(visible(m.html)).toContain('<script>alert(1)</script>');
    expect(m.subject).not.toMatch(/[\r\n]/);
  };

  it.each(events)('in a %s', (_, event) => {
    const enrichment = sampleEnrichment(event);
    enrichment.services[0]!.name = hostile;
    enrichment.unavailable = hostile;
    check(
      renderEmail(
        { events: [{ event, enrichment }], receiver, route: 'finops', groupKey: '{}' },
        { accounts: hostileAccounts },
      ),
    );
  });

  it('in a group of all of them', () => {
    check(
      renderEmail(
        { events: events.map(([, event]) => ({ event, enrichment: null })), receiver, route: 'finops', groupKey: '{}' },
        { accounts: hostileAccounts },
      ),
    );
  });
});

describe('renderEmail: size, whatever the message holds', () => {
  /** Gmail clips an HTML part past 102 KB; an alert stays well under it. */
  const HTML_MAX = 90 * 1024;
  const KB256 = 256 * 1024;
  /** Text that costs the most once escaped: markup, quotes, emoji. */
  const hostile = (chars: number) => `<b>"&'</b> 💸 `.repeat(Math.ceil(chars / 14)).slice(0, chars);
  const bytes = (s: string) => Buffer.byteLength(s);
  const manyCauses = (count: number, text: string) => {
    const m = JSON.parse(anomalyJson());
    m.rootCauses = Array.from({ length: count }, (_, i) => ({
      ...m.rootCauses[0],
      usageType: `${text}-${i}`,
      impact: { contribution: count - i },
    }));
    m.subscriptionName = text;
    return JSON.stringify(m);
  };

  it.each([
    ['a budget with a 256 KB name', () => budgetText({ name: hostile(KB256) })],
    ['a budget with a 256 KB name of quotes (6 bytes each, escaped)', () => budgetText({ name: '"'.repeat(KB256) })],
    [
      'an alarm with a 256 KB name and reason',
      () => billingAlarmJson({ name: hostile(KB256 / 2), reason: hostile(KB256 / 2) }),
    ],
    [
      'an alarm with a 256 KB description',
      () => JSON.stringify({ ...JSON.parse(billingAlarmJson()), AlarmDescription: hostile(KB256) }),
    ],
    ['an anomaly with 1,500 root causes', () => manyCauses(1500, hostile(100))],
    [
      'an anomaly with a 256 KB service name',
      () => anomalyJson({ service: hostile(KB256 / 4), linkedAccountName: hostile(KB256 / 4) }),
    ],
    ['an adjusted budget with a 256 KB name', () => budgetAdjustmentJson(hostile(KB256))],
    ['256 KB of unrecognized text', () => hostile(KB256)],
  ])('%s: the HTML part stays under 90 KB, and says where it was cut', (_, text) => {
    const event = eventOf(text());
    const enrichment = unavailableEnrichment(hostile(KB256));
    const m = render([[event, enrichment]]);
    expect(bytes(m.html)).toBeLessThan(HTML_MAX);
    expect(bytes(m.text)).toBeLessThan(HTML_MAX);
    expect(m.html.trimEnd().endsWith('</html>')).toBe(true);
    expect(visible(m.html)).toContain('…');
  });

  it('a huge name is cut in every place it shows, not just in the raw text', () => {
    const name = `team-${'n'.repeat(KB256)}`;
    const m = render([eventOf(budgetText({ name }))]);
    expect(visible(m.html)).toContain('team-nnnn');
    for (const run of m.html.match(/n{50,}/g) ?? []) expect(run.length).toBeLessThanOrEqual(1000);
  });

  it('a group of 120 events with 256 KB names lists what fits and counts the rest', () => {
    const events = Array.from({ length: 120 }, (_, i) => eventOf(budgetText({ name: `${i}-${hostile(KB256)}` })));
    const m = render(events);
    expect(bytes(m.html)).toBeLessThan(HTML_MAX);
    expect(bytes(m.text)).toBeLessThan(HTML_MAX);
    const listed = m.text.match(/^ {2}- critical: /gm)?.length ?? 0;
    expect(listed).toBeGreaterThan(10);
    expect(listed).toBeLessThan(120);
    expect(m.text).toContain(`…and ${120 - listed} more`);
    expect(m.html).toContain(`&hellip;and ${120 - listed} more`);
  });

  it('a group across accounts with huge account names stays under the limit too', () => {
    const huge: typeof accounts = () => ({ name: hostile(KB256), tags: {} });
    const events = Array.from({ length: 120 }, (_, i) =>
      eventOf(budgetText({ name: `team-${i}`, account: String(100000000000 + i) })),
    );
    const m = renderEmail(
      { events: events.map((event) => ({ event, enrichment: null })), receiver, route: 'finops', groupKey: '{}' },
      { accounts: huge },
    );
    expect(bytes(m.html)).toBeLessThan(HTML_MAX);
  });

  it('a console link too long to be real is left out, never cut', () => {
    const long = JSON.parse(anomalyJson());
    long.anomalyDetailsLink = `https://console.aws.amazon.com/cost-management/home#/${'&x'.repeat(50_000)}`;
    const m = render([eventOf(JSON.stringify(long))]);
    expect(m.html).not.toContain('<a href');
    expect(m.text).not.toContain('Open in the AWS console');
  });
});
