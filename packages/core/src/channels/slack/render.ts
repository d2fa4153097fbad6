import type { Enrichment } from '../../enrich/types.ts';
import type { Severity, SpendEvent } from '../../event/schema.ts';
import { breakdownView, hasBreakdown, serviceLines } from '../breakdown.ts';
import { SLACK_LIMITS, escapeSlack, slackText, truncateEscaped } from '../escape.ts';
import { accountName, accountNames, eventFacts, rootCauseLines } from '../facts.ts';
import { summarizeGroup } from '../group.ts';
import type { EnrichedEvent, Notification, RenderContext } from '../types.ts';
import type { SlackReceiver } from './config.ts';
import {
  codeBlock,
  context,
  divider,
  fieldSections,
  header,
  headerEscaped,
  link,
  section,
  slackDate,
  type SlackBlock,
} from './blocks.ts';

/** The body of chat.postMessage, less the channel (which the adapter adds). */
export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
  attachments?: Array<Record<string, unknown>>;
}

export const SEVERITY_EMOJI: Record<Severity, string> = { critical: '🔴', warning: '🟠', info: '🔵' };
export const RESOLVED_EMOJI = '✅';
/** The colour bar beside the footer: red, orange, blue; green once resolved. */
export const SEVERITY_COLOR: Record<Severity | 'resolved', string> = {
  critical: '#D92D20',
  warning: '#F79009',
  info: '#2E90FA',
  resolved: '#12B76A',
};

/** A grouped message lists this many events at most, then counts the rest. */
export const MAX_LISTED_EVENTS = 25;
/** ...and spends at most this many characters on the list, well inside Slack's total. */
const LIST_CHAR_BUDGET = 6000;
const RAW_TEXT_MAX = 2000;

/**
 * Renders a notification as a Slack Block Kit message: header, the mention and summary, key
 * facts as fields, the cost breakdown when there is one, a console link. Everything taken from
 * the message is escaped. The severity colour is a one-block attachment under the blocks (a
 * footer with a coloured bar): the alert itself stays in top-level blocks, which Slack never
 * collapses behind "Show more" as it may legacy attachment content.
 * @example renderSlackMessage({ events: [{ event, enrichment: null }], receiver, route: 'finops', groupKey: '{}' }).text
 */
export function renderSlackMessage(n: Notification<SlackReceiver>, ctx: RenderContext = {}): SlackMessage {
  return n.events.length === 1 ? renderOne(n, n.events[0]!, ctx) : renderGroup(n, ctx);
}

/** The receiver's mention for this severity, as Slack markup; only for firing alerts. */
export function slackMention(
  receiver: SlackReceiver,
  severity: Severity,
  status: 'firing' | 'resolved',
): string | null {
  if (status !== 'firing') return null;
  const mention = receiver.mention?.[severity];
  if (!mention) return null;
  return mention === '@here' ? '<!here>' : mention === '@channel' ? '<!channel>' : mention;
}

function renderOne(
  n: Notification<SlackReceiver>,
  { event, enrichment }: EnrichedEvent,
  ctx: RenderContext,
): SlackMessage {
  const emoji = eventEmoji(event);
  const mention = slackMention(n.receiver, event.severity, event.status);
  const facts = eventFacts(event, enrichment, ctx.accounts);
  const account = accountNames(event.accountId, ctx.accounts);
  const title = escapeSlack(event.title);
  const firstLine = `${mention ? `${mention} ` : ''}${emoji}${title ? ` ${title}` : ''}${account?.name ? ` · ${escapeSlack(account.name)}` : ''}`;
  const text = truncateEscaped(`${firstLine}\n${slackText(event.summary, 600)}`, SLACK_LIMITS.messageText);

  const consoleLink = link(event.consoleUrl, 'Open in the AWS console →');
  const blocks: SlackBlock[] = [
    headerEscaped(`${emoji} ${title}`), // the emoji needs no escaping: the title escaped once serves both
    // Slack rejects an empty text object; the schema allows an empty summary.
    section(withMention(mention, event.summary || event.title)),
  ];
  for (const block of fieldSections(facts)) blocks.push(block);
  for (const block of kindBlocks(event, ctx)) blocks.push(block);
  if (enrichment)
    for (const block of enrichmentBlocks(
      enrichment,
      facts.some((f) => f.label === 'Month-end forecast'),
    ))
      blocks.push(block);
  if (consoleLink) blocks.push(section(consoleLink));
  const footer = [escapeSlack(event.severity), escapeSlack(event.kind)];
  if (account) footer.push(escapeSlack(account.label));
  footer.push(escapeSlack(`route ${n.route}`));
  return {
    text,
    blocks,
    attachments: [
      colourBar(event.status === 'resolved' ? 'resolved' : event.severity, footer, slackDate(event.occurredAt)),
    ],
  };
}

function renderGroup(n: Notification<SlackReceiver>, ctx: RenderContext): SlackMessage {
  const events = n.events.map((e) => e.event);
  const group = summarizeGroup(events, ctx.accounts);
  const emoji = group.status === 'resolved' ? RESOLVED_EMOJI : SEVERITY_EMOJI[group.severity];
  const mention = slackMention(n.receiver, group.severity, group.status);

  const lines = events.map((e) => {
    const account = group.accountId ? null : accountName(e.accountId, ctx.accounts);
    return `${eventEmoji(e)} ${slackText(e.title, 300)}${account ? ` · _${escapeSlack(account)}_` : ''}`;
  });
  const { sections, listed } = packLines(lines);
  const more = events.length - listed;

  const titles =
    events
      .slice(0, 5)
      .map((e) => e.title)
      .join('; ') + (events.length > 5 ? `; …and ${events.length - 5} more` : '');
  const firstLine = [mention, emoji, escapeSlack(group.mixed ? `${group.headline}: ${group.kinds}` : group.headline)]
    .filter(Boolean)
    .join(' ');
  const text = truncateEscaped(`${firstLine}\n${slackText(titles, 800)}`, SLACK_LIMITS.messageText);

  // The breakdown is per account: shown only when the whole group is one account's, from its newest event.
  const enrichment = group.accountId ? ([...n.events].reverse().find((e) => e.enrichment)?.enrichment ?? null) : null;
  const urls = new Set(events.map((e) => e.consoleUrl));
  const consoleLink = urls.size === 1 ? link([...urls][0] ?? null, 'Open in the AWS console →') : null;
  const blocks: SlackBlock[] = [
    header(`${emoji} ${group.headline}`),
    section(
      `${mention ? `${mention} ` : ''}${group.mixed ? `${escapeSlack(group.kinds)} · ` : ''}${spanText(group.span)}`,
    ),
    ...sections.map(section),
    ...(more > 0 ? [context([`…and ${more} more`])] : []),
    ...enrichmentBlocks(enrichment, false),
    ...(consoleLink ? [section(consoleLink)] : []),
  ];
  const footer = [group.severity, `${events.length} events`, `route ${n.route}`].map(escapeSlack);
  return { text, blocks, attachments: [colourBar(group.status === 'resolved' ? 'resolved' : group.severity, footer)] };
}

/** Fits event lines into sections of at most 3000 characters, within the list's budget. */
function packLines(lines: string[]): { sections: string[]; listed: number } {
  const sections: string[] = [];
  let current = '';
  let used = 0;
  let listed = 0;
  for (const line of lines) {
    if (listed >= MAX_LISTED_EVENTS || used + line.length > LIST_CHAR_BUDGET) break;
    if (current && current.length + 1 + line.length > SLACK_LIMITS.sectionText) {
      sections.push(current);
      current = '';
    }
    current = current ? `${current}\n${line}` : line;
    used += line.length + 1;
    listed++;
  }
  if (current) sections.push(current);
  return { sections, listed };
}

/** When the group's events happened, in each reader's time zone. */
function spanText(span: { from: string; to: string }): string {
  return span.from === span.to ? `at ${slackDate(span.from)}` : `from ${slackDate(span.from)} to ${slackDate(span.to)}`;
}

function eventEmoji(event: SpendEvent): string {
  return event.status === 'resolved' ? RESOLVED_EMOJI : SEVERITY_EMOJI[event.severity];
}

/** The mention leads the first section, where Slack notifies from; the rest is escaped message text. */
function withMention(mention: string | null, raw: string): string {
  const prefix = mention ? `${mention} ` : '';
  return prefix + slackText(raw, SLACK_LIMITS.sectionText - prefix.length);
}

/** What only one kind has: an anomaly's root causes, an unrecognized message's text, diagnostics. */
function kindBlocks(event: SpendEvent, ctx: RenderContext): SlackBlock[] {
  const blocks: SlackBlock[] = [];
  if (event.kind === 'anomaly') {
    const causes = rootCauseLines(event.anomaly, ctx.accounts);
    if (causes.length) {
      const shown = causes.slice(0, 5).map((c) => `• ${slackText(c, 400)}`);
      if (causes.length > 5) shown.push(`…and ${causes.length - 5} more`);
      blocks.push(section(`*Root causes*\n${shown.join('\n')}`));
    }
  }
  if (event.kind === 'unrecognized')
    blocks.push(section(`*Message text*\n${codeBlock(event.raw || '(empty)', RAW_TEXT_MAX)}`));
  if (event.diagnostics.length) {
    blocks.push(context([`⚠️ ${slackText(`could not read: ${event.diagnostics.join('; ')}`, 1000)}`]));
  }
  return blocks;
}

/** The cost breakdown: top services, month to date, the daily sparkline, the forecast. */
function enrichmentBlocks(enrichment: Enrichment | null, forecastShown: boolean): SlackBlock[] {
  if (!enrichment) return [];
  const view = breakdownView(enrichment);
  const blocks: SlackBlock[] = [];
  if (hasBreakdown(view)) blocks.push(divider);
  if (view.services.length) {
    blocks.push(
      section(
        `*Top services* · month to date, change vs the same days last month\n${codeBlock(serviceLines(view.services).join('\n'), 2000)}`,
      ),
    );
  }
  const lines: string[] = [];
  if (view.monthToDate) lines.push(`*Month to date* ${escapeSlack(view.monthToDate)}`);
  if (view.daily) {
    const d = view.daily;
    lines.push(`*Daily spend* \`${d.spark}\` ${escapeSlack(`${d.from} → ${d.to}, ${d.low} to ${d.high} a day`)}`);
  }
  if (view.forecast && !forecastShown) lines.push(`*Month-end forecast* ${escapeSlack(view.forecast)}`);
  if (lines.length) blocks.push(section(lines.join('\n')));
  if (view.unavailable) blocks.push(context([`breakdown unavailable: ${slackText(view.unavailable, 500)}`]));
  return blocks;
}

/**
 * The attachment that draws the severity colour, holding only the footer line. Its fallback
 * carries no mention, so clients that show it never notify twice.
 */
function colourBar(tone: Severity | 'resolved', footer: string[], when?: string): Record<string, unknown> {
  const line = footer.join(' · ');
  return { color: SEVERITY_COLOR[tone], fallback: line, blocks: [context([when ? `${line} · ${when}` : line])] };
}
