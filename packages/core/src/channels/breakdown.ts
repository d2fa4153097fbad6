import type { Enrichment } from '../enrich/types.ts';
import { formatMoney } from '../normalize/common.ts';
import { formatChange } from './facts.ts';
import { sparkline } from './sparkline.ts';

/** One service row: `Amazon EC2  $1,234.56  ▲ 12%`. Text is unescaped. */
export interface ServiceRow {
  name: string;
  cost: string;
  change: string | null;
}

/**
 * The cost context of an alert in the words every channel shows: top services with their
 * change, month to date against the previous period, the daily sparkline and the forecast.
 * Each part is null when the enrichment lacks it.
 */
export interface BreakdownView {
  services: ServiceRow[];
  /** `$1,234.56 (▲ 12% vs the same days last month)` */
  monthToDate: string | null;
  /** `▁▂▃▅▇█`, with the first and last day and the range. */
  daily: { spark: string; from: string; to: string; low: string; high: string } | null;
  /** `$2,400.00 (80% interval $2,100.00–$2,700.00)` */
  forecast: string | null;
  /** Why part of the breakdown is missing. */
  unavailable: string | null;
}

/** Service names get long (`Amazon Elastic Compute Cloud - Compute`); rows stay readable at this width. */
const SERVICE_NAME_WIDTH = 40;

/** Turns an enrichment into the rows and lines renderers show. */
export function breakdownView(enrichment: Enrichment): BreakdownView {
  const money = (amount: number) => formatMoney({ amount, currency: enrichment.currency });
  const services = enrichment.services.map((s) => ({
    name: s.name.length > SERVICE_NAME_WIDTH ? `${s.name.slice(0, SERVICE_NAME_WIDTH - 1)}…` : s.name,
    cost: formatMoney(s.cost),
    change: s.previous && s.previous.amount === 0 && s.cost.amount > 0 ? 'new' : formatChange(s.changePercent),
  }));
  let monthToDate: string | null = null;
  if (enrichment.monthToDate) {
    const prev = enrichment.previousPeriod;
    const change =
      prev && prev.amount !== 0
        ? formatChange(((enrichment.monthToDate.amount - prev.amount) / prev.amount) * 100)
        : null;
    monthToDate = `${formatMoney(enrichment.monthToDate)}${change ? ` (${change} vs the same days last month)` : ''}`;
  }
  const amounts = enrichment.daily.map((d) => d.amount);
  const daily =
    enrichment.daily.length > 1
      ? {
          spark: sparkline(amounts),
          from: enrichment.daily[0]!.date,
          to: enrichment.daily[enrichment.daily.length - 1]!.date,
          low: money(Math.min(...amounts)),
          high: money(Math.max(...amounts)),
        }
      : null;
  const f = enrichment.forecast;
  const forecast = f
    ? `${formatMoney(f.total)}${f.lower && f.upper ? ` (80% interval ${formatMoney(f.lower)}–${formatMoney(f.upper)})` : ''}`
    : null;
  return { services, monthToDate, daily, forecast, unavailable: enrichment.unavailable };
}

/** Whether the view has anything beyond the unavailable note. */
export function hasBreakdown(view: BreakdownView): boolean {
  return view.services.length > 0 || view.monthToDate !== null || view.daily !== null || view.forecast !== null;
}

/** Service rows as aligned monospace lines, for Slack code blocks and the plain-text email. */
export function serviceLines(rows: ServiceRow[]): string[] {
  const nameWidth = Math.max(0, ...rows.map((r) => r.name.length));
  const costWidth = Math.max(0, ...rows.map((r) => r.cost.length));
  return rows.map(
    (r) => `${r.name.padEnd(nameWidth)}  ${r.cost.padStart(costWidth)}${r.change ? `  ${r.change}` : ''}`,
  );
}
