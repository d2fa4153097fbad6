import { describe, expect, it } from 'vitest';
import { readInput, ReceiverSchema, renderTeamsMessage, type TeamsReceiver } from '@spend-alerts/core';
import {
  assertSafe,
  INJECTIONS,
  injectIntoText,
  JSON_FIXTURES,
  renderAll,
  stringLeaves,
  TEXT_FIXTURES,
  withLeaf,
  ENVELOPES,
  type Rendered,
} from './render-check.ts';

/** Every injection string at once: whatever a field lets through, one of them would show it. */
const COMBINED = INJECTIONS.slice(0, -1).join(' ');

function check(label: string, input: unknown): Rendered {
  try {
    const rendered = renderAll(input);
    assertSafe(rendered);
    return rendered;
  } catch (error) {
    throw new Error(`${label}: ${(error as Error).message}`);
  }
}

describe('injection strings in every field that reaches Slack, email and webhooks', () => {
  it('every string field of every JSON fixture, replaced by them and appended to', () => {
    let cases = 0;
    for (const f of JSON_FIXTURES) {
      for (const leaf of stringLeaves(f.value)) {
        for (const mode of ['replace', 'append'] as const) {
          check(`${f.name} ${leaf.join('.')} (${mode})`, JSON.stringify(withLeaf(f.value, leaf, COMBINED, mode)));
          cases++;
        }
      }
    }
    expect(cases).toBeGreaterThan(500);
  });

  it('every line of every Budgets text fixture', () => {
    for (const f of TEXT_FIXTURES) {
      const lines = f.text.split('\n').length;
      for (let i = 0; i < lines; i++) check(`${f.name} line ${i + 1}`, injectIntoText(f.text, i, COMBINED));
    }
  });

  it('each injection string alone, in the fields people name things with', () => {
    const budget = TEXT_FIXTURES.find((f) => f.name.endsWith('cost-monthly-actual-costmanagement-link.txt'))!.text;
    const alarm = JSON_FIXTURES.find((f) => f.name.endsWith('billing-total-alarm.json'))!.value as Record<
      string,
      unknown
    >;
    for (const injection of INJECTIONS) {
      check(
        `budget name ${JSON.stringify(injection)}`,
        budget.replace(/^Budget Name: .*$/m, `Budget Name: ${injection}`),
      );
      check(
        `alarm name ${JSON.stringify(injection)}`,
        JSON.stringify({ ...alarm, AlarmName: injection, AlarmDescription: injection, NewStateReason: injection }),
      );
      for (const envelope of ENVELOPES)
        check(`unrecognized text in an envelope ${JSON.stringify(injection)}`, envelope(injection));
    }
  });

  it('the injected text does reach every channel (escaped), so the checks above saw it', () => {
    const budget = TEXT_FIXTURES.find((f) => f.name.endsWith('cost-monthly-actual-costmanagement-link.txt'))!.text;
    const r = check('budget name', budget.replace(/^Budget Name: .*$/m, 'Budget Name: <!channel> <script>x</script>'));
    expect(readInput(budget.replace(/^Budget Name: .*$/m, 'Budget Name: <!channel>')).events[0]!.kind).toBe('budget');
    expect(JSON.stringify(r.slack[0])).toContain('&lt;!channel&gt;');
    expect(r.email[0]!.html).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(r.email[0]!.text).toContain('<!channel>');
    expect(JSON.stringify(r.webhook[0])).toContain('<!channel> <script>x</script>');
  });
});

const TEAMS = ReceiverSchema.parse({ type: 'teams', name: 't', urlSecret: 'TeamsUrl' }) as TeamsReceiver;
const TEAMS_EVENT = readInput(
  'AWS Budget Notification May 14, 2026\nAWS Account 111111111111\n\nBudget Name: web\nBudget Type: Cost\nBudgeted Amount: $500.00\nAlert Type: ACTUAL\nAlert Threshold: > $400.00\nACTUAL Amount: $560.00\n',
).events[0]!;

describe('the checks can fail', () => {
  const base = (): Rendered => ({
    events: [],
    slack: [{ text: 'ok', blocks: [] }],
    email: [{ subject: 's', html: '<p>ok</p>', text: 'ok' }],
    webhook: [],
    teams: [
      renderTeamsMessage({
        events: [{ event: TEAMS_EVENT, enrichment: null }],
        receiver: TEAMS,
        route: 'r',
        groupKey: '{}',
      }),
    ],
  });
  const teamsBody = (r: Rendered) => r.teams[0]!.attachments[0]!.content.body;

  it('on an unescaped mention, a smuggled link, a script tag, a handler attribute, a broken attribute, a two-line subject, and Teams Markdown, control characters and buttons', () => {
    const cases: Array<(r: Rendered) => void> = [
      (r) => (r.slack[0]!.text = 'hi <!channel>'),
      (r) =>
        (r.slack[0]!.blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '<javascript:alert(1)|click>' } }]),
      (r) => (r.email[0]!.html = '<p><script>alert(1)</script></p>'),
      (r) => (r.email[0]!.html = '<p onclick="x">hi</p>'),
      (r) => (r.email[0]!.html = '<a href="https://x" title="a"b">x</a>'),
      (r) => (r.email[0]!.html = '<a href="javascript:alert(1)">x</a>'),
      (r) => (r.email[0]!.subject = 'a\r\nBcc: x@example.com'),
      (r) => teamsBody(r).push({ type: 'TextBlock', text: '[click](https://evil.example)' }),
      (r) => teamsBody(r).push({ type: 'TextBlock', text: 'over \u202edecaf' }),
      (r) => r.teams[0]!.attachments[0]!.content.actions.push({ type: 'Action.OpenUrl', url: 'javascript:alert(1)' }),
    ];
    expect(() => assertSafe(base())).not.toThrow();
    for (const spoil of cases) {
      const r = base();
      spoil(r);
      expect(() => assertSafe(r)).toThrow();
    }
  });
});
