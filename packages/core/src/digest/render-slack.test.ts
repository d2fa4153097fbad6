import { describe, expect, it } from 'vitest';
import { SLACK_LIMITS } from '../channels/escape.ts';
import { allStrings } from '../channels/test-messages.ts';
import type { AccountDirectory } from '../routing/labels.ts';
import { renderDigestSlack } from './render-slack.ts';
import { BUDGETS, digestOf, hostileEvents } from './test-digests.ts';

type Block = Record<string, any>;
const sectionTexts = (blocks: Block[]) =>
  blocks.filter((b) => b.type === 'section' && b.text).map((b) => b.text.text as string);

describe('renderDigestSlack', () => {
  const message = renderDigestSlack(digestOf());
  const blocks = message.blocks as Block[];

  it('opens with a header and the summary, and has a notification text', () => {
    expect(blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: '📊 Daily spend digest: Thursday 14 May 2026', emoji: true },
    });
    expect(sectionTexts(blocks)[0]).toMatch(/^3 spend alerts on Thursday 14 May 2026/);
    expect(message.text).toMatch(/^Daily spend digest: Thursday 14 May 2026\n3 spend alerts/);
  });

  it('shows month to date and forecast as fields, budgets with their state', () => {
    const fields = blocks.find((b) => b.fields)!.fields.map((f: Block) => f.text);
    expect(fields).toEqual([
      '*Month to date*\n$5,860.00 (▲ 17% vs the same days last month)',
      '*Month-end forecast*\n$13,020.00 (80% interval $12,000.00–$14,000.00)',
    ]);
    const budgets = sectionTexts(blocks).find((t) => t.startsWith('*Budgets*'))!;
    expect(budgets).toContain('🟠 monthly-total: $5,860.00 of $12,000.00 (49%), forecast $13,020.00 (109%)');
  });

  it('says the chart follows when it has not been uploaded yet', () => {
    const chart = blocks.find((b) => b.type === 'context' && b.elements[0].text.startsWith('📈'));
    expect(chart?.elements[0].text).toContain('The chart is attached below.');
    expect(blocks.some((b) => b.type === 'image')).toBe(false);
  });

  it('gives the chart in words only, promising nothing, when no chart follows', () => {
    const quiet = renderDigestSlack(digestOf(), { chartFollows: false }).blocks as Block[];
    const chart = quiet.find((b) => b.type === 'context' && b.elements[0].text.startsWith('📈'));
    expect(chart?.elements[0].text).toMatch(/^📈 Spend in May 2026: \$5,860 by 14 May.*\.$/);
    expect(JSON.stringify(quiet)).not.toMatch(/attached|below/);
    expect(quiet.some((b) => b.type === 'image')).toBe(false);
  });

  it('shows the uploaded chart by file id or permalink', () => {
    const byId = renderDigestSlack(digestOf(), { chartFile: { id: 'F0123ABC' } }).blocks.find(
      (b) => b.type === 'image',
    );
    expect(byId).toEqual({
      type: 'image',
      slack_file: { id: 'F0123ABC' },
      alt_text: expect.stringMatching(/^Spend in May 2026: \$5,860 by 14 May/),
    });
    const byUrl = renderDigestSlack(digestOf(), {
      chartFile: { url: 'https://files.slack.com/files-pri/T1-F1/chart.png' },
    }).blocks.find((b) => b.type === 'image');
    expect(byUrl?.slack_file).toEqual({ url: 'https://files.slack.com/files-pri/T1-F1/chart.png' });
  });

  it('lists alerts per kind with links to the console', () => {
    const budgets = sectionTexts(blocks).find((t) => t.startsWith('*Budget alerts*'))!;
    expect(budgets).toMatch(
      /^\*Budget alerts\* \(1\)\n🔴 <https:\/\/console\.aws\.amazon\.com\/costmanagement\/home#\/budgets\|Budget "web": actual \$560\.00 \(112% of \$500\.00\)>\ncritical · 123456789012 · 14 May 02:00$/,
    );
  });

  it('holds Slack’s limits', () => {
    expect(blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocksPerMessage);
    for (const t of sectionTexts(blocks)) expect(t.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    expect(message.text.length).toBeLessThanOrEqual(SLACK_LIMITS.messageText);
  });

  it('never mentions anyone: a digest is read, not paged', () => {
    expect(allStrings(message).join('\n')).not.toMatch(/<!(here|channel|everyone)|<@[UW]/);
  });
});

it('an empty period is the all-quiet line, budgets and links', () => {
  const blocks = renderDigestSlack(digestOf({ events: [] })).blocks as Block[];
  expect(blocks[0]!.text.text).toBe('✅ Daily spend digest: Thursday 14 May 2026');
  expect(blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'context']);
  expect(sectionTexts(blocks)[0]).toMatch(/^All quiet: no spend alerts/);
});

describe('escaping', () => {
  const directory: AccountDirectory = (id) => ({ name: `<!subteam^S123> ${id}`, tags: {} });
  const budgets = [{ spec: { ...BUDGETS[0]!.spec, name: '<!everyone> budget' } }];
  const message = renderDigestSlack(digestOf({ events: hostileEvents(), accounts: directory, budgets }), {
    chartFile: { id: 'F1' },
  });
  const everything = allStrings(message).join('\n');

  it('turns no message or config text into a mention, a link or a date token', () => {
    expect(everything).not.toMatch(/<!(channel|here|everyone|subteam)|<@U|<script|<img/);
    expect(everything).toContain('&lt;!channel&gt;');
    expect(everything).toContain('&lt;!everyone&gt; budget');
    expect(everything).toContain('&lt;!subteam^S123&gt;');
  });

  it('links only http(s) URLs', () => {
    expect(everything).not.toContain('javascript:');
    // The budget whose console link was a script still shows, as plain text.
    expect(sectionTexts(message.blocks as Block[]).find((t) => t.startsWith('*Budget alerts*'))).toContain(
      '&lt;script&gt;',
    );
  });

  it('escapes the image alt text too', () => {
    const image = (message.blocks as Block[]).find((b) => b.type === 'image')!;
    expect(image.alt_text).toContain('budget &lt;!everyone&gt; budget $12,000');
  });
});
