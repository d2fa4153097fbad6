import { describe, expect, it } from 'vitest';
import { sampleEnrichment } from '../../enrich/sample.ts';
import type { Enrichment } from '../../enrich/types.ts';
import type { SpendEvent } from '../../event/schema.ts';
import { SLACK_LIMITS } from '../escape.ts';
import {
  ACCOUNT,
  accounts,
  allStrings,
  anomalyJson,
  billingAlarmJson,
  budgetAdjustmentJson,
  budgetText,
  eventOf,
  sampleEvents,
  unavailableEnrichment,
} from '../test-messages.ts';
import { SlackReceiverSchema, type SlackReceiver } from './config.ts';
import { renderSlackMessage, type SlackMessage } from './render.ts';

const receiver = (mention: Record<string, string> = {}): SlackReceiver =>
  SlackReceiverSchema.parse({ type: 'slack', name: 'finops', channel: '#finops', mention });

function render(events: Array<SpendEvent | [SpendEvent, Enrichment | null]>, r = receiver()): SlackMessage {
  const enriched = events.map((e) =>
    Array.isArray(e) ? { event: e[0], enrichment: e[1] } : { event: e, enrichment: null },
  );
  return renderSlackMessage({ events: enriched, receiver: r, route: 'finops', groupKey: '{}' }, { accounts });
}

type Block = Record<string, any>;
const blocksOf = (m: SlackMessage): Block[] => [
  ...m.blocks,
  ...(m.attachments ?? []).flatMap((a) => (a.blocks as Block[]) ?? []),
];
const sectionTexts = (m: SlackMessage) =>
  m.blocks.filter((b: Block) => b.type === 'section' && b.text).map((b: Block) => b.text.text as string);
const fieldTexts = (m: SlackMessage) =>
  m.blocks.flatMap((b: Block) => (b.fields ?? []).map((f: Block) => f.text as string));
const headerText = (m: SlackMessage) => (m.blocks[0] as Block).text.text as string;

/** Every limit Slack enforces on a message, checked over the whole payload. */
function expectWithinSlackLimits(m: SlackMessage) {
  expect(m.text.length).toBeGreaterThan(0);
  expect(m.text.length).toBeLessThanOrEqual(SLACK_LIMITS.messageText);
  expect(blocksOf(m).length).toBeLessThanOrEqual(SLACK_LIMITS.blocksPerMessage);
  for (const b of blocksOf(m)) {
    if (b.type === 'header') expect(b.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
    if (b.type === 'section' && b.text) expect(b.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    if (b.fields) {
      expect(b.fields.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldsPerSection);
      for (const f of b.fields) expect(f.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
    }
    if (b.type === 'context') expect(b.elements.length).toBeLessThanOrEqual(SLACK_LIMITS.contextElements);
  }
}

describe('renderSlackMessage: every kind, with and without enrichment', () => {
  const cases = sampleEvents().flatMap(
    ([name, event]) =>
      [
        [`${name}, no enrichment`, event, null],
        [`${name}, sample enrichment`, event, sampleEnrichment(event)],
        [`${name}, enrichment unavailable`, event, unavailableEnrichment()],
      ] as const,
  );

  it.each(cases)('%s: within limits, titled, with a complete fallback', (_, event, enrichment) => {
    const m = render([[event, enrichment]]);
    expectWithinSlackLimits(m);
    expect(headerText(m)).toContain(
      event.title.slice(0, 40).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
    );
    expect(m.text.split('\n')).toHaveLength(2);
    expect(m.text).toContain(event.title.slice(0, 40));
    const all = allStrings(m).join('\n');
    if (enrichment === null) {
      expect(all).not.toContain('Top services');
      expect(all).not.toContain('breakdown unavailable');
    } else if (enrichment.unavailable) {
      expect(m.blocks).toContainEqual({
        type: 'context',
        elements: [{ type: 'mrkdwn', text: 'breakdown unavailable: Cost Explorer throttled the request' }],
      });
      expect(all).not.toContain('Top services');
    } else {
      expect(all).toContain('*Top services*');
      expect(all).toMatch(/\*Daily spend\* `[▁▂▃▄▅▆▇█]+`/);
    }
  });
});

describe('renderSlackMessage: a budget alert', () => {
  const event = eventOf(budgetText({ name: 'web', amount: '$560.00', limit: '$500.00', threshold: '$400.00' }));

  it('says in the fallback text which budget, how much and against what', () => {
    const m = render([event]);
    expect(m.text).toMatch(/^🔴 Budget "web": actual \$560\.00 \(112% of \$500\.00\) · production\n/);
  });

  it('shows spend against limit with percent, threshold, budget and account as fields', () => {
    const fields = fieldTexts(render([event]));
    expect(fields).toEqual([
      '*Actual spend*\n$560.00 of $500.00 (112%)',
      '*Threshold*\n&gt; $400.00',
      '*Budget*\nweb · monthly cost',
      `*Account*\nproduction (${ACCOUNT})`,
    ]);
  });

  it('adds the forecast and the top services with their change when enriched', () => {
    const enrichment = sampleEnrichment(event);
    const m = render([[event, enrichment]]);
    expect(fieldTexts(m)).toContain(`*Budget forecast*\n$1,240.00`);
    const services = sectionTexts(m).find((t) => t.startsWith('*Top services*'))!;
    for (const s of enrichment.services)
      expect(services).toMatch(new RegExp(`${s.name.slice(0, 20)}.*\\$[0-9,.]+  [▲▼▬] [0-9.]+%`));
    expect(sectionTexts(m).join('\n')).toContain('*Month to date* $560.00');
  });

  it('links the console', () => {
    expect(sectionTexts(render([event]))).toContain(
      '<https://console.aws.amazon.com/costmanagement/home#/budgets|Open in the AWS console →>',
    );
  });

  it('colours by severity in the attachment', () => {
    expect(render([event]).attachments?.[0]?.color).toBe('#D92D20');
    const warning = eventOf(budgetText({ amount: '$450.00' }));
    expect(render([warning]).attachments?.[0]?.color).toBe('#F79009');
  });
});

describe('renderSlackMessage: alarms, anomalies, adjustments, unrecognized', () => {
  it('shows an alarm’s state change, value against threshold, region and service', () => {
    const m = render([eventOf(billingAlarmJson({ service: 'AmazonEC2', value: 424.2, threshold: 300 }))]);
    expect(fieldTexts(m)).toEqual(
      expect.arrayContaining([
        '*State*\nOK → ALARM',
        '*Estimated charges*\n$424.20 (threshold &gt; $300.00)',
        '*Region*\nus-east-1',
        '*Service*\nAmazonEC2',
      ]),
    );
  });

  it('marks a resolved alarm with ✅ and green', () => {
    const m = render([eventOf(billingAlarmJson({ state: 'OK', value: 120.5 }))]);
    expect(headerText(m)).toMatch(/^✅ Resolved/);
    expect(m.text).toMatch(/^✅ /);
    expect(m.attachments?.[0]?.color).toBe('#12B76A');
  });

  it('shows an anomaly’s impact, actual against expected and root causes, largest first', () => {
    const m = render([eventOf(anomalyJson())]);
    expect(fieldTexts(m)).toEqual(
      expect.arrayContaining(['*Total impact*\n$1,001.00 (+333.67%)', '*Actual vs expected*\n$1,301.00 vs $300.00']),
    );
    const causes = sectionTexts(m).find((t) => t.startsWith('*Root causes*'))!;
    expect(causes.indexOf('$601.00')).toBeGreaterThan(0);
    expect(causes.indexOf('$601.00')).toBeLessThan(causes.indexOf('$400.00'));
  });

  it('shows a budget adjustment as old → new limit', () => {
    expect(fieldTexts(render([eventOf(budgetAdjustmentJson('web', '100', '150'))]))).toContain(
      '*Limit*\n$100.00 → $150.00 (+$50.00, +50%)',
    );
  });

  it('shows an unrecognized message’s text in a code block that it cannot close, and its diagnostics', () => {
    const raw = 'not an alert ``` *bold* <!channel>\n'.repeat(200);
    const m = render([eventOf(raw)]);
    expectWithinSlackLimits(m);
    const code = sectionTexts(m).find((t) => t.startsWith('*Message text*'))!;
    expect(code.startsWith('*Message text*\n```\nnot an alert `\u200b`\u200b`')).toBe(true);
    expect(code.endsWith('…\n```')).toBe(true);
    expect(code.match(/```/g)).toHaveLength(2);

    const broken = render([eventOf('{"AlarmName": "x", "NewStateValue": "SOMETHING"}')]);
    expect(allStrings(broken).join('\n')).toContain(
      'could not read: cloudwatch-alarm: CloudWatch alarm "x" has an unknown NewStateValue',
    );
  });
});

describe('renderSlackMessage: mentions', () => {
  const critical = eventOf(budgetText({ amount: '$560.00' }));
  const warning = eventOf(budgetText({ amount: '$450.00' }));
  const resolved = eventOf(billingAlarmJson({ state: 'OK', value: 10 }));
  const mentions = (m: SlackMessage) =>
    allStrings(m)
      .join('\n')
      .match(/<!here>|<!channel>|<@U[A-Z0-9]+>|<!subteam\^[A-Z0-9]+>/g) ?? [];

  it.each([
    ['@here on critical, critical event', { critical: '@here' }, critical, '<!here>'],
    ['@channel on warning, warning event', { warning: '@channel' }, warning, '<!channel>'],
    ['a user on critical', { critical: '<@U123ABC>' }, critical, '<@U123ABC>'],
    ['a user group on critical', { critical: '<!subteam^S123ABC>' }, critical, '<!subteam^S123ABC>'],
  ])('%s: leads the text and the first section, nowhere else', (_, mention, event, token) => {
    const m = render([event], receiver(mention));
    expect(m.text.startsWith(`${token} `)).toBe(true);
    expect(sectionTexts(m)[0]!.startsWith(`${token} `)).toBe(true);
    expect(mentions(m)).toEqual([token, token]);
  });

  it.each([
    ['no mention for another severity', { critical: '@here' }, warning],
    ['no mention when nothing is configured', {}, critical],
    ['no mention for a resolved alarm', { info: '@here', critical: '@here', warning: '@here' }, resolved],
  ])('%s', (_, mention, event) => {
    expect(mentions(render([event], receiver(mention)))).toEqual([]);
  });
});

describe('renderSlackMessage: nothing from a message is left unescaped', () => {
  const INJECTIONS = ['<!channel>', '<!here>', '<@U123>', '<script>alert(1)</script>', '<https://evil.example|click>'];
  const hostile = 'x <!channel> <@U123> <script>alert(1)</script> & <https://evil.example|click>';
  const hostileAccounts = (id: string) => (id === ACCOUNT ? { name: `prod ${hostile}`, tags: {} } : undefined);

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

  const check = (m: SlackMessage) => {
    for (const s of allStrings(m)) {
      for (const bad of INJECTIONS) expect(s).not.toContain(bad);
      expect(s).not.toMatch(/&(?!amp;|lt;|gt;)/);
    }
  };

  it.each(events)('in a %s, alone', (_, event) => {
    const enrichment = sampleEnrichment(event);
    enrichment.services[0]!.name = hostile;
    enrichment.unavailable = hostile;
    check(
      renderSlackMessage(
        { events: [{ event, enrichment }], receiver: receiver(), route: 'finops', groupKey: '{}' },
        { accounts: hostileAccounts },
      ),
    );
  });

  it('in a group of all of them', () => {
    const m = renderSlackMessage(
      {
        events: events.map(([, event]) => ({ event, enrichment: null })),
        receiver: receiver(),
        route: 'finops',
        groupKey: '{}',
      },
      { accounts: hostileAccounts },
    );
    check(m);
  });
});

describe('renderSlackMessage: grouped notifications', () => {
  const budgets = (n: number, name = (i: number) => `team-${i}`) =>
    Array.from({ length: n }, (_, i) => eventOf(budgetText({ name: name(i), amount: `$${500 + i}.00` })));
  const listedLines = (m: SlackMessage) =>
    m.blocks
      .slice(2)
      .filter((b: Block) => b.type === 'section')
      .flatMap((b: Block) => (b.text.text as string).split('\n'))
      .filter((l) => /^[🔴🟠🔵✅] /u.test(l));
  const moreCount = (m: SlackMessage) => {
    const more = allStrings(m.blocks).find((s) => s.startsWith('…and '));
    return more ? Number(/…and (\d+) more/.exec(more)![1]) : 0;
  };

  it('heads a group with its size, kind and account, and lists every event', () => {
    const m = render(budgets(5));
    expect(headerText(m)).toBe('🔴 5 budget alerts for account production');
    expect(m.text).toMatch(/^🔴 5 budget alerts for account production\nBudget "team-0": actual \$500\.00/);
    expect(sectionTexts(m)[0]).toBe('at <!date^1778716800^{date_short_pretty} {time}|2026-05-14 00:00 UTC>');
    expect(listedLines(m)).toHaveLength(5);
    for (let i = 0; i < 5; i++) expect(listedLines(m)[i]).toContain(`Budget "team-${i}"`);
    expect(moreCount(m)).toBe(0);
  });

  it.each([
    ['200 short titles', budgets(200)],
    ['200 titles full of characters to escape', budgets(200, (i) => `${'&<>'.repeat(30)}-${i}`)],
    ['26 events, one past the list', budgets(26)],
  ])('%s: stays within Slack’s limits and lists or counts every event', (_, events) => {
    const m = render(events);
    expectWithinSlackLimits(m);
    expect(listedLines(m).length + moreCount(m)).toBe(events.length);
    expect(moreCount(m)).toBeGreaterThan(0);
  });

  it('names the kinds of a mixed group, and each event’s account when they differ', () => {
    const other = eventOf(budgetText({ account: '210987654321', name: 'data' }));
    const m = render([eventOf(budgetText()), eventOf(anomalyJson()), other]);
    expect(headerText(m)).toBe('🔴 3 spend alerts');
    expect(m.text.split('\n')[0]).toBe('🔴 3 spend alerts: 2 budgets, 1 anomaly');
    expect(sectionTexts(m)[0]).toMatch(
      /^2 budgets, 1 anomaly · from <!date\^\d+\^\{date_short_pretty\} \{time\}\|2026-05-13 00:00 UTC> to <!date/,
    );
    expect(listedLines(m)[2]).toMatch(/Budget "data".* · _210987654321_$/);
  });

  it('mentions once for a group with a firing event of the configured severity', () => {
    const m = render(
      [eventOf(billingAlarmJson({ state: 'OK' })), eventOf(budgetText())],
      receiver({ critical: '@here' }),
    );
    expect(m.text.startsWith('<!here> ')).toBe(true);
    expect(sectionTexts(m)[0]).toMatch(/^<!here> 1 billing alarm, 1 budget · from /);
  });

  it('shows the group’s breakdown only when it is one account’s', () => {
    const [a, b] = budgets(2);
    const m = render([
      [a!, null],
      [b!, sampleEnrichment(b!)],
    ]);
    expect(allStrings(m).join('\n')).toContain('*Top services*');
    const mixed = render([
      [a!, sampleEnrichment(a!)],
      [eventOf(budgetText({ account: '210987654321' })), null],
    ]);
    expect(allStrings(mixed).join('\n')).not.toContain('*Top services*');
  });
});
