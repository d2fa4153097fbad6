import { serviceLines } from '../breakdown.ts';
import { formatChange } from '../facts.ts';
import type { Digest } from '../../digest/build.ts';
import { alertMeta, budgetLine, moverLine, spendLines } from '../../digest/render-text.ts';
import { formatMoney } from '../../normalize/common.ts';
import { factSet, openUrl, teamsMessage, teamsText, textBlock, type CardElement, type TeamsMessage } from './card.ts';

const LEVEL_MARK = { over: '🔴', 'at-risk': '🟠', ok: '🟢', unknown: '⚪' } as const;

/**
 * Renders a digest as a Teams Adaptive Card: title, summary, spend as facts, budgets, top services,
 * movers, then the alerts per kind, and the console links as buttons. A Workflows webhook takes no
 * file, so the chart is not in it; the spend facts carry its numbers. Text from messages is escaped.
 * @example renderDigestTeams(digest).attachments[0].content.body[0].text // '📊 Daily spend digest: …'
 */
export function renderDigestTeams(d: Digest): TeamsMessage {
  const body: CardElement[] = [
    textBlock(`${d.empty ? '✅' : '📊'} ${teamsText(d.title, 200)}`, { size: 'Large', weight: 'Bolder' }),
    textBlock(teamsText(d.summary, 1000)),
  ];
  if (!d.empty) body.push(factSet(spendLines(d)));
  const section = (title: string, lines: string[]) => {
    if (lines.length) body.push(textBlock(`**${title}**`, { spacing: 'Medium' }), textBlock(lines.join('\n\n')));
  };
  section(
    'Budgets',
    d.budgets.map((b) => `${LEVEL_MARK[b.level]} ${teamsText(budgetLine(b), 400)}`),
  );
  if (!d.empty) {
    section(
      'Top services · month to date, change vs the same days last month',
      serviceLines(
        d.services.map((s) => ({ name: s.name, cost: formatMoney(s.cost), change: formatChange(s.changePercent) })),
      ).map((l) => teamsText(l, 200)),
    );
    section(
      d.movers[0]?.basis === 'last-digest'
        ? 'Largest movers since the last digest'
        : 'Largest movers vs the same days last month',
      d.movers.map((m) => teamsText(moverLine(m), 300)),
    );
    for (const g of d.alerts.groups) {
      const lines = g.items.map(
        (i) =>
          `${teamsText(i.title, 300)} · ${teamsText([i.detail, alertMeta(i, d.period.timeZone)].filter(Boolean).join(' · '), 300)}`,
      );
      if (g.more) lines.push(`…and ${g.more} more`);
      section(`${teamsText(g.label, 100)} (${g.count})`, lines);
    }
  }
  if (d.unavailable) body.push(textBlock(teamsText(d.unavailable, 500), { isSubtle: true, size: 'Small' }));
  return teamsMessage(
    { kind: 'digest', receiver: d.receiver, eventIds: [], period: d.period.key },
    body,
    d.links.flatMap((l) => openUrl(l.url, l.label)),
  );
}
