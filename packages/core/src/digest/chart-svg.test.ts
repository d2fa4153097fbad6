import { describe, expect, it } from 'vitest';
import {
  CHART_FONT_FAMILY,
  CHART_LAYOUT,
  compactMoney,
  spendChartAlt,
  spendChartSvg,
  type SpendChartData,
} from './chart-svg.ts';

const march: SpendChartData = {
  month: '2024-03',
  currency: 'USD',
  daily: Array.from({ length: 24 }, (_, i) => ({
    date: `2024-03-${String(i + 1).padStart(2, '0')}`,
    amount: i === 20 ? 900 : 350,
  })),
  budgets: [{ name: 'monthly-total', limit: 12000 }],
  forecast: 11900,
};

const texts = (svg: string) => [...svg.matchAll(/<text [^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
const attr = (el: string, name: string) => Number(new RegExp(` ${name}="([^"]+)"`).exec(el)![1]);

describe('spendChartSvg', () => {
  const svg = spendChartSvg(march);

  it('is a 720×360 document in the shipped font, with a title for screen readers', () => {
    expect(svg).toMatch(
      /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="720" height="360" viewBox="0 0 720 360" font-family="DejaVu Sans"/,
    );
    expect(CHART_FONT_FAMILY).toBe('DejaVu Sans');
    expect(svg).toContain(
      '<title>Spend in March 2024: $8,950 by 24 Mar, forecast $11,900 at month end; budget monthly-total $12,000.</title>',
    );
  });

  it('labels the title, the amounts, the budget, the forecast and the dates', () => {
    expect(texts(svg)).toEqual(
      expect.arrayContaining([
        'Spend in March 2024',
        '$0',
        '$5k',
        '$10k',
        '$15k',
        'monthly-total $12,000',
        'forecast $11,900',
        '$8,950',
        'daily',
        '$900',
        '1 Mar',
        '8 Mar',
        '15 Mar',
        '22 Mar',
        '29 Mar',
      ]),
    );
  });

  it('draws the budget line at its limit on the amount scale', () => {
    const { top, bottom } = CHART_LAYOUT.plot;
    const zero = /<line [^>]*y1="([\d.]+)"[^>]*stroke="#eaecf0"/.exec(svg)!;
    expect(Number(zero[1])).toBe(bottom);
    const budget = /<line x1="78" [^>]*stroke="#d92d20"[^>]*>/.exec(svg)![0];
    // The axis tops out at a round step above the largest value plus 8%: 12,960 → 15,000.
    const y = attr(budget, 'y1');
    const max = 15000;
    expect(Math.abs(y - (bottom - (12000 / max) * (bottom - top)))).toBeLessThan(0.01);
  });

  it('ends the cumulative line at month to date and the dashed forecast at the month’s end', () => {
    const line = /<polyline points="([^"]+)"/.exec(svg)![1]!.split(' ');
    expect(line).toHaveLength(25);
    const dashed = /<line [^>]*stroke-dasharray="6 5"[^>]*>/.exec(svg)![0];
    expect(attr(dashed, 'x2')).toBe(CHART_LAYOUT.plot.right);
    expect(`${attr(dashed, 'x1')},${attr(dashed, 'y1')}`).toBe(line.at(-1));
  });

  it('draws one bar per day with cost', () => {
    expect(svg.match(/<rect [^>]*fill="#84caff"/g)).toHaveLength(24);
  });

  it('escapes budget names', () => {
    const hostile = spendChartSvg({ ...march, budgets: [{ name: '</text><script>alert(1)</script>', limit: 5000 }] });
    expect(hostile).not.toContain('<script>');
    expect(hostile).toContain('&lt;/text&gt;&lt;script&gt;');
  });

  it('says so when the month has no cost data, and has no forecast line without a forecast', () => {
    const empty = spendChartSvg({ ...march, daily: [], forecast: null });
    expect(texts(empty)).toContain('No cost data for this month yet');
    expect(empty).not.toContain('<polyline');
    expect(empty).not.toContain('stroke-dasharray="6 5"');
  });

  it('ignores days outside the month', () => {
    const stray = spendChartSvg({ ...march, daily: [...march.daily, { date: '2024-04-01', amount: 99999 }] });
    expect(/<polyline points="([^"]+)"/.exec(stray)![1]!.split(' ')).toHaveLength(25);
  });

  it('ends the date axis on the 28th in a short February', () => {
    expect(texts(spendChartSvg({ ...march, month: '2023-02', daily: [] }))).toContain('28 Feb');
  });
});

describe('labels', () => {
  it('writes axis amounts short', () => {
    expect([0, 800, 2500, 12000, 1_250_000].map((v) => compactMoney(v, 'USD'))).toEqual([
      '$0',
      '$800',
      '$2.5k',
      '$12k',
      '$1.3M',
    ]);
    expect(compactMoney(12000, 'EUR')).toBe('€12k');
    expect(compactMoney(1500, 'CHF')).toBe('1.5k CHF');
  });

  it('describes a chart without budgets or data', () => {
    expect(spendChartAlt({ month: '2024-02', currency: 'EUR', daily: [], budgets: [], forecast: null })).toBe(
      'Spend in February 2024: no cost data yet.',
    );
  });
});
