import type { Enrichment } from '../../enrich/types.ts';
import type { Severity, SpendEvent } from '../../event/schema.ts';
import { breakdownView, hasBreakdown, type BreakdownView } from '../breakdown.ts';
import { safeHttpUrl } from '../escape.ts';
import { accountLabel, accountName, eventFacts, rootCauseLines, type Fact } from '../facts.ts';
import { summarizeGroup } from '../group.ts';
import type { Notification, RenderContext } from '../types.ts';
import type { EmailReceiver } from './config.ts';

/** A grouped email lists this many events, then counts the rest. */
export const MAX_EMAIL_EVENTS = 100;

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
  /** Events beyond MAX_EMAIL_EVENTS, counted instead of listed. */
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
    const facts = eventFacts(event, enrichment, ctx.accounts);
    const lists: EmailContent['lists'] = [];
    if (event.kind === 'anomaly' && event.anomaly.rootCauses.length) lists.push({ title: 'Root causes', items: rootCauseLines(event.anomaly, ctx.accounts) });
    if (event.diagnostics.length) lists.push({ title: 'Could not read', items: event.diagnostics });
    return {
      tone: toneOf(event),
      label: `${event.status === 'resolved' ? 'resolved' : event.severity} · ${event.kind.replace('-', ' ')}`,
      title: event.title,
      summary: event.summary,
      facts,
      lists,
      raw: event.kind === 'unrecognized' ? event.raw : null,
      events: null,
      more: 0,
      breakdown: breakdownOf(enrichment),
      forecastInFacts: facts.some((f) => f.label === 'Month-end forecast'),
      link: linkOf(event.consoleUrl),
      footer: `${footer} · ${event.id}`,
    };
  }
  const events = n.events.map((e) => e.event);
  const group = summarizeGroup(events, ctx.accounts);
  const enrichment = group.accountId ? ([...n.events].reverse().find((e) => e.enrichment)?.enrichment ?? null) : null;
  const urls = new Set(events.map((e) => e.consoleUrl));
  return {
    tone: group.status === 'resolved' ? 'resolved' : group.severity,
    label: `${group.status === 'resolved' ? 'resolved' : group.severity} · ${events.length} events`,
    title: group.headline,
    summary: `${group.mixed ? `${group.kinds}, ` : ''}${spanText(group.span)}`,
    facts: group.accountId ? [{ label: 'Account', value: accountLabel(group.accountId, ctx.accounts)! }] : [],
    lists: [],
    raw: null,
    events: events.slice(0, MAX_EMAIL_EVENTS).map((e) => ({
      tone: toneOf(e),
      title: e.title,
      account: group.accountId ? null : accountName(e.accountId, ctx.accounts),
      occurredAt: e.occurredAt,
    })),
    more: Math.max(0, events.length - MAX_EMAIL_EVENTS),
    breakdown: breakdownOf(enrichment),
    forecastInFacts: false,
    link: urls.size === 1 ? linkOf([...urls][0] ?? null) : null,
    footer,
  };
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
  return hasBreakdown(view) || view.unavailable ? view : null;
}

function linkOf(url: string | null): EmailContent['link'] {
  const safe = safeHttpUrl(url);
  return safe ? { url: safe, label: 'Open in the AWS console' } : null;
}
