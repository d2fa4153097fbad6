import type { Enrichment } from '../../enrich/types.ts';
import type { Severity, SpendEvent } from '../../event/schema.ts';
import { breakdownView, hasBreakdown, type BreakdownView } from '../breakdown.ts';
import { escapeHtml, safeHttpUrl, truncate } from '../escape.ts';
import { accountLabel, accountName, eventFacts, rootCauseLines, type Fact } from '../facts.ts';
import { summarizeGroup } from '../group.ts';
import type { Notification, RenderContext } from '../types.ts';
import type { EmailReceiver } from './config.ts';

/** A grouped email lists this many events, then counts the rest. */
export const MAX_EMAIL_EVENTS = 100;

/**
 * The most characters each text keeps in an email (and list items kept per list). Real AWS names and
 * reasons fit with room to spare (budget names are at most 100 characters, alarm names 255); a
 * hostile or broken message is cut, and with the event list held to `EVENT_LIST_BYTES` the HTML
 * part stays far below the 102 KB past which Gmail clips a message, whatever the input.
 */
export const EMAIL_CUTS = {
  title: 300,
  summary: 1000,
  fact: 300,
  listItem: 200,
  listItems: 10,
  eventTitle: 200,
  account: 100,
  note: 300,
  url: 2000,
} as const;

/** What the listed events' titles and accounts may take of the HTML part: escaped, UTF-8 bytes. */
const EVENT_LIST_BYTES = 24_000;

export type Tone = Severity | 'resolved';

/**
 * What an alert email says, before it is written as HTML or plain text: both parts are written
 * from this one model so they cannot drift apart. All text is raw; the writers escape.
 */
export interface EmailContent {
  tone: Tone;
  /** `critical · budget` */
  label: string;
  title: string;
  summary: string;
  facts: Fact[];
  lists: Array<{ title: string; items: string[] }>;
  /** An unrecognized message's text, shown as is. */
  raw: string | null;
  /** One row per event, for grouped notifications. */
  events: Array<{ tone: Tone; title: string; account: string | null; occurredAt: string }> | null;
  /** Events left out of the list (past MAX_EMAIL_EVENTS or its size budget), counted instead. */
  more: number;
  breakdown: BreakdownView | null;
  /** Whether the facts already give the month-end forecast, so the breakdown leaves it out. */
  forecastInFacts: boolean;
  /** Only http(s) URLs get here. */
  link: { url: string; label: string } | null;
  footer: string;
}

/** Builds the content model of a notification. */
export function emailContent(n: Notification<EmailReceiver>, ctx: RenderContext = {}): EmailContent {
  const footer = `Sent by spend-alerts · route ${n.route} · receiver ${n.receiver.name}`;
  if (n.events.length === 1) {
    const { event, enrichment } = n.events[0]!;
    const facts = eventFacts(event, enrichment, ctx.accounts).map((f) => ({
      label: f.label,
      value: truncate(f.value, EMAIL_CUTS.fact),
    }));
    const lists: EmailContent['lists'] = [];
    if (event.kind === 'anomaly' && event.anomaly.rootCauses.length)
      lists.push({ title: 'Root causes', items: listItems(rootCauseLines(event.anomaly, ctx.accounts)) });
    if (event.diagnostics.length) lists.push({ title: 'Could not read', items: listItems(event.diagnostics) });
    return {
      tone: toneOf(event),
      label: `${event.status === 'resolved' ? 'resolved' : event.severity} · ${event.kind.replace('-', ' ')}`,
      title: truncate(event.title, EMAIL_CUTS.title),
      summary: truncate(event.summary, EMAIL_CUTS.summary),
      facts,
      lists,
      raw: event.kind === 'unrecognized' ? event.raw : null,
      events: null,
      more: 0,
      breakdown: breakdownOf(enrichment),
      forecastInFacts: facts.some((f) => f.label === 'Month-end forecast'),
      link: linkOf(event.consoleUrl),
      footer: truncate(`${footer} · ${event.id}`, EMAIL_CUTS.note),
    };
  }
  const events = n.events.map((e) => e.event);
  const group = summarizeGroup(events, ctx.accounts);
  const enrichment = group.accountId ? ([...n.events].reverse().find((e) => e.enrichment)?.enrichment ?? null) : null;
  const urls = new Set(events.map((e) => e.consoleUrl));
  // One account's group names it once, in the facts; otherwise each row names its account.
  const rows = eventRows(events, !group.accountId, ctx);
  return {
    tone: group.status === 'resolved' ? 'resolved' : group.severity,
    label: `${group.status === 'resolved' ? 'resolved' : group.severity} · ${events.length} events`,
    title: truncate(group.headline, EMAIL_CUTS.title),
    summary: `${group.mixed ? `${group.kinds}, ` : ''}${spanText(group.span)}`,
    facts: group.accountId
      ? [{ label: 'Account', value: truncate(accountLabel(group.accountId, ctx.accounts)!, EMAIL_CUTS.fact) }]
      : [],
    lists: [],
    raw: null,
    events: rows,
    more: events.length - rows.length,
    breakdown: breakdownOf(enrichment),
    forecastInFacts: false,
    link: urls.size === 1 ? linkOf([...urls][0] ?? null) : null,
    footer: truncate(footer, EMAIL_CUTS.note),
  };
}

/** The rows of a group's event list: at most MAX_EMAIL_EVENTS, and no more than fit in EVENT_LIST_BYTES. */
function eventRows(
  events: SpendEvent[],
  withAccount: boolean,
  ctx: RenderContext,
): NonNullable<EmailContent['events']> {
  const rows: NonNullable<EmailContent['events']> = [];
  let used = 0;
  for (const e of events.slice(0, MAX_EMAIL_EVENTS)) {
    const name = withAccount ? accountName(e.accountId, ctx.accounts) : null;
    const row = {
      tone: toneOf(e),
      title: truncate(e.title, EMAIL_CUTS.eventTitle),
      account: name === null ? null : truncate(name, EMAIL_CUTS.account),
      occurredAt: e.occurredAt,
    };
    used += htmlBytes(row.title) + htmlBytes(row.account ?? '');
    if (used > EVENT_LIST_BYTES) break;
    rows.push(row);
  }
  return rows;
}

/** At most EMAIL_CUTS.listItems items, each cut, and a last line counting the rest. */
function listItems(items: string[]): string[] {
  const shown = items.slice(0, EMAIL_CUTS.listItems).map((i) => truncate(i, EMAIL_CUTS.listItem));
  return items.length > shown.length ? [...shown, `…and ${items.length - shown.length} more`] : shown;
}

/** What a text takes in the HTML part, escaped, in UTF-8 bytes. */
function htmlBytes(text: string): number {
  return new TextEncoder().encode(escapeHtml(text)).length;
}

function spanText({ from, to }: { from: string; to: string }): string {
  const show = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;
  return from === to ? `at ${show(from)}` : `from ${show(from)} to ${show(to)}`;
}

function toneOf(event: SpendEvent): Tone {
  return event.status === 'resolved' ? 'resolved' : event.severity;
}

function breakdownOf(enrichment: Enrichment | null): BreakdownView | null {
  if (!enrichment) return null;
  const view = breakdownView(enrichment);
  if (!hasBreakdown(view) && !view.unavailable) return null;
  return { ...view, unavailable: view.unavailable && truncate(view.unavailable, EMAIL_CUTS.note) };
}

/** A URL too long to be a console link is left out rather than cut (a cut URL leads somewhere else). */
function linkOf(url: string | null): EmailContent['link'] {
  const safe = safeHttpUrl(url);
  return safe && safe.length <= EMAIL_CUTS.url ? { url: safe, label: 'Open in the AWS console' } : null;
}
