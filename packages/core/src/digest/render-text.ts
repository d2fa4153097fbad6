import { serviceLines } from '../channels/breakdown.ts';
import { formatChange, formatPercent } from '../channels/facts.ts';
import { sparkline } from '../channels/sparkline.ts';
import { formatMoney } from '../normalize/common.ts';
import type { Digest, DigestAlertItem, DigestBudget, DigestMover } from './build.ts';

/**
 * The digest as plain text (the email's text part, logs, the CLI), and the one-line wordings
 * the email and Slack renderers share, so every channel says the same thing. Output is unescaped.
 */

const LEVEL_TEXT: Record<DigestBudget['level'], string> = { over: 'OVER', 'at-risk': 'at risk', ok: '', unknown: '' };

/** `monthly-total: $8,123.45 of $12,000.00 (68%), forecast $11,850.00 (99%)` */
export function budgetLine(b: DigestBudget): string {
  return `${budgetName(b)}: ${budgetAmounts(b)}`;
}

/** `data-lake-monthly (account 222222222222)` */
export function budgetName(b: DigestBudget): string {
  return `${b.name}${b.account ? ` (account ${b.account})` : ''}`;
}

/** `$8,123.45 of $12,000.00 (68%), forecast $11,850.00 (99%)`, or the limit when spend is unknown. */
export function budgetAmounts(b: DigestBudget): string {
  const period = b.period === 'monthly' ? '' : ` ${b.period}`;
  if (!b.actual) return `${formatMoney(b.limit)}${period} limit, spend not known`;
  const pct = b.percent !== null ? ` (${formatPercent(b.percent)})` : '';
  const forecast = b.forecasted
    ? `, forecast ${formatMoney(b.forecasted)}${b.forecastPercent !== null ? ` (${formatPercent(b.forecastPercent)})` : ''}`
    : '';
  const from = b.source === 'alert' ? ', as of its latest alert' : '';
  return `${formatMoney(b.actual)} of ${formatMoney(b.limit)}${period}${pct}${forecast}${from}`;
}

/** `over`, `at risk`, or '' */
export function budgetLevelText(b: DigestBudget): string {
  return LEVEL_TEXT[b.level];
}

/** `Amazon EC2: ▲ $412.00 more than its daily average before the last digest (▲ 35%)` */
export function moverLine(m: DigestMover): string {
  const more = m.delta.amount >= 0;
  const amount = formatMoney({ amount: Math.abs(m.delta.amount), currency: m.delta.currency });
  const against =
    m.basis === 'last-digest'
      ? `${more ? 'more' : 'less'} than its daily average before the last digest`
      : `${more ? 'more' : 'less'} than the same days last month`;
  const pct = formatChange(m.changePercent);
  return `${m.name}: ${more ? '▲' : '▼'} ${amount} ${against}${pct ? ` (${pct})` : ''}`;
}

/** `31 Mar 14:20` in the digest's time zone: the reader's, not UTC. */
export function localTime(iso: string, timeZone: string): string {
  const f = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  return f.format(new Date(iso)).replace(',', '');
}

/** `critical · production · 31 Mar 14:20` */
export function alertMeta(item: DigestAlertItem, timeZone: string): string {
  return [item.status === 'resolved' ? 'resolved' : item.severity, item.account, localTime(item.occurredAt, timeZone)]
    .filter(Boolean)
    .join(' · ');
}

/** The spend block's lines: month to date, forecast, the daily sparkline. */
export function spendLines(d: Digest): Array<{ label: string; value: string }> {
  const lines: Array<{ label: string; value: string }> = [];
  const s = d.spend;
  if (!s) return lines;
  if (s.monthToDate)
    lines.push({
      label: 'Month to date',
      value: `${formatMoney(s.monthToDate)}${s.changePercent !== null ? ` (${formatChange(s.changePercent)} vs the same days last month)` : ''}`,
    });
  if (s.forecast) {
    const f = s.forecast;
    lines.push({
      label: 'Month-end forecast',
      value: `${formatMoney(f.total)}${f.lower && f.upper ? ` (80% interval ${formatMoney(f.lower)}–${formatMoney(f.upper)})` : ''}`,
    });
  }
  if (d.chart && d.chart.daily.length > 1) {
    const amounts = d.chart.daily.map((x) => x.amount);
    lines.push({
      label: 'Daily spend',
      value: `${sparkline(amounts)}  ${d.chart.daily[0]!.date} → ${d.chart.daily[d.chart.daily.length - 1]!.date}`,
    });
  }
  return lines;
}

/**
 * The digest as plain text. An empty period gives the all-quiet line with where spend stands,
 * nothing more.
 * @example renderDigestText(digest).split('\n')[0] // 'Daily spend digest: Sunday 31 March 2024'
 */
export function renderDigestText(d: Digest): string {
  const out: string[] = [d.title, '', d.summary];
  const section = (title: string, lines: string[]) => {
    if (lines.length) out.push('', title, ...lines.map((l) => `  ${l}`));
  };
  if (!d.empty) {
    const spend = spendLines(d);
    const width = Math.max(0, ...spend.map((l) => l.label.length));
    section(
      'SPEND',
      spend.map((l) => `${`${l.label}:`.padEnd(width + 2)}${l.value}`),
    );
  }
  section(
    'BUDGETS',
    d.budgets.map((b) => `${budgetLine(b)}${budgetLevelText(b) ? ` [${budgetLevelText(b)}]` : ''}`),
  );
  if (!d.empty) {
    section(
      'TOP SERVICES (month to date, change vs the same days last month)',
      serviceLines(
        d.services.map((s) => ({ name: s.name, cost: formatMoney(s.cost), change: formatChange(s.changePercent) })),
      ),
    );
    section(
      d.movers[0]?.basis === 'last-digest'
        ? 'LARGEST MOVERS (since the last digest)'
        : 'LARGEST MOVERS (vs the same days last month)',
      d.movers.map(moverLine),
    );
    for (const g of d.alerts.groups) {
      const lines = g.items.flatMap((i) => [
        `- ${i.title}`,
        `  ${[i.detail, alertMeta(i, d.period.timeZone)].filter(Boolean).join(' · ')}`,
      ]);
      if (g.more) lines.push(`…and ${g.more} more`);
      section(`${g.label.toUpperCase()} (${g.count}${g.resolved ? `, ${g.resolved} resolved` : ''})`, lines);
    }
  }
  if (d.unavailable) out.push('', `Note: ${d.unavailable}`);
  section(
    'LINKS',
    d.links.map((l) => `${l.label}: ${l.url}`),
  );
  out.push('', `Times in ${d.period.timeZone}. Digest for ${d.receiver}, sent by spend-alerts.`);
  return `${out.join('\n')}\n`;
}
