import { existsSync } from 'node:fs';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
// Not yet exported from @spend-alerts/core; import from there once index.ts exports the digest.
import {
  CHART_FONT_FAMILY,
  CHART_HEIGHT,
  CHART_LAYOUT,
  CHART_WIDTH,
  spendChartSvg,
  type SpendChartData,
} from '@spend-alerts/core';
import { ChartRenderError, SHIPPED_FONT, svgToPng } from './png.ts';

const march: SpendChartData = {
  month: '2024-03',
  currency: 'USD',
  daily: Array.from({ length: 24 }, (_, i) => ({
    date: `2024-03-${String(i + 1).padStart(2, '0')}`,
    amount: 330 + 60 * Math.sin(i) + (i === 20 ? 500 : 0),
  })),
  budgets: [{ name: 'monthly-total', limit: 12000 }],
  forecast: 11850,
};

interface Region {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

const SCALE = 2;
const decode = (png: Buffer) => PNG.sync.read(png);

/** Pixels in a region (SVG units) that match a predicate on their colour. */
function count(image: PNG, r: Region, match: (rgb: [number, number, number]) => boolean): number {
  let n = 0;
  for (let y = Math.round(r.y0 * SCALE); y < Math.round(r.y1 * SCALE); y++) {
    for (let x = Math.round(r.x0 * SCALE); x < Math.round(r.x1 * SCALE); x++) {
      const i = (y * image.width + x) * 4;
      if (match([image.data[i]!, image.data[i + 1]!, image.data[i + 2]!])) n++;
    }
  }
  return n;
}

const ink = ([r, g, b]: [number, number, number]) => r < 235 || g < 235 || b < 235;
/** Near a colour, allowing for anti-aliasing. */
const near = (hex: string) => {
  const [R, G, B] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return ([r, g, b]: [number, number, number]) =>
    Math.abs(r - R!) < 24 && Math.abs(g - G!) < 24 && Math.abs(b - B!) < 24;
};

const { plot, daily, axis } = CHART_LAYOUT;
const REGIONS = {
  title: { x0: 16, y0: 8, x1: 260, y1: 38 },
  legend: { x0: 380, y0: 14, x1: 710, y1: 38 },
  amounts: { x0: 0, y0: plot.top - 10, x1: plot.left - 4, y1: plot.bottom + 8 },
  dates: { x0: plot.left - 20, y0: axis.top, x1: CHART_WIDTH, y1: axis.bottom + 6 },
  plot: { x0: plot.left, y0: plot.top, x1: plot.right, y1: plot.bottom },
  bars: { x0: daily.left, y0: daily.top, x1: daily.right, y1: daily.bottom },
} satisfies Record<string, Region>;

const withoutText = (svg: string) => svg.replace(/<text [^>]*>[^<]*<\/text>/g, '');

describe('svgToPng', () => {
  const svg = spendChartSvg(march);
  const image = decode(svgToPng(svg));
  const bare = decode(svgToPng(withoutText(svg)));

  it('ships the font the chart names', () => {
    expect(existsSync(SHIPPED_FONT.file)).toBe(true);
    expect(SHIPPED_FONT.family).toBe(CHART_FONT_FAMILY);
  });

  it('renders at twice the SVG size', () => {
    expect([image.width, image.height]).toEqual([CHART_WIDTH * SCALE, CHART_HEIGHT * SCALE]);
  });

  it('draws the labels: ink in the title, legend, amount and date regions', () => {
    for (const region of ['title', 'legend', 'amounts', 'dates'] as const) {
      expect(count(image, REGIONS[region], ink), region).toBeGreaterThan(300);
    }
  });

  it('draws nothing there once the text is removed: the ink above is glyphs', () => {
    for (const region of ['title', 'amounts', 'dates'] as const) {
      expect(count(bare, REGIONS[region], ink), region).toBe(0);
    }
    // The legend keeps its swatches, which are lines, not text.
    expect(count(bare, REGIONS.legend, ink)).toBeLessThan(count(image, REGIONS.legend, ink) / 3);
  });

  it('draws the plot: the spend line and area, the budget line, the daily bars', () => {
    expect(count(image, REGIONS.plot, near('#1570ef'))).toBeGreaterThan(2000);
    expect(count(image, REGIONS.plot, near('#d1e9ff'))).toBeGreaterThan(50_000);
    expect(count(image, REGIONS.plot, near('#d92d20'))).toBeGreaterThan(1000);
    expect(count(image, REGIONS.bars, near('#84caff'))).toBeGreaterThan(20_000);
    // Text does not draw the plot: without it, the plot is nearly the same.
    expect(count(bare, REGIONS.plot, near('#1570ef'))).toBeGreaterThan(
      count(image, REGIONS.plot, near('#1570ef')) * 0.8,
    );
  });

  it('renders the same bytes twice', () => {
    expect(svgToPng(svg).equals(svgToPng(svg))).toBe(true);
  });

  it('fails loudly without its font, rather than drawing a chart with no labels', () => {
    expect(() => svgToPng(svg, { fontFile: '/nonexistent/DejaVuSans.ttf' })).toThrow(ChartRenderError);
  });

  it('reports an unreadable SVG as a ChartRenderError', () => {
    expect(() => svgToPng('<svg')).toThrow(ChartRenderError);
  });
});
