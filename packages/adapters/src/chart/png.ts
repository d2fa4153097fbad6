import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';
import { AdapterError } from '../errors.ts';

/**
 * Rasterizes chart SVGs to PNG with resvg (Rust, prebuilt for linux x64 and arm64 glibc, no
 * download at install or run time). Lambda has no system fonts, and resvg silently drops text it
 * has no font for, so the one shipped font is loaded explicitly and system fonts never are: what
 * renders here renders the same on a laptop and in Lambda.
 */

/** The font shipped with the adapters (DejaVu Sans 2.37, Bitstream Vera licence, see LICENSE beside it). */
export const SHIPPED_FONT = {
  file: fileURLToPath(new URL('../../assets/fonts/DejaVuSans.ttf', import.meta.url)),
  /** Must equal the family the chart SVG names (core's `CHART_FONT_FAMILY`). */
  family: 'DejaVu Sans',
} as const;

export class ChartRenderError extends AdapterError {}

export interface PngOptions {
  /**
   * The TTF to render text with. A bundled Lambda resolves paths from its bundle, not from this
   * file: copy `packages/adapters/assets/fonts` into the bundle and pass the copied path.
   */
  fontFile?: string;
  /** Pixels per SVG unit; 2 gives a sharp image on high-density screens at the SVG's size. */
  scale?: number;
}

/**
 * Renders an SVG document to a PNG, text in the shipped font only.
 * @example await writeFile('chart.png', svgToPng(spendChartSvg(data)))
 */
export function svgToPng(svg: string, options: PngOptions = {}): Buffer {
  const fontFile = options.fontFile ?? SHIPPED_FONT.file;
  // Without this check a missing font gives a chart with no labels, and no error.
  if (!existsSync(fontFile)) throw new ChartRenderError(`chart font not found: ${fontFile}`);
  try {
    const resvg = new Resvg(svg, {
      fitTo: { mode: 'zoom', value: options.scale ?? 2 },
      font: {
        fontFiles: [fontFile],
        loadSystemFonts: false,
        defaultFontFamily: SHIPPED_FONT.family,
        sansSerifFamily: SHIPPED_FONT.family,
      },
      logLevel: 'off',
    });
    return resvg.render().asPng();
  } catch (error) {
    throw new ChartRenderError(`chart rendering failed: ${(error as Error).message}`, { cause: error });
  }
}
