import { emailDocument, emailRow } from '../channels/email/layout.ts';
import { escapeHtml as h, safeHttpUrl, singleLine, truncate } from '../channels/escape.ts';
import { formatChange, formatPercent } from '../channels/facts.ts';
import type { Severity } from '../event/schema.ts';
import { formatMoney } from '../normalize/common.ts';
import type { Digest, DigestAlertGroup, DigestBudget } from './build.ts';
import { spendChartAlt } from './chart-svg.ts';
import { alertMeta, budgetAmounts, budgetName, moverLine, renderDigestText } from './render-text.ts';

/** The Content-ID the chart PNG is attached under (multipart/related); the HTML says `cid:spend-chart`. */
export const DIGEST_CHART_CID = 'spend-chart';

export interface RenderedDigestEmail {
  subject: string;
  html: string;
  /** Always present: the same digest for text-only readers. */
  text: string;
  /** The image the HTML refers to, for the adapter to attach inline; null when there is none. */
  chart: { cid: string; alt: string } | null;
}

export interface DigestEmailOptions {
  /**
   * Where the HTML loads the chart from: `cid:spend-chart` in mail (the default); a file name
   * for a preview in a browser, which cannot resolve `cid:`.
   */
  chartSrc?: string;
}

const SUBJECT_MAX = 200;
const TONE: Record<Severity | 'quiet', string> = {
  critical: '#D92D20',
  warning: '#F79009',
  info: '#2E90FA',
  quiet: '#12B76A',
};
const LEVEL_COLOR: Record<DigestBudget['level'], string> = {
  over: '#D92D20',
  'at-risk': '#F79009',
  ok: '#12B76A',
  unknown: '#98A2B3',
};
const CHART_WIDTH = 552;

/**
 * Renders a digest as an email: a subject that says the period and where spend stands, an HTML
 * part (tables and inline styles only, as the alert emails) with the chart as an inline image,
 * and the plain-text part. Everything from messages and config is HTML-escaped here.
 * @example renderDigestEmail(digest).subject // 'Spend digest, Sunday 31 March 2024: 12 alerts · month to date $8,123.45 (68% of monthly-total)'
 */
export function renderDigestEmail(d: Digest, options: DigestEmailOptions = {}): RenderedDigestEmail {
  const subject = digestSubject(d);
  const chart = !d.empty && d.chart ? { cid: DIGEST_CHART_CID, alt: spendChartAlt(d.chart) } : null;
  return {
    subject,
    html: writeHtml(d, subject, chart ? { src: options.chartSrc ?? `cid:${DIGEST_CHART_CID}`, alt: chart.alt } : null),
    text: renderDigestText(d),
    chart,
  };
}

/** One line, no breaks: the period, the alert count or all quiet, month to date against the first budget. */
export function digestSubject(d: Digest): string {
  const what = d.empty ? 'all quiet' : `${d.alerts.total} ${d.alerts.total === 1 ? 'alert' : 'alerts'}`;
  const mtd = d.spend?.monthToDate ? `month to date ${formatMoney(d.spend.monthToDate)}` : null;
  const budget = d.budgets.find((b) => b.percent !== null);
  const where = mtd ? ` · ${mtd}${budget ? ` (${formatPercent(budget.percent!)} of ${budget.name})` : ''}` : '';
  return truncate(singleLine(`Spend digest, ${d.periodText}: ${what}${where}`), SUBJECT_MAX);
}

function writeHtml(d: Digest, subject: string, chart: { src: string; alt: string } | null): string {
  const tone = d.empty ? TONE.quiet : TONE[worst(d.alerts.groups)];
  const rows = [
    emailRow(
      `<div style="font-size:12px;font-weight:bold;letter-spacing:0.5px;text-transform:uppercase;color:${tone};">${d.period.every === 'day' ? 'Daily' : 'Weekly'} spend digest</div>
<h1 style="margin:6px 0 0;font-size:20px;line-height:1.3;color:#101828;font-weight:bold;">${h(d.periodText)}</h1>`,
      '24px 24px 8px',
    ),
    emailRow(`<p style="margin:0;font-size:15px;line-height:1.5;color:#344054;">${keepArrows(h(d.summary))}</p>`),
    d.empty ? '' : spendRow(d),
    chart
      ? emailRow(
          `<img src="${h(chart.src)}" width="${CHART_WIDTH}" alt="${h(chart.alt)}" style="display:block;width:100%;max-width:${CHART_WIDTH}px;height:auto;border:0;">`,
          '8px 24px',
        )
      : '',
    d.budgets.length ? emailRow(heading('Budgets') + budgetsTable(d.budgets)) : '',
    !d.empty && d.services.length ? emailRow(heading('Top services · month to date') + servicesTable(d)) : '',
    !d.empty && d.movers.length
      ? emailRow(
          heading(
            d.movers[0]!.basis === 'last-digest'
              ? 'Largest movers since the last digest'
              : 'Largest movers vs the same days last month',
          ) + list(d.movers.map(moverLine)),
        )
      : '',
    ...(d.empty ? [] : d.alerts.groups.map((g) => emailRow(alertGroup(g, d.period.timeZone)))),
    d.unavailable ? emailRow(`<p style="margin:0;font-size:13px;color:#667085;">${h(d.unavailable)}</p>`) : '',
    emailRow(d.links.map((l) => linkButton(l.label, l.url)).join(' '), '16px 24px 24px'),
    `<tr><td style="padding:16px 24px;border-top:1px solid #eaecf0;font-size:12px;line-height:1.5;color:#667085;">Times in ${h(d.period.timeZone)}. Digest for ${h(d.receiver)}, sent by spend-alerts.</td></tr>`,
  ];
  return emailDocument({ subject, preheader: d.summary, color: tone, rows });
}

function heading(text: string): string {
  return `<h2 style="margin:12px 0 6px;font-size:14px;color:#101828;font-weight:bold;">${h(text)}</h2>`;
}

function list(items: string[]): string {
  return `<ul style="margin:0;padding-left:20px;color:#344054;font-size:14px;line-height:1.5;">${items.map((i) => `<li>${keepArrows(h(i))}</li>`).join('')}</ul>`;
}

/** `▲ 12%` must not break after its arrow: a lone arrow ending a line reads as a stray glyph. */
function keepArrows(escaped: string): string {
  return escaped.replace(/([▲▼▬]) /g, '$1&nbsp;');
}

/** The headline numbers side by side: month to date, forecast. */
function spendRow(d: Digest): string {
  const s = d.spend;
  if (!s) return '';
  const cells: string[] = [];
  const cell = (label: string, value: string, note: string | null) =>
    `<td valign="top" style="padding:0 24px 0 0;"><div style="font-size:12px;color:#667085;">${h(label)}</div><div style="font-size:22px;font-weight:bold;color:#101828;">${h(value)}</div>${note ? `<div style="font-size:12px;color:#667085;">${h(note)}</div>` : ''}</td>`;
  if (s.monthToDate)
    cells.push(
      cell(
        'Month to date',
        formatMoney(s.monthToDate),
        s.changePercent !== null ? `${formatChange(s.changePercent)} vs the same days last month` : null,
      ),
    );
  if (s.forecast) {
    const f = s.forecast;
    cells.push(
      cell(
        'Month-end forecast',
        formatMoney(f.total),
        f.lower && f.upper ? `80% interval ${formatMoney(f.lower)}–${formatMoney(f.upper)}` : null,
      ),
    );
  }
  return cells.length
    ? emailRow(
        `<table role="presentation" cellpadding="0" cellspacing="0" border="0"><tr>${cells.join('')}</tr></table>`,
      )
    : '';
}

/** One row per budget: its line, and a bar of the share spent (Outlook draws table cells, not divs). */
function budgetsTable(budgets: DigestBudget[]): string {
  return budgets
    .map((b) => {
      const color = LEVEL_COLOR[b.level];
      const pct = Math.max(0, Math.min(100, Math.round(b.percent ?? 0)));
      const bar =
        b.percent === null
          ? ''
          : `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;margin-top:4px;"><tr>${pct > 0 ? `<td width="${pct}%" height="6" bgcolor="${color}" style="height:6px;background-color:${color};font-size:0;line-height:0;">&nbsp;</td>` : ''}${pct < 100 ? `<td height="6" bgcolor="#eaecf0" style="height:6px;background-color:#eaecf0;font-size:0;line-height:0;">&nbsp;</td>` : ''}</tr></table>`;
      const level = b.level === 'over' ? 'over budget' : b.level === 'at-risk' ? 'at risk' : '';
      const badge = level
        ? ` <span style="font-size:12px;font-weight:bold;color:${color};">&middot; ${h(level)}</span>`
        : '';
      return `<div style="margin:0 0 12px;font-size:14px;line-height:1.4;color:#101828;"><b>${h(budgetName(b))}</b>${badge}<br><span style="color:#344054;">${h(budgetAmounts(b))}</span>${bar}</div>`;
    })
    .join('');
}

function servicesTable(d: Digest): string {
  const rows = d.services
    .map((s) => {
      const change = formatChange(s.changePercent) ?? '';
      // A cost going up is the bad direction: red up, green down.
      const color = change.startsWith('▲') ? '#B42318' : change.startsWith('▼') ? '#067647' : '#667085';
      return `<tr><td style="padding:4px 0;font-size:14px;color:#101828;border-bottom:1px solid #eaecf0;">${h(s.name)}</td><td align="right" style="padding:4px 12px;font-size:14px;color:#101828;white-space:nowrap;border-bottom:1px solid #eaecf0;">${h(formatMoney(s.cost))}</td><td align="right" style="padding:4px 0;font-size:13px;color:${color};white-space:nowrap;border-bottom:1px solid #eaecf0;">${h(change)}</td></tr>`;
    })
    .join('');
  return `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;">${rows}</table>`;
}

function alertGroup(g: DigestAlertGroup, timeZone: string): string {
  const counts = `${g.count}${g.resolved ? `, ${g.resolved} resolved` : ''}`;
  const items = g.items
    .map((i) => {
      const color = i.status === 'resolved' ? TONE.quiet : TONE[i.severity];
      const url = safeHttpUrl(i.url);
      const title = url
        ? `<a href="${h(url)}" style="color:#101828;text-decoration:underline;">${h(i.title)}</a>`
        : h(i.title);
      const detail = i.detail ? `<br><span style="font-size:13px;color:#344054;">${h(i.detail)}</span>` : '';
      return `<tr><td width="4" bgcolor="${color}" style="width:4px;background-color:${color};font-size:0;">&nbsp;</td><td style="padding:6px 10px;font-size:14px;color:#101828;border-bottom:1px solid #eaecf0;">${title}${detail}<br><span style="font-size:12px;color:#667085;">${h(alertMeta(i, timeZone))}</span></td></tr>`;
    })
    .join('\n');
  const more = g.more ? `<p style="margin:6px 0 0;font-size:13px;color:#344054;">&hellip;and ${g.more} more</p>` : '';
  return `${heading(`${g.label} (${counts})`)}<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;">${items}</table>${more}`;
}

function linkButton(label: string, url: string): string {
  const safe = safeHttpUrl(url);
  if (!safe) return '';
  return `<a href="${h(safe)}" style="display:inline-block;margin:0 6px 6px 0;padding:8px 14px;background-color:#101828;color:#ffffff;font-size:13px;font-weight:bold;text-decoration:none;border-radius:4px;">${h(label)} &rarr;</a>`;
}

function worst(groups: DigestAlertGroup[]): Severity {
  const order: Severity[] = ['critical', 'warning', 'info'];
  return order.find((s) => groups.some((g) => g.severity === s && g.firing > 0)) ?? 'info';
}
