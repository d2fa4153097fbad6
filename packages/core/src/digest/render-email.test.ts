import { describe, expect, it } from 'vitest';
import type { AccountDirectory } from '../routing/labels.ts';
import { DIGEST_CHART_CID, renderDigestEmail } from './render-email.ts';
import { BUDGETS, digestOf, HOSTILE, hostileEvents } from './test-digests.ts';

/** The visible text of an HTML document, roughly: tags dropped, the five entities decoded. */
function visibleText(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

describe('renderDigestEmail', () => {
  const email = renderDigestEmail(digestOf());

  it('has a one-line subject with the period, the count and month to date against the budget', () => {
    expect(email.subject).toBe(
      'Spend digest, Thursday 14 May 2026: 3 alerts · month to date $5,860.00 (49% of monthly-total)',
    );
  });

  it('shows the chart by content id, with alt text, and asks the adapter to attach it', () => {
    expect(email.chart).toEqual({
      cid: DIGEST_CHART_CID,
      alt: expect.stringContaining('Spend in May 2026: $5,860 by 14 May'),
    });
    const img = /<img [^>]*>/.exec(email.html)?.[0];
    expect(img).toContain('src="cid:spend-chart"');
    expect(img).toContain(
      `alt="Spend in May 2026: $5,860 by 14 May, forecast $13,020 at month end; budget monthly-total $12,000."`,
    );
  });

  it('loads the chart from a file for a browser preview', () => {
    expect(renderDigestEmail(digestOf(), { chartSrc: 'chart.png' }).html).toContain('<img src="chart.png"');
  });

  // The structural guard of the layout looked at by eye: the sections, in this order.
  it('lays out header, numbers, chart, budgets, services, movers, alerts by kind, links, footer', () => {
    const markers = [
      'Daily spend digest</div>',
      '>Thursday 14 May 2026</h1>',
      'Month to date</div>',
      'Month-end forecast</div>',
      '<img src="cid:spend-chart"',
      '>Budgets</h2>',
      '>Top services · month to date</h2>',
      '>Largest movers vs the same days last month</h2>',
      '>Budget alerts (1)</h2>',
      '>Cost anomalies (1)</h2>',
      '>Billing alarms (1)</h2>',
      'Cost Explorer &rarr;',
      'Times in Europe/Berlin. Digest for finops-digest',
    ];
    const body = email.html.slice(email.html.indexOf('<body'));
    const positions = markers.map((m) => body.indexOf(m));
    expect(
      positions.every((p) => p >= 0),
      markers.filter((_, i) => positions[i]! < 0).join(', '),
    ).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });

  it('uses inline styles only: no style element, no external resource', () => {
    expect(email.html).not.toMatch(/<style|<link|<script/i);
    expect(email.html.match(/src="[^"]*"/g)).toEqual(['src="cid:spend-chart"']);
  });

  it('always has a text part with the same content', () => {
    expect(email.text).toContain('Daily spend digest: Thursday 14 May 2026');
    expect(email.text).toContain('monthly-total: $5,860.00 of $12,000.00 (49%), forecast $13,020.00 (109%) [at risk]');
    expect(email.text).toContain('BUDGET ALERTS (1)');
  });
});

describe('an empty period', () => {
  const email = renderDigestEmail(digestOf({ events: [] }));

  it('is a short all-quiet email without a chart', () => {
    expect(email.subject).toBe(
      'Spend digest, Thursday 14 May 2026: all quiet · month to date $5,860.00 (49% of monthly-total)',
    );
    expect(email.chart).toBeNull();
    expect(email.html).not.toContain('<img');
    expect(email.html).toContain('All quiet: no spend alerts on Thursday 14 May 2026.');
    expect(email.html).not.toContain('Top services');
    expect(email.text).not.toContain('TOP SERVICES');
  });
});

describe('escaping', () => {
  const directory: AccountDirectory = (id) => ({ name: `<marquee>${id}</marquee>`, tags: {} });
  const budgets = [{ spec: { ...BUDGETS[0]!.spec, name: HOSTILE.slice(0, 100).replace(/[:\\]/g, '') } }];
  const email = renderDigestEmail(digestOf({ events: hostileEvents(), accounts: directory, budgets }));

  it('lets no markup from messages or config through', () => {
    expect(email.html).not.toMatch(/<script|<img src=x|<marquee|onerror=alert\(2\)>/i);
    expect(email.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(email.html).toContain('&lt;marquee&gt;123456789012&lt;/marquee&gt;');
    // What was escaped still reads as the original text.
    expect(visibleText(email.html)).toContain('<script>alert(1)</script> <!channel>');
  });

  it('never links to a non-http URL', () => {
    expect(email.html).not.toContain('javascript:');
  });

  it('keeps the subject on one line', () => {
    expect(email.subject).not.toMatch(/[\r\n]/);
  });

  it('puts the text part through unchanged, as text', () => {
    expect(email.text).toContain('<script>alert(1)</script>');
  });
});
