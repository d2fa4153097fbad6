import { describe, expect, it } from 'vitest';
import { sampleEnrichment } from '../../enrich/sample.ts';
import type { SpendEvent } from '../../event/schema.ts';
import { accounts, allStrings, budgetText, eventOf, sampleEvents } from '../test-messages.ts';
import { teamsText, TEAMS_LIMITS, type TeamsMessage } from './card.ts';
import { TeamsReceiverSchema } from './config.ts';
import { renderTeamsMessage } from './render.ts';

const receiver = TeamsReceiverSchema.parse({ type: 'teams', name: 'platform', urlSecret: 'PlatformTeamsUrl' });

function render(events: SpendEvent[], enrichment = false): TeamsMessage {
  return renderTeamsMessage(
    {
      events: events.map((event) => ({ event, enrichment: enrichment ? sampleEnrichment(event) : null })),
      receiver,
      route: 'platform',
      groupKey: '{}',
    },
    { accounts },
  );
}
type Element = Record<string, any>;
const body = (m: TeamsMessage) => m.attachments[0]!.content.body as Element[];
const texts = (m: TeamsMessage) =>
  body(m)
    .filter((e) => e.type === 'TextBlock')
    .map((e) => e.text as string);

describe('the Teams message', () => {
  it.each(sampleEvents())('is one Adaptive Card 1.4 naming its events, for a %s', (_name, event) => {
    const m = render([event]);
    expect(m.type).toBe('message');
    expect(m.attachments).toHaveLength(1);
    expect(m.attachments[0]).toMatchObject({
      contentType: 'application/vnd.microsoft.card.adaptive',
      contentUrl: null,
      content: { type: 'AdaptiveCard', version: '1.4', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json' },
    });
    expect(m.spendAlerts).toEqual({ kind: 'alert', receiver: 'platform', eventIds: [event.id] });
    expect(JSON.stringify(m).length).toBeLessThan(TEAMS_LIMITS.card);
  });

  it('leads with the coloured title, then the summary and the facts as a FactSet', () => {
    const event = eventOf(budgetText({ name: 'web', amount: '$560.00' }));
    const m = render([event], true);
    expect(body(m)[0]).toMatchObject({ type: 'TextBlock', weight: 'Bolder', color: 'Attention', wrap: true });
    expect(texts(m)[0]).toBe(`🔴 ${teamsText(event.title)}`);
    const facts = body(m).find((e) => e.type === 'FactSet')!.facts as Array<{ title: string; value: string }>;
    expect(facts.map((f) => f.title)).toContain('Account');
    expect(facts.find((f) => f.title === 'Account')!.value).toBe('production \\(123456789012\\)');
    expect(texts(m)).toContain('**Top services**');
    expect(m.attachments[0]!.content.actions).toEqual([
      {
        type: 'Action.OpenUrl',
        title: 'Open in the AWS console',
        url: 'https://console.aws.amazon.com/costmanagement/home#/budgets',
      },
    ]);
  });

  it('lists a group, the worst severity first in its colour, and says how many were left out', () => {
    const events = Array.from({ length: 30 }, (_, i) => eventOf(budgetText({ name: `b${i}` })));
    const m = render(events);
    expect(m.spendAlerts.eventIds).toEqual(events.map((e) => e.id));
    const list = texts(m).find((t) => t.includes('…and'))!;
    expect(list.split('\n\n')).toHaveLength(TEAMS_LIMITS.listed + 1);
    expect(list).toMatch(/…and 5 more$/);
  });

  it('never lets message text form Markdown: links, emphasis, lists, headings stay text', () => {
    const name = '[click](https://evil.example) **now** _x_';
    const event = eventOf(budgetText({ name }));
    const strings = allStrings(body(render([event])));
    expect(strings.some((s) => s.includes('[click](https://evil.example)'))).toBe(false);
    expect(strings.some((s) => s.includes('\\[click\\]\\(https://evil.example\\) \\*\\*now\\*\\* \\_x\\_'))).toBe(true);
    expect(teamsText('- item\n# heading\n1. first')).toBe('\\- item\n\\# heading\n1\\. first');
  });

  it('drops control and direction-override characters, and cuts long text', () => {
    expect(teamsText('a\u0000b\u202ec\u0007d')).toBe('abcd');
    expect(teamsText('x'.repeat(5000), 100)).toHaveLength(100);
  });

  it('never names the workflow URL or its secret', () => {
    const m = render(sampleEvents().map(([, e]) => e));
    expect(JSON.stringify(m)).not.toContain('PlatformTeamsUrl');
  });
});
