import { emailDocument, emailRow } from './layout.ts';
import { escapeHtml as h, truncate } from '../escape.ts';
import type { EmailContent, Tone } from './content.ts';

const COLORS: Record<Tone, string> = { critical: '#D92D20', warning: '#F79009', info: '#2E90FA', resolved: '#12B76A' };
const MONO = "ui-monospace,SFMono-Regular,Menlo,Consolas,'Liberation Mono',monospace";
const RAW_MAX = 5000;

/**
 * Writes the HTML part: one table-based document with inline styles only, because Gmail strips
 * `<style>` in many views and Outlook lays out with Word's engine (tables and `bgcolor` are what
 * both render alike). No images, no external resources. Every text is escaped here.
 */
export function writeHtml(c: EmailContent, subject: string): string {
  const color = COLORS[c.tone];
  const rows = [
    emailRow(
      `<div style="font-size:12px;font-weight:bold;letter-spacing:0.5px;text-transform:uppercase;color:${color};">${h(c.label)}</div>
<h1 style="margin:6px 0 0;font-size:20px;line-height:1.3;color:#101828;font-weight:bold;">${h(c.title)}</h1>`,
      '24px 24px 8px',
    ),
    emailRow(`<p style="margin:0;font-size:15px;line-height:1.5;color:#344054;">${h(c.summary)}</p>`),
    c.facts.length ? emailRow(factsTable(c.facts)) : '',
    ...c.lists.map((l) =>
      emailRow(
        heading(l.title) +
          `<ul style="margin:0;padding-left:20px;color:#344054;font-size:14px;line-height:1.5;">${l.items.map((i) => `<li>${h(i)}</li>`).join('')}</ul>`,
      ),
    ),
    c.raw !== null
      ? emailRow(
          heading('Message text') +
            `<pre style="margin:0;padding:12px;background-color:#f2f4f7;font-family:${MONO};font-size:12px;line-height:1.4;white-space:pre-wrap;word-break:break-all;color:#101828;">${h(truncate(c.raw, RAW_MAX) || '(empty)')}</pre>`,
        )
      : '',
    c.events ? emailRow(eventsTable(c)) : '',
    c.breakdown ? breakdown(c) : '',
    c.link
      ? emailRow(
          `<a href="${h(c.link.url)}" style="display:inline-block;padding:10px 18px;background-color:#101828;color:#ffffff;font-size:14px;font-weight:bold;text-decoration:none;border-radius:4px;">${h(c.link.label)} &rarr;</a>`,
          '16px 24px 24px',
        )
      : '',
    `<tr><td style="padding:16px 24px;border-top:1px solid #eaecf0;font-size:12px;line-height:1.5;color:#667085;">${h(c.footer)}</td></tr>`,
  ];
  return emailDocument({ subject, preheader: c.summary, color, rows });
}

function heading(text: string): string {
  return `<h2 style="margin:8px 0 6px;font-size:14px;color:#101828;font-weight:bold;">${h(text)}</h2>`;
}

function factsTable(facts: EmailContent['facts']): string {
  const cells = facts
    .map(
      (f) =>
        `<tr><td valign="top" style="padding:4px 12px 4px 0;font-size:13px;color:#667085;white-space:nowrap;">${h(f.label)}</td><td valign="top" style="padding:4px 0;font-size:14px;color:#101828;">${h(f.value)}</td></tr>`,
    )
    .join('');
  return `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;">${cells}</table>`;
}

function eventsTable(c: EmailContent): string {
  const rows = c
    .events!.map(
      (
        e,
      ) => `<tr><td valign="top" width="10" bgcolor="${COLORS[e.tone]}" style="background-color:${COLORS[e.tone]};font-size:0;">&nbsp;</td>
<td style="padding:6px 10px;font-size:14px;color:#101828;border-bottom:1px solid #eaecf0;">${h(e.title)}${e.account ? `<br><span style="font-size:12px;color:#667085;">${h(e.account)}</span>` : ''}</td>
<td valign="top" style="padding:6px 0;font-size:12px;color:#667085;white-space:nowrap;border-bottom:1px solid #eaecf0;">${h(e.occurredAt.slice(0, 16).replace('T', ' '))} UTC</td></tr>`,
    )
    .join('\n');
  const more = c.more ? `<p style="margin:8px 0 0;font-size:14px;color:#344054;">&hellip;and ${c.more} more</p>` : '';
  return `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;">${rows}</table>${more}`;
}

function breakdown(c: EmailContent): string {
  const b = c.breakdown!;
  const parts: string[] = [];
  if (b.services.length) {
    const rows = b.services
      .map((s) => {
        // A cost going up is the bad direction: red up, green down.
        const changeColor =
          s.change?.startsWith('▲') || s.change === 'new'
            ? '#B42318'
            : s.change?.startsWith('▼')
              ? '#067647'
              : '#667085';
        return `<tr><td style="padding:4px 0;font-size:14px;color:#101828;border-bottom:1px solid #eaecf0;">${h(s.name)}</td><td align="right" style="padding:4px 12px;font-size:14px;color:#101828;white-space:nowrap;border-bottom:1px solid #eaecf0;">${h(s.cost)}</td><td align="right" style="padding:4px 0;font-size:13px;color:${changeColor};white-space:nowrap;border-bottom:1px solid #eaecf0;">${h(s.change ?? '')}</td></tr>`;
      })
      .join('');
    parts.push(
      heading('Top services') +
        `<p style="margin:0 0 6px;font-size:12px;color:#667085;">Month to date; change against the same days last month.</p><table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;">${rows}</table>`,
    );
  }
  const lines: string[] = [];
  if (b.monthToDate) lines.push(`<strong>Month to date</strong> ${h(b.monthToDate)}`);
  if (b.daily)
    lines.push(
      `<strong>Daily spend</strong> <span style="font-family:${MONO};font-size:16px;letter-spacing:1px;">${h(b.daily.spark)}</span> <span style="color:#667085;">${h(`${b.daily.from} → ${b.daily.to}, ${b.daily.low} to ${b.daily.high} a day`)}</span>`,
    );
  if (b.forecast && !c.forecastInFacts) lines.push(`<strong>Month-end forecast</strong> ${h(b.forecast)}`);
  if (lines.length)
    parts.push(`<p style="margin:12px 0 0;font-size:14px;line-height:1.7;color:#344054;">${lines.join('<br>')}</p>`);
  if (b.unavailable)
    parts.push(
      `<p style="margin:8px 0 0;font-size:12px;font-style:italic;color:#667085;">Breakdown unavailable: ${h(b.unavailable)}</p>`,
    );
  return `<tr><td style="padding:8px 24px;border-top:1px solid #eaecf0;">${parts.join('\n')}</td></tr>`;
}
