import { escapeHtml } from '../channels/escape.ts';

/**
 * The digest's chart as an SVG, built by hand: it is small, and a charting library would bring a
 * DOM or a canvas. The main panel draws spend as a cumulative month-to-date line against each
 * budget's limit as a horizontal line, because that is the question a reader asks ("will we stay
 * under the budget?") and a line approaching a line answers it at a glance; daily bars against a
 * pro-rated limit answer it only after mental arithmetic. A dashed line continues to the forecast
 * at month end. A strip below shows the daily amounts as bars, on their own scale, so a spike on
 * one day stays visible even when the cumulative line hides it.
 *
 * All text uses {@link CHART_FONT_FAMILY}, the one font the rasterizer is given (Lambda has no
 * system fonts).
 */

/** The font family every text element names; the adapter ships and loads this font file. */
export const CHART_FONT_FAMILY = 'DejaVu Sans';
export const CHART_WIDTH = 720;
export const CHART_HEIGHT = 360;

/** What the chart shows; amounts in `currency`. */
export interface SpendChartData {
  /** The month shown, `YYYY-MM`. */
  month: string;
  currency: string;
  /** Daily cost from the first of the month, oldest first (gaps allowed). */
  daily: Array<{ date: string; amount: number }>;
  /** Monthly budgets measured over the same cost as `daily`. */
  budgets: Array<{ name: string; limit: number }>;
  /** Month-end forecast, when known. */
  forecast: number | null;
}

/** Plot areas, in SVG units. Exported so tests can look for pixels where they belong. */
export const CHART_LAYOUT = {
  title: { x: 16, y: 8, width: 688, height: 30 },
  plot: { left: 78, right: 700, top: 56, bottom: 232 },
  daily: { left: 78, right: 700, top: 256, bottom: 312 },
  axis: { top: 318, bottom: 340 },
} as const;

/** Sizes for a chart shown at 550–720 px wide: an email column shrinks it to about three quarters. */
const SIZE = { title: 21, label: 14, small: 13 };
const COLORS = {
  text: '#101828',
  muted: '#667085',
  grid: '#eaecf0',
  spend: '#1570ef',
  area: '#d1e9ff',
  bar: '#84caff',
};
const BUDGET_COLORS = ['#d92d20', '#dc6803', '#7a5af8', '#039855'];

/**
 * The SVG document for a month of spend.
 * @example spendChartSvg({ month: '2024-03', currency: 'USD', daily, budgets: [{ name: 'total', limit: 12000 }], forecast: 11800 })
 */
export function spendChartSvg(data: SpendChartData): string {
  const { plot, daily: strip, axis } = CHART_LAYOUT;
  const days = daysInMonth(data.month);
  const slot = (plot.right - plot.left) / days;
  const series = dailySeries(data, days);
  const cumulative = runningTotal(series);
  const spent = cumulative.length ? cumulative[cumulative.length - 1]!.total : 0;
  const top = niceMax(Math.max(spent, data.forecast ?? 0, ...data.budgets.map((b) => b.limit), 1) * 1.08);
  const y = (v: number) => plot.bottom - (v / top) * (plot.bottom - plot.top);
  const xEnd = (day: number) => plot.left + day * slot;
  const axisMoney = (v: number) => compactMoney(v, data.currency);
  const money = (v: number) => wholeMoney(v, data.currency);
  const parts: string[] = [];

  parts.push(`<rect width="${CHART_WIDTH}" height="${CHART_HEIGHT}" fill="#ffffff"/>`);
  parts.push(text(16, 31, `Spend in ${monthName(data.month)}`, { size: SIZE.title }));
  parts.push(legend(data));

  // Grid and y labels of the main panel.
  for (const v of ticks(top)) {
    parts.push(
      `<line x1="${plot.left}" y1="${r(y(v))}" x2="${plot.right}" y2="${r(y(v))}" stroke="${COLORS.grid}" stroke-width="1"/>`,
    );
    parts.push(text(plot.left - 8, y(v) + 4, axisMoney(v), { size: SIZE.small, anchor: 'end', color: COLORS.muted }));
  }

  // Budget lines and their labels are placed first: the other labels keep clear of them.
  const budgetLines = [...data.budgets]
    .sort((a, b) => b.limit - a.limit)
    .map((b, i) => ({ ...b, color: BUDGET_COLORS[i % BUDGET_COLORS.length]!, ly: y(b.limit) }));
  const taken: Box[] = budgetLines.map((b) => ({ x0: plot.left, x1: plot.right, y0: b.ly - 1, y1: b.ly + 1 }));
  const budgetLabels = budgetLines.map((b) => {
    const content = `${truncateLabel(b.name)} ${money(b.limit)}`;
    // Above its line, at the left where the cumulative line is low; below it when that is taken.
    const spot = placeLabel(
      content,
      [
        { x: plot.left + 6, y: b.ly - 5 },
        { x: plot.left + 6, y: b.ly + 15 },
      ],
      taken,
    );
    return text(spot.x, spot.y, content, { size: SIZE.label, color: b.color });
  });

  if (cumulative.length) {
    const points = [`${r(plot.left)},${r(y(0))}`, ...cumulative.map((c) => `${r(xEnd(c.day))},${r(y(c.total))}`)];
    const last = cumulative[cumulative.length - 1]!;
    const [px, py] = [xEnd(last.day), y(last.total)];
    parts.push(`<polygon points="${points.join(' ')} ${r(px)},${r(y(0))}" fill="${COLORS.area}" fill-opacity="0.6"/>`);
    parts.push(
      `<polyline points="${points.join(' ')}" fill="none" stroke="${COLORS.spend}" stroke-width="2.5" stroke-linejoin="round"/>`,
    );
    parts.push(`<circle cx="${r(px)}" cy="${r(py)}" r="4" fill="${COLORS.spend}"/>`);
    taken.push({ x0: px - 5, x1: px + 5, y0: py - 5, y1: py + 5 });
    const forecastEnd = data.forecast !== null && last.day < days ? { x: xEnd(days), y: y(data.forecast) } : null;
    // The dashed forecast line, as small boxes along it, so no label is drawn across it.
    if (forecastEnd) {
      const steps = Math.ceil((forecastEnd.x - px) / 8);
      for (let i = 0; i <= steps; i++) {
        const [lx, ly] = [px + ((forecastEnd.x - px) * i) / steps, py + ((forecastEnd.y - py) * i) / steps];
        taken.push({ x0: lx - 1, x1: lx + 1, y0: ly - 1.5, y1: ly + 1.5 });
      }
    }
    // The rising line lies below and left of its last point: its label goes below-right, else above-left.
    const spentText = money(last.total);
    const spent = placeLabel(
      spentText,
      [
        { x: px + 8, y: py + 17 },
        { x: px - 8, y: py - 9, anchor: 'end' },
        { x: px - 8, y: py - 25, anchor: 'end' },
        { x: px + 10, y: py - 12 },
        { x: px + 8, y: py + 33 },
      ],
      taken,
    );
    parts.push(text(spent.x, spent.y, spentText, { size: SIZE.label, anchor: spent.anchor, color: COLORS.text }));
    if (data.forecast !== null && forecastEnd) {
      const [fx, fy] = [forecastEnd.x, forecastEnd.y];
      parts.push(
        `<line x1="${r(px)}" y1="${r(py)}" x2="${r(fx)}" y2="${r(fy)}" stroke="${COLORS.spend}" stroke-width="2" stroke-dasharray="6 5"/>`,
      );
      const forecastText = `forecast ${money(data.forecast)}`;
      const spot = placeLabel(
        forecastText,
        [
          { x: fx - 2, y: fy + 18, anchor: 'end' },
          { x: fx - 2, y: fy - 8, anchor: 'end' },
          { x: fx - 2, y: fy + 34, anchor: 'end' },
          { x: fx - 2, y: fy - 24, anchor: 'end' },
        ],
        taken,
      );
      parts.push(text(spot.x, spot.y, forecastText, { size: SIZE.label, anchor: 'end', color: COLORS.spend }));
    }
  } else {
    parts.push(
      text((plot.left + plot.right) / 2, (plot.top + plot.bottom) / 2, 'No cost data for this month yet', {
        size: SIZE.label,
        anchor: 'middle',
        color: COLORS.muted,
      }),
    );
  }

  // Budget lines over the area, so they stay visible where spend has passed them.
  for (const b of budgetLines) {
    parts.push(
      `<line x1="${plot.left}" y1="${r(b.ly)}" x2="${plot.right}" y2="${r(b.ly)}" stroke="${b.color}" stroke-width="1.5" stroke-dasharray="8 4"/>`,
    );
  }
  parts.push(...budgetLabels);

  parts.push(
    `<line x1="${plot.left}" y1="${plot.bottom}" x2="${plot.right}" y2="${plot.bottom}" stroke="${COLORS.muted}" stroke-width="1"/>`,
  );

  // The daily strip, on its own scale.
  const dailyMax = Math.max(0, ...series.map((s) => s.amount));
  // Its scale is one gridline at the largest day, labelled like the main axis; "daily" names it.
  parts.push(text(plot.left - 8, strip.bottom - 2, 'daily', { size: SIZE.small, anchor: 'end', color: COLORS.muted }));
  if (dailyMax > 0) {
    parts.push(
      `<line x1="${strip.left}" y1="${strip.top}" x2="${strip.right}" y2="${strip.top}" stroke="${COLORS.grid}" stroke-width="1"/>`,
    );
    parts.push(
      text(plot.left - 8, strip.top + 4, axisMoney(dailyMax), { size: SIZE.small, anchor: 'end', color: COLORS.muted }),
    );
    for (const s of series) {
      const h = (s.amount / dailyMax) * (strip.bottom - strip.top);
      if (h <= 0) continue;
      parts.push(
        `<rect x="${r(xEnd(s.day - 1) + slot * 0.15)}" y="${r(strip.bottom - h)}" width="${r(slot * 0.7)}" height="${r(h)}" fill="${COLORS.bar}"/>`,
      );
    }
  }
  parts.push(
    `<line x1="${strip.left}" y1="${strip.bottom}" x2="${strip.right}" y2="${strip.bottom}" stroke="${COLORS.muted}" stroke-width="1"/>`,
  );

  // Dates under both panels: every seventh day from the first, and the last.
  const label = shortMonth(data.month);
  for (const day of dateTicks(days)) {
    const x = xEnd(day - 0.5);
    parts.push(
      `<line x1="${r(x)}" y1="${strip.bottom}" x2="${r(x)}" y2="${strip.bottom + 4}" stroke="${COLORS.muted}" stroke-width="1"/>`,
    );
    parts.push(text(x, axis.top + 14, `${day} ${label}`, { size: SIZE.small, anchor: 'middle', color: COLORS.muted }));
  }

  return `<svg xmlns="http://www.w3.org/2000/svg" width="${CHART_WIDTH}" height="${CHART_HEIGHT}" viewBox="0 0 ${CHART_WIDTH} ${CHART_HEIGHT}" font-family="${CHART_FONT_FAMILY}" role="img">
<title>${escapeHtml(spendChartAlt(data))}</title>
${parts.join('\n')}
</svg>
`;
}

/**
 * The chart in one sentence, for `alt` text and screen readers.
 * @example 'Spend in March 2024: $8,123 by 24 March, forecast $11,900 at month end; budget monthly-total $12,000.'
 */
export function spendChartAlt(data: SpendChartData): string {
  const days = daysInMonth(data.month);
  const cumulative = runningTotal(dailySeries(data, days));
  const last = cumulative[cumulative.length - 1];
  const money = (v: number) => wholeMoney(v, data.currency);
  const parts = [last ? `${money(last.total)} by ${last.day} ${shortMonth(data.month)}` : 'no cost data yet'];
  if (data.forecast !== null) parts.push(`forecast ${money(data.forecast)} at month end`);
  const budgets = data.budgets.map((b) => `${b.name} ${money(b.limit)}`);
  return `Spend in ${monthName(data.month)}: ${parts.join(', ')}${budgets.length ? `; ${budgets.length === 1 ? 'budget' : 'budgets'} ${budgets.join(', ')}` : ''}.`;
}

function legend(data: SpendChartData): string {
  const items: Array<[string, string]> = [
    ['month to date', `<line x1="0" y1="-4" x2="18" y2="-4" stroke="${COLORS.spend}" stroke-width="2.5"/>`],
  ];
  if (data.forecast !== null)
    items.push([
      'forecast',
      `<line x1="0" y1="-4" x2="18" y2="-4" stroke="${COLORS.spend}" stroke-width="2" stroke-dasharray="5 3"/>`,
    ]);
  if (data.budgets.length)
    items.push([
      data.budgets.length === 1 ? 'budget' : 'budgets',
      `<line x1="0" y1="-4" x2="18" y2="-4" stroke="${BUDGET_COLORS[0]}" stroke-width="1.5" stroke-dasharray="6 3"/>`,
    ]);
  // Right-aligned: DejaVu Sans averages about 0.6 em per character; plus the swatch and a gap.
  let x = CHART_WIDTH - 20;
  const out: string[] = [];
  for (const [name, swatch] of items.reverse()) {
    x -= name.length * SIZE.label * 0.6 + 24;
    out.push(
      `<g transform="translate(${r(x)},30)">${swatch}${text(24, 0, name, { size: SIZE.label, color: COLORS.muted })}</g>`,
    );
    x -= 12;
  }
  return out.join('');
}

/** No weights: the one shipped font is the regular cut, and resvg does not embolden. */
interface TextStyle {
  size: number;
  anchor?: 'start' | 'middle' | 'end';
  color?: string;
}

function text(x: number, y: number, content: string, s: TextStyle): string {
  const anchor = s.anchor && s.anchor !== 'start' ? ` text-anchor="${s.anchor}"` : '';
  return `<text x="${r(x)}" y="${r(y)}" font-size="${s.size}"${anchor} fill="${s.color ?? COLORS.text}">${escapeHtml(content)}</text>`;
}

interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/**
 * The first candidate spot whose text box stays inside the plot and clear of what is already
 * there (budget lines, other labels), which it then takes; the first candidate when none is.
 * Text width is estimated (DejaVu Sans averages about 0.6 em per character).
 */
function placeLabel(
  content: string,
  candidates: Array<{ x: number; y: number; anchor?: 'start' | 'end' }>,
  taken: Box[],
): { x: number; y: number; anchor: 'start' | 'end' } {
  const { plot } = CHART_LAYOUT;
  const width = content.length * SIZE.label * 0.6;
  const boxOf = (c: (typeof candidates)[number]): Box => {
    const x0 = c.anchor === 'end' ? c.x - width : c.x;
    return { x0, x1: x0 + width, y0: c.y - SIZE.label, y1: c.y + 3 };
  };
  const fits = (b: Box) =>
    b.x0 >= plot.left &&
    b.x1 <= plot.right + 2 &&
    b.y0 >= plot.top - 8 &&
    b.y1 <= plot.bottom - 2 &&
    !taken.some((t) => b.x0 < t.x1 && t.x0 < b.x1 && b.y0 < t.y1 && t.y0 < b.y1);
  const chosen = candidates.find((c) => fits(boxOf(c))) ?? candidates[0]!;
  taken.push(boxOf(chosen));
  return { x: chosen.x, y: chosen.y, anchor: chosen.anchor ?? 'start' };
}

/** Amounts per day of the month (1-based), for the days of `month` only. */
function dailySeries(data: SpendChartData, days: number): Array<{ day: number; amount: number }> {
  const byDay = new Map<number, number>();
  for (const d of data.daily) {
    if (!d.date.startsWith(`${data.month}-`) || !Number.isFinite(d.amount)) continue;
    const day = Number(d.date.slice(8, 10));
    if (day >= 1 && day <= days) byDay.set(day, (byDay.get(day) ?? 0) + d.amount);
  }
  return [...byDay].sort((a, b) => a[0] - b[0]).map(([day, amount]) => ({ day, amount }));
}

function runningTotal(series: Array<{ day: number; amount: number }>): Array<{ day: number; total: number }> {
  let total = 0;
  return series.map((s) => {
    total += s.amount;
    return { day: s.day, total };
  });
}

/** A round axis maximum: 1, 2, 2.5 or 5 times a power of ten, at or above `value`. */
function niceMax(value: number): number {
  const step = niceStep(value / 4);
  return Math.ceil(value / step) * step;
}

function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  return ([1, 2, 2.5, 5, 10].find((m) => m * power >= raw) ?? 10) * power;
}

function ticks(max: number): number[] {
  const step = niceStep(max / 4);
  const out: number[] = [];
  for (let v = 0; v <= max + step / 1000; v += step) out.push(v);
  return out;
}

/** Weekly from the first; the last tick is the 29th, or the 28th in a short February. */
function dateTicks(days: number): number[] {
  return [1, 8, 15, 22, Math.min(29, days)];
}

/** Symbols the shipped font has, for axis labels that must fit the 70-unit margin. */
const SYMBOLS: Record<string, string> = { USD: '$', EUR: '€', GBP: '£', JPY: '¥', INR: '₹' };

/** `$12k`, `€2.5k`, `$800`, `1.2M CHF`: axis labels stay short. */
export function compactMoney(value: number, currency: string): string {
  const abs = Math.abs(value);
  const [n, suffix] = abs >= 1e6 ? [abs / 1e6, 'M'] : abs >= 1e3 ? [abs / 1e3, 'k'] : [abs, ''];
  const digits = suffix ? String(Math.round(n * 10) / 10) : String(Math.round(n));
  const sign = value < 0 ? '-' : '';
  const symbol = SYMBOLS[currency];
  return symbol ? `${sign}${symbol}${digits}${suffix}` : `${sign}${digits}${suffix} ${currency}`;
}

/** `$8,123`: whole units, for labels where cents are noise. */
function wholeMoney(value: number, currency: string): string {
  const digits = Math.round(Math.abs(value)).toLocaleString('en-US');
  const sign = value < 0 ? '-' : '';
  return currency === 'USD' ? `${sign}$${digits}` : `${sign}${digits} ${currency}`;
}

function truncateLabel(name: string): string {
  return name.length > 40 ? `${name.slice(0, 39)}…` : name;
}

function daysInMonth(month: string): number {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y!, m!, 0)).getUTCDate();
}

function monthName(month: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', month: 'long', year: 'numeric' }).format(
    new Date(`${month}-01T00:00:00Z`),
  );
}

function shortMonth(month: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', month: 'short' }).format(
    new Date(`${month}-01T00:00:00Z`),
  );
}

/** Two decimals are plenty at 720 px and keep the document small and stable. */
function r(n: number): string {
  return String(Math.round(n * 100) / 100);
}
