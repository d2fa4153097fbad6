import { serviceLines } from '../channels/breakdown.ts';
import { SLACK_LIMITS, escapeSlack, slackText, truncateEscaped } from '../channels/escape.ts';
import { formatChange } from '../channels/facts.ts';
import {
  codeBlock,
  context,
  divider,
  fieldSections,
  header,
  link,
  section,
  type SlackBlock,
} from '../channels/slack/blocks.ts';
import { RESOLVED_EMOJI, SEVERITY_EMOJI } from '../channels/slack/render.ts';
import { formatMoney } from '../normalize/common.ts';
import type { Digest, DigestBudget } from './build.ts';
import { spendChartAlt } from './chart-svg.ts';
import { alertMeta, budgetLine, moverLine, spendLines } from './render-text.ts';

/** The chat.postMessage body of a digest, less the channel. */
export interface DigestSlackMessage {
  text: string;
  blocks: SlackBlock[];
}

export interface DigestSlackOptions {
  /**
   * The chart, once the adapter has uploaded it (files.uploadV2 to the same channel): its file
   * id or permalink, shown in an image block. Without it, the message says the chart follows.
   */
  chartFile?: { id: string } | { url: string } | null;
  /**
   * Whether the chart is shared right under the message (default true), so the message says it
   * follows. False when there is no image to share, because it could not be rendered or uploaded:
   * the message then gives the chart's figures in words and promises nothing.
   */
  chartFollows?: boolean;
}

const LEVEL_EMOJI: Record<DigestBudget['level'], string> = { over: '🔴', 'at-risk': '🟠', ok: '🟢', unknown: '⚪' };

/**
 * Renders a digest as Slack Block Kit: header, summary, month to date and forecast as fields,
 * budgets, the chart, top services and movers, then the alerts per kind. Everything from
 * messages and config is escaped; no mention is ever added: a digest is read, not paged.
 * @example renderDigestSlack(digest, { chartFile: { id: 'F0123' } }).blocks[0] // { type: 'header', ... }
 */
export function renderDigestSlack(d: Digest, options: DigestSlackOptions = {}): DigestSlackMessage {
  const text = truncateEscaped(`${escapeSlack(d.title)}\n${slackText(d.summary, 1000)}`, SLACK_LIMITS.messageText);
  const blocks: SlackBlock[] = [
    header(`${d.empty ? '✅' : '📊'} ${d.title}`),
    section(slackText(d.summary, SLACK_LIMITS.sectionText)),
  ];
  if (!d.empty) blocks.push(...fieldSections(spendLines(d).filter((l) => l.label !== 'Daily spend')));
  if (d.budgets.length) {
    blocks.push(
      section(
        `*Budgets*\n${d.budgets.map((b) => `${LEVEL_EMOJI[b.level]} ${slackText(budgetLine(b), 400)}`).join('\n')}`,
      ),
    );
  }
  if (!d.empty) {
    if (d.chart) blocks.push(chartBlock(d, options.chartFile ?? null, options.chartFollows ?? true));
    if (d.services.length) {
      const rows = serviceLines(
        d.services.map((s) => ({ name: s.name, cost: formatMoney(s.cost), change: formatChange(s.changePercent) })),
      );
      blocks.push(
        section(
          `*Top services* · month to date, change vs the same days last month\n${codeBlock(rows.join('\n'), 2000)}`,
        ),
      );
    }
    if (d.movers.length) {
      const title =
        d.movers[0]!.basis === 'last-digest'
          ? 'Largest movers since the last digest'
          : 'Largest movers vs the same days last month';
      blocks.push(section(`*${title}*\n${d.movers.map((m) => `• ${slackText(moverLine(m), 300)}`).join('\n')}`));
    }
    if (d.alerts.groups.length) blocks.push(divider);
    for (const g of d.alerts.groups) {
      const lines = g.items.map((i) => {
        const emoji = i.status === 'resolved' ? RESOLVED_EMOJI : SEVERITY_EMOJI[i.severity];
        const title =
          link(i.url, i.title.length > 200 ? `${i.title.slice(0, 199)}…` : i.title) ?? slackText(i.title, 200);
        const meta = [i.detail, alertMeta(i, d.period.timeZone)].filter(Boolean).join(' · ');
        return `${emoji} ${title}\n${slackText(meta, 300)}`;
      });
      const heading = `*${escapeSlack(g.label)}* (${g.count}${g.resolved ? `, ${g.resolved} resolved` : ''})`;
      // Whole lines only: cutting the section at 3000 characters could split a link token.
      let body = heading;
      let shown = 0;
      for (const line of lines) {
        if (body.length + line.length + 40 > SLACK_LIMITS.sectionText) break;
        body += `\n${line}`;
        shown++;
      }
      const more = g.more + lines.length - shown;
      blocks.push(section(more ? `${body}\n…and ${more} more` : body));
    }
  }
  if (d.unavailable) blocks.push(context([slackText(d.unavailable, 500)]));
  const links = d.links.map((l) => link(l.url, l.label)).filter((l): l is string => l !== null);
  blocks.push(
    context([
      `${links.join(' · ')}`,
      `Times in ${escapeSlack(d.period.timeZone)} · digest for ${escapeSlack(d.receiver)}`,
    ]),
  );
  return { text, blocks: blocks.slice(0, SLACK_LIMITS.blocksPerMessage) };
}

function chartBlock(d: Digest, file: DigestSlackOptions['chartFile'], follows: boolean): SlackBlock {
  const alt = spendChartAlt(d.chart!);
  // alt_text is not a text object, but escaping it too keeps one rule: nothing from config or
  // messages reaches Slack raw (a budget name with `<` reads as `&lt;` to a screen reader at worst).
  if (file)
    return {
      type: 'image',
      slack_file: 'id' in file ? { id: file.id } : { url: file.url },
      alt_text: slackText(alt, 2000),
    };
  return context([`📈 ${slackText(alt, 2500)}${follows ? ' The chart is attached below.' : ''}`]);
}
