/**
 * The dashboard in a real headless Chromium (from npm, driven by playwright-core), against the
 * fake source: live updates without a reload, Slack fields as laid out, redrive, and untrusted text
 * that stays text. Waits are on conditions only.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDashboardSource, budgetText, demoEvent, demoSlackMessage } from './fake-source.ts';
import { startDashboard, type RunningDashboard } from './server.ts';
import type { DashboardSlackMessage } from './source.ts';
import { openBrowser, type OpenBrowser } from '../testing/browser.ts';

/** The few image properties read in the page (the root tsconfig has no DOM lib). */
type Img = { complete: boolean; naturalWidth: number };

describe('dashboard page in Chromium', () => {
  let source: FakeDashboardSource;
  let dashboard: RunningDashboard;
  let browser: OpenBrowser;
  let page: Page;
  /** Console errors and uncaught exceptions: a CSP or Trusted Types violation shows up here. */
  const problems: string[] = [];
  const byTestId = (id: string) => page.locator(`[data-testid="${id}"]`);

  beforeAll(async () => {
    source = new FakeDashboardSource();
    dashboard = await startDashboard(source);
    browser = await openBrowser();
    page = browser.page;
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(dashboard.url);
    await page.locator('[data-testid="connection"][data-state="live"]').waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await dashboard?.close();
  });

  it('shows the snapshot: clock, counts, chart, events newest first', async () => {
    await expect.poll(() => byTestId('event-row').count()).toBe(4);
    expect(await byTestId('delivery-count-slack').textContent()).toBe('3');
    expect(await byTestId('clock').textContent()).toContain('2026');
    expect(await page.locator('[data-testid="chart-budget"]').count()).toBe(2);
    const first = byTestId('event-row').first();
    expect(await first.getAttribute('data-kind')).toBe('budget');
    expect(await first.locator('[data-testid="event-title"]').textContent()).toContain('web');
    expect(await page.locator('[data-testid="event-breakdown-unavailable"]').textContent()).toContain(
      'breakdown unavailable: Cost Explorer throttled',
    );
  });

  it('applies a Slack message and an event pushed after load, without a reload', async () => {
    await page.evaluate(() => Object.assign(globalThis, { loadedOnce: true }));
    const event = demoEvent(budgetText('data-lake', 2000, 1800, 1912.4));
    source.push({ type: 'event', data: { event, enrichment: null, publishedAt: '2026-05-14T10:00:00Z' } });
    source.push({ type: 'slack', data: demoSlackMessage(event, null, '1778752800.000400') });

    const row = page.locator(`[data-testid="event-row"][data-event-id="${event.id}"]`);
    await row.waitFor();
    expect(await byTestId('event-row').first().getAttribute('data-event-id')).toBe(event.id);
    const message = page.locator('[data-testid="slack-message"][data-ts="1778752800.000400"]');
    await message.waitFor();
    expect(await message.locator('[data-testid="slack-header"]').textContent()).toContain('Budget "data-lake"');
    expect(await page.evaluate(() => (globalThis as { loadedOnce?: boolean }).loadedOnce)).toBe(true);
  });

  it('lays out a Slack message: fields in two columns, colour bar, thread replies under their parent', async () => {
    const message = page.locator('[data-testid="slack-message"][data-ts="1778752800.000400"]');
    const fields = await message.locator('[data-testid="slack-field"]').allInnerTexts();
    expect(fields).toEqual([
      'Actual spend\n$1,912.40 of $2,000.00 (95.6%)',
      'Threshold\n> $1,800.00',
      'Budget\ndata-lake · monthly cost',
      'Account\n123456789012',
    ]);
    const boxes = await Promise.all(
      (await message.locator('[data-testid="slack-field"]').all()).slice(0, 2).map((f) => f.boundingBox()),
    );
    expect(boxes[0]!.y).toBe(boxes[1]!.y); // side by side
    expect(await message.locator('[data-testid="slack-attachment"]').getAttribute('data-color')).toBe('#F79009');

    const parent = page.locator('[data-testid="slack-message"][data-ts="1778482803.000100"]');
    expect(
      await parent.locator('[data-testid="slack-thread"] [data-testid="slack-message"]').getAttribute('data-thread-ts'),
    ).toBe('1778482803.000100');
  });

  it('shows untrusted text as text: escaped Slack text, raw tags in fields, non-http links', async () => {
    const hostile: DashboardSlackMessage = {
      ts: '1778753000.000500',
      channelName: '#finops-alerts',
      receivedAt: '2026-05-14T10:03:20Z',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: '<img src=x onerror="window.pwned=1">' } },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: '&lt;script&gt;window.pwned=2&lt;/script&gt; *bold* <javascript:window.pwned=3|click me> <https://example.com/?a=1&b="x"|ok link>',
          },
        },
        {
          type: 'section',
          fields: [
            { type: 'mrkdwn', text: '*Account*\n<img src=x onerror="window.pwned=4">' },
            { type: 'mrkdwn', text: '```<b>not bold</b>```' },
          ],
        },
      ],
      attachments: [{ color: 'red;background:url(https://evil.example/x)', blocks: [] }],
    };
    source.push({ type: 'slack', data: hostile });
    const message = page.locator('[data-testid="slack-message"][data-ts="1778753000.000500"]');
    await message.waitFor();

    expect(await message.locator('[data-testid="slack-header"]').textContent()).toBe(
      '<img src=x onerror="window.pwned=1">',
    );
    expect(await message.locator('[data-testid="slack-section"]').first().innerText()).toContain(
      '<script>window.pwned=2</script> bold <javascript:window.pwned=3|click me> ok link',
    );
    expect(await message.locator('[data-testid="slack-field"]').first().innerText()).toBe(
      'Account\n<img src=x onerror="window.pwned=4">',
    );
    expect(await message.locator('[data-testid="slack-field"]').nth(1).innerText()).toContain('<b>not bold</b>');
    expect(await message.locator('img, script, b').count()).toBe(0);
    expect(await message.locator('[data-testid="slack-section"] strong').first().textContent()).toBe('bold');
    expect(await message.locator('a').evaluateAll((links) => links.map((a) => a.getAttribute('href')))).toEqual([
      'https://example.com/?a=1&b=%22x%22',
    ]);
    expect(await message.locator('[data-testid="slack-attachment"]').getAttribute('data-color')).toBe('#DDDDDD');
    expect(await page.evaluate(() => (globalThis as { pwned?: number }).pwned)).toBeUndefined();
  });

  it('shows an email in a sandboxed frame, with its text part one click away', async () => {
    await byTestId('tab-email').click();
    const frame = page.locator('[data-testid="email-frame"]').first();
    await frame.waitFor();
    expect(await frame.getAttribute('sandbox')).toBe('');
    await expect
      .poll(() => page.frameLocator('[data-testid="email-frame"]').locator('body').innerText())
      .toContain('Budget');
    await byTestId('email-toggle').first().click();
    expect(await byTestId('email-frame').first().isHidden()).toBe(true);
    expect(await byTestId('email-text').first().innerText()).toContain('web');
  });

  it("loads an email's inline chart (cid:) from the server, and nothing from elsewhere", async () => {
    const html =
      '<p>Weekly digest</p><img id="chart" src="cid:chart-1" alt="chart"><img id="remote" src="https://tracker.example/pixel.gif" alt="">';
    source.push({
      type: 'email',
      data: {
        id: 'email-digest',
        to: ['finops@example.com'],
        subject: 'Weekly spend digest',
        html,
        images: [{ cid: 'chart-1', url: '/files/F0DIGEST01' }],
        at: '2026-05-14T10:05:00Z',
      },
    });
    const email = page.frameLocator('[data-testid="email-row"][data-email-id="email-digest"] iframe');
    await expect
      .poll(() =>
        email
          .locator('#chart')
          .evaluate((img) => (img as unknown as Img).complete && (img as unknown as Img).naturalWidth),
      )
      .toBe(300);
    expect(await email.locator('#remote').evaluate((img) => (img as unknown as Img).naturalWidth)).toBe(0);
    // The page's CSP reaches into the email's frame: the tracking pixel is refused.
    await expect
      .poll(() =>
        problems.some((p) => p.includes("'https://tracker.example/pixel.gif' violates") && p.includes('img-src')),
      )
      .toBe(true);
  });

  it('shows webhook requests with their signature check', async () => {
    await byTestId('tab-webhook').click();
    const signatures = await page
      .locator('[data-testid="webhook-signature"]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-verified')));
    expect(signatures.sort()).toEqual(['false', 'true']);
  });

  it("shows the run's AWS bill, item by item, with its total", async () => {
    await byTestId('tab-cost').click();
    const bill = await source.bill();
    await expect.poll(() => page.locator('#bill-list tr').count()).toBe(bill.items.length);
    const writes = page.locator('#bill-list tr[data-item="dynamodb.writes"] td');
    expect(await writes.allTextContents()).toEqual(['DynamoDB writes', 'metered', '6 write request units', '$0.0000']);
    const total = `$${bill.usd >= 0.01 ? bill.usd.toFixed(2) : bill.usd.toFixed(4)} a month`;
    expect(await byTestId('bill-total').textContent()).toMatch(
      new RegExp(`^\\${total} \\(\\$[\\d.]+ metered, \\$[\\d.]+ modelled\\)$`),
    );
  });

  it('shows Teams cards as Teams lays them out, message text as text, and cards pushed later', async () => {
    await byTestId('tab-teams').click();
    const card = byTestId('teams-card').first();
    expect(await card.getAttribute('data-status')).toBe('202');
    expect(await card.getAttribute('data-kind')).toBe('alert');
    expect(await card.locator('[data-testid="teams-title"]').textContent()).toContain('estimated-charges');
    expect(await card.locator('[data-testid="teams-fact"]').count()).toBeGreaterThan(0);
    expect(await card.locator('[data-testid="teams-action"]').getAttribute('href')).toMatch(
      /^https:\/\/([a-z0-9-]+\.)?console\.aws\.amazon\.com\//,
    );

    source.push({
      type: 'teams',
      data: {
        receivedAt: '2026-05-14T11:00:00Z',
        workflow: 'PlatformTeamsWorkflowUrl',
        status: 202,
        kind: 'alert',
        receiver: 'platform-teams',
        eventIds: ['e-later'],
        body: [{ type: 'TextBlock', text: '<img src=x onerror=alert(1)> \\*\\*bold\\*\\*' }],
        actions: [{ type: 'Action.OpenUrl', title: 'evil', url: 'javascript:alert(1)' }],
      },
    });
    await expect.poll(() => byTestId('teams-card').count()).toBe(2);
    const later = byTestId('teams-card').first();
    expect(await later.locator('[data-testid="teams-title"]').textContent()).toBe(
      '<img src=x onerror=alert(1)> **bold**',
    );
    expect(await later.locator('img').count()).toBe(0);
    expect(await later.locator('[data-testid="teams-action"]').count()).toBe(0);
    expect(await byTestId('tab-teams').locator('.badge').textContent()).toBe('2');
  });

  it('redrives a dead letter: the source is asked, the row goes when the update arrives', async () => {
    await byTestId('tab-dlq').click();
    const row = byTestId('dlq-row');
    expect(await row.count()).toBe(1);
    const messageId = await row.getAttribute('data-message-id');
    await row.locator('[data-testid="redrive-button"]').click();

    await expect.poll(() => source.redriveCalls).toEqual([{ channel: 'slack', messageId }]);
    await expect.poll(() => byTestId('dlq-row').count()).toBe(0);
    await expect.poll(() => byTestId('delivery-count-slack').textContent()).toBe('4');
  });

  it('comes back after the stream drops and catches up from the new snapshot', async () => {
    const port = new URL(dashboard.url).port;
    await dashboard.close();
    await page.locator('[data-testid="connection"][data-state="reconnecting"]').waitFor();
    source.push({ type: 'deliveries', data: { slack: 9, email: 1, webhook: 2, teams: 0 } }); // while nobody listens
    dashboard = await startDashboard(source, { port: Number(port) });
    expect(dashboard.url).toContain(`:${port}/`);
    await page.locator('[data-testid="connection"][data-state="live"]').waitFor({ timeout: 15_000 });
    await expect.poll(() => byTestId('delivery-count-slack').textContent()).toBe('9');
  });

  it('looks right: screenshot, and no CSP or Trusted Types violation along the way', async () => {
    await byTestId('tab-slack').click();
    await page.screenshot({ path: '/tmp/dashboard.png', fullPage: true });
    // Expected and left out: the dropped stream's network errors and the refused tracking pixel.
    const expected = (p: string) =>
      p.startsWith('Failed to load resource: net::ERR_') || p.includes("'https://tracker.example/pixel.gif' violates");
    expect(problems.filter((p) => !expected(p))).toEqual([]);
  });
});

/** The page's converter on its own, in Node: every rule, and what must stay text. */
describe('mrkdwnToHtml', async () => {
  // page.js is plain JS, not typechecked; loaded by URL so TypeScript does not look for its types.
  const { mrkdwnToHtml } = (await import(new URL('./page.js', import.meta.url).href)) as {
    mrkdwnToHtml: (text: string) => string;
  };
  const link = (href: string, label: string) =>
    `<a href="${href}" target="_blank" rel="noopener noreferrer">${label}</a>`;

  it.each([
    [
      'Slack-escaped markup shows as text',
      '&lt;script&gt;alert(1)&lt;/script&gt;',
      '&lt;script&gt;alert(1)&lt;/script&gt;',
    ],
    [
      'a raw tag is not a control sequence, so it stays text',
      '<img src=x onerror=alert(1)>',
      '&lt;img src=x onerror=alert(1)&gt;',
    ],
    ['an escaped entity is decoded once only', '&amp;lt;b&amp;gt;', '&amp;lt;b&amp;gt;'],
    ['quotes are escaped', `"it's"`, '&quot;it&#39;s&quot;'],
    [
      'bold, italic, strike, code',
      '*bold* _it_ ~gone~ `co*de*`',
      '<strong>bold</strong> <em>it</em> <del>gone</del> <code>co*de*</code>',
    ],
    ['markers inside words are text', 'snake_case_name 2*3*4 a~b~c', 'snake_case_name 2*3*4 a~b~c'],
    ['newlines', 'a\nb', 'a<br>b'],
    ['a pre block is literal', '```\n<b>x</b> *y*\n```', '<pre class="mrkdwn-pre">&lt;b&gt;x&lt;/b&gt; *y*\n</pre>'],
    ['an unclosed fence is text', 'a ``` b', 'a ``` b'],
    [
      'an http link with a label',
      '<https://a.example/?q=1&x=2|Label &amp; more>',
      link('https://a.example/?q=1&amp;x=2', 'Label &amp; more'),
    ],
    ['a bare link', '<https://a.example/x>', link('https://a.example/x', 'https://a.example/x')],
    [
      'a link cannot break out of its attribute',
      '<https://a.example/" onmouseover="x|y>',
      link('https://a.example/%22%20onmouseover=%22x', 'y'),
    ],
    ['bold around a link', '*<https://a.example|go>*', `<strong>${link('https://a.example/', 'go')}</strong>`],
    ['a javascript: link is text', '<javascript:alert(1)|x>', '&lt;javascript:alert(1)|x&gt;'],
    [
      'broadcasts',
      '<!here> <!channel>',
      '<span class="mention mention-broadcast">@here</span> <span class="mention mention-broadcast">@channel</span>',
    ],
    ['a user mention', '<@U123ABC>', '<span class="mention mention-user">@U123ABC</span>'],
    ['a user group', '<!subteam^S0FIN|@finops>', '<span class="mention mention-user">@finops</span>'],
    [
      'a date shows its fallback',
      '<!date^1778745600^{date_short_pretty} {time}|2026-05-14 08:00 UTC>',
      '<span class="slack-date">2026-05-14 08:00 UTC</span>',
    ],
    ['a mention label is escaped', '<@U1|&lt;b&gt;>', '<span class="mention mention-user">@&lt;b&gt;</span>'],
    ["the converter's own markers cannot be forged", '\uE0000\uE001', '0'],
  ])('%s', (_, input, html) => {
    expect(mrkdwnToHtml(input)).toBe(html);
  });
});
