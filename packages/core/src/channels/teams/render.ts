import { breakdownView, serviceLines } from '../breakdown.ts';
import { accountName, accountNames, eventFacts } from '../facts.ts';
import { summarizeGroup } from '../group.ts';
import type { Severity, SpendEvent } from '../../event/schema.ts';
import type { EnrichedEvent, Notification, RenderContext } from '../types.ts';
import type { TeamsReceiver } from './config.ts';
import { factSet, openUrl, TEAMS_LIMITS, teamsMessage, teamsText, textBlock, type TeamsMessage } from './card.ts';

/** Adaptive Card colours by severity (`Attention` is red, `Warning` amber, `Accent` blue, `Good` green). */
const COLOR: Record<Severity | 'resolved', string> = {
  critical: 'Attention',
  warning: 'Warning',
  info: 'Accent',
  resolved: 'Good',
};
const MARK: Record<Severity | 'resolved', string> = { critical: '🔴', warning: '🟠', info: '🔵', resolved: '✅' };

const tone = (e: SpendEvent) => (e.status === 'resolved' ? 'resolved' : e.severity);

/**
 * Renders a notification as a Teams message with one Adaptive Card: a coloured title, the summary,
 * the key facts, the cost breakdown when there is one, a footer and a console button. Everything
 * taken from the message is escaped (see `teamsText`).
 * @example renderTeamsMessage({ events: [{ event, enrichment: null }], receiver, route: 'finops', groupKey: '{}' })
 */
export function renderTeamsMessage(n: Notification<TeamsReceiver>, ctx: RenderContext = {}): TeamsMessage {
  return n.events.length === 1 ? renderOne(n, n.events[0]!, ctx) : renderGroup(n, ctx);
}

function renderOne(n: Notification<TeamsReceiver>, { event, enrichment }: EnrichedEvent, ctx: RenderContext) {
  const account = accountNames(event.accountId, ctx.accounts);
  const title = `${MARK[tone(event)]} ${teamsText(event.title, TEAMS_LIMITS.title)}`;
  const body = [
    textBlock(title, { size: 'Large', weight: 'Bolder', color: COLOR[tone(event)] }),
    textBlock(teamsText(event.summary || event.title)),
    factSet(eventFacts(event, enrichment, ctx.accounts)),
  ];
  if (enrichment) {
    const lines = serviceLines(breakdownView(enrichment).services);
    if (lines.length)
      body.push(textBlock('**Top services**'), textBlock(lines.map((l) => teamsText(l, 200)).join('\n\n')));
  }
  const footer = [event.severity, event.kind, account?.label, `route ${n.route}`, event.occurredAt].filter(Boolean);
  body.push(textBlock(teamsText(footer.join(' · ')), { isSubtle: true, size: 'Small' }));
  return teamsMessage(info(n), body, openUrl(event.consoleUrl, 'Open in the AWS console'));
}

function renderGroup(n: Notification<TeamsReceiver>, ctx: RenderContext) {
  const events = n.events.map((e) => e.event);
  const group = summarizeGroup(events, ctx.accounts);
  const color = group.status === 'resolved' ? 'resolved' : group.severity;
  const listed = events.slice(0, TEAMS_LIMITS.listed).map((e) => {
    const account = group.accountId ? null : accountName(e.accountId, ctx.accounts);
    return `${MARK[tone(e)]} ${teamsText(e.title, 300)}${account ? ` · _${teamsText(account, 100)}_` : ''}`;
  });
  const more = events.length - listed.length;
  const body = [
    textBlock(`${MARK[color]} ${teamsText(group.headline, TEAMS_LIMITS.title)}`, {
      size: 'Large',
      weight: 'Bolder',
      color: COLOR[color],
    }),
    textBlock(teamsText(group.kinds)),
    textBlock(listed.join('\n\n') + (more > 0 ? `\n\n…and ${more} more` : '')),
    textBlock(teamsText(`${group.count} alerts · route ${n.route} · ${group.span.from} to ${group.span.to}`), {
      isSubtle: true,
      size: 'Small',
    }),
  ];
  return teamsMessage(
    info(n),
    body,
    openUrl(events.find((e) => e.consoleUrl)?.consoleUrl ?? null, 'Open in the AWS console'),
  );
}

function info(n: Notification<TeamsReceiver>) {
  return { kind: 'alert' as const, receiver: n.receiver.name, eventIds: n.events.map((e) => e.event.id) };
}
