import type { SpendEvent } from '../../event/schema.ts';
import { formatMoney } from '../../normalize/common.ts';
import { serviceLines } from '../breakdown.ts';
import { singleLine, truncate } from '../escape.ts';
import { summarizeGroup } from '../group.ts';
import type { Notification, RenderContext } from '../types.ts';
import type { EmailReceiver } from './config.ts';
import { emailContent, type EmailContent } from './content.ts';
import { writeHtml } from './html.ts';

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

/** Mail clients show 60 to 80 characters of a subject; past this, nobody reads it. */
const SUBJECT_MAX = 200;
const RAW_MAX = 5000;

/**
 * Renders a notification as an email: a subject that says what happened, an HTML part (inline
 * styles, table layout) and a plain-text part with the same content.
 * @example renderEmail(n).subject // '[critical] Budget "web" at 112% of $500.00 (actual $560.00)'
 */
export function renderEmail(n: Notification<EmailReceiver>, ctx: RenderContext = {}): RenderedEmail {
  const subject = emailSubject(n, ctx);
  const content = emailContent(n, ctx);
  return { subject, html: writeHtml(content, subject), text: writeText(content) };
}

/**
 * One line, no breaks (a line break in a subject could start a new header): `[severity]`, then
 * what happened; for a group, how many of what.
 */
export function emailSubject(n: Notification<EmailReceiver>, ctx: RenderContext = {}): string {
  const events = n.events.map((e) => e.event);
  let subject: string;
  if (events.length === 1) {
    const event = events[0]!;
    const name = event.accountId ? ctx.accounts?.(event.accountId)?.name : undefined;
    // The tag already says resolved; the title's own "Resolved:" would say it twice.
    const headline =
      event.status === 'resolved' ? eventHeadline(event).replace(/^Resolved:\s*/i, '') : eventHeadline(event);
    subject = `[${event.status === 'resolved' ? 'resolved' : event.severity}] ${headline}${name ? ` · ${name}` : ''}`;
  } else {
    const group = summarizeGroup(events, ctx.accounts);
    subject = `[${group.status === 'resolved' ? 'resolved' : group.severity}] ${group.headline}${group.mixed ? `: ${group.kinds}` : ''}`;
  }
  return truncate(singleLine(subject), SUBJECT_MAX);
}

/** A budget reads best as "at N% of limit"; every other kind's title already says what happened. */
function eventHeadline(event: SpendEvent): string {
  if (event.kind !== 'budget' || event.budget.percentOfLimit === null || !event.budget.limit || !event.budget.spend)
    return event.title;
  const b = event.budget;
  const what = b.alertType === 'ACTUAL' ? 'actual' : 'forecast';
  return `Budget "${b.name}"${what === 'forecast' ? ' forecast' : ''} at ${b.percentOfLimit}% of ${formatMoney(b.limit)} (${what} ${formatMoney(b.spend)})`;
}

/** The plain-text part: the same content as the HTML, laid out for a fixed-width reader. */
function writeText(c: EmailContent): string {
  const out: string[] = [`[${c.label.toUpperCase()}] ${c.title}`, '', c.summary];
  if (c.facts.length) {
    const width = Math.max(...c.facts.map((f) => f.label.length));
    out.push('', ...c.facts.map((f) => `${`${f.label}:`.padEnd(width + 2)}${f.value}`));
  }
  for (const list of c.lists) out.push('', `${list.title}:`, ...list.items.map((i) => `  - ${i}`));
  if (c.raw !== null)
    out.push(
      '',
      'Message text:',
      '',
      c.raw.trim() ? truncate(c.raw.trimEnd(), RAW_MAX).replace(/^/gm, '  ') : '  (empty)',
    );
  if (c.events) {
    out.push(
      '',
      ...c.events.map(
        (e) =>
          `  - ${e.tone === 'resolved' ? 'resolved' : e.tone}: ${e.title}${e.account ? ` (${e.account})` : ''}, ${e.occurredAt.slice(0, 16).replace('T', ' ')} UTC`,
      ),
    );
    if (c.more) out.push(`  …and ${c.more} more`);
  }
  const b = c.breakdown;
  if (b) {
    if (b.services.length)
      out.push(
        '',
        'Top services (month to date; change against the same days last month):',
        ...serviceLines(b.services).map((l) => `  ${l}`),
      );
    const lines: string[] = [];
    if (b.monthToDate) lines.push(`Month to date: ${b.monthToDate}`);
    if (b.daily)
      lines.push(
        `Daily spend: ${b.daily.spark}  ${b.daily.from} → ${b.daily.to}, ${b.daily.low} to ${b.daily.high} a day`,
      );
    if (b.forecast && !c.forecastInFacts) lines.push(`Month-end forecast: ${b.forecast}`);
    if (b.unavailable) lines.push(`Breakdown unavailable: ${b.unavailable}`);
    if (lines.length) out.push('', ...lines);
  }
  if (c.link) out.push('', `${c.link.label}: ${c.link.url}`);
  out.push('', '-- ', c.footer, '');
  return out.join('\n');
}
