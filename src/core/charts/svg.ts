/**
 * A line chart as a standalone SVG file (RSS and CPU over time, latency over time) for the report
 * folder. Dependency-free and pure: a string from numbers, so it renders the same in every runtime
 * and a browser, an image viewer or a CI artifact preview opens it without scripts or fonts to load.
 *
 * Deliberately small: linear axes with "nice" ticks (1, 2, 5 × 10^k), one polyline per series, a
 * legend. Non-finite points (a failed sample) are left out, so the line joins its neighbours.
 * The axes and text helpers are shared with the percentile-band chart (band-chart.ts).
 */
import { escapeXml } from '../report/junit.js';

export interface ChartSeries {
  name: string;
  points: readonly { x: number; y: number }[];
}

export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly ChartSeries[];
  /** Pixels; default 720. */
  width?: number;
  /** Pixels; default 400. */
  height?: number;
  /**
   * Start the y axis at 0 (default true): memory or latency drawn from 0 shows growth in proportion;
   * false zooms onto the data's range.
   */
  yFromZero?: boolean;
  /**
   * 'log2' spreads x by its base-2 logarithm, ticks at powers of two: a sweep over 1, 2, 4 … 64
   * concurrent streams gets evenly spaced levels (x must be > 0; other points are left out).
   */
  xScale?: 'linear' | 'log2';
}

/** Okabe–Ito colours: distinguishable with the common colour-vision deficiencies. */
export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442'];

export const MARGIN = { top: 44, right: 24, bottom: 56, left: 72 };
export const LEGEND_WIDTH = 170;
const TICKS = 5;

export interface Axis {
  min: number;
  max: number;
  ticks: number[];
  decimals: number;
}

/** Ticks at a 1, 2 or 5 × 10^k step covering [lo, hi], the axis widened to the outer ticks. */
export function niceAxis(lo: number, hi: number): Axis {
  if (lo === hi) {
    // A flat series still needs a range to be drawn in; centre it.
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  const raw = (hi - lo) / TICKS;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const min = Math.floor(lo / step) * step;
  const max = Math.ceil(hi / step) * step;
  const ticks: number[] = [];
  // Counting steps instead of adding them keeps 0.1 + 0.2 drift out of the labels.
  for (let i = 0; min + i * step <= max + step / 2; i++) ticks.push(min + i * step);
  return { min, max, ticks, decimals: Math.max(0, -Math.floor(Math.log10(step))) };
}

/** A log2 axis (in exponents) from the power of two at or below lo to the one at or above hi. */
function powersOfTwo(lo: number, hi: number): Axis {
  const min = Math.floor(lo);
  const max = Math.max(Math.ceil(hi), min + 1);
  return { min, max, ticks: Array.from({ length: max - min + 1 }, (_, i) => min + i), decimals: 0 };
}

export function fmtTick(v: number, decimals: number): string {
  const s = v.toFixed(decimals);
  // -0.00 reads as a bug in a chart.
  return /^-0(?:\.0+)?$/.test(s) ? s.slice(1) : s;
}

/** Coordinates with two decimals: sub-pixel precision without 17-digit floats bloating the file. */
export const px = (n: number): string => String(Math.round(n * 100) / 100);

export function text(x: number, y: number, content: string, attrs = ''): string {
  return `<text x="${px(x)}" y="${px(y)}"${attrs === '' ? '' : ` ${attrs}`}>${escapeXml(content)}</text>`;
}

export interface PlotArea {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** Where the data goes in a chart of this size, the legend to its right; a RangeError names `chart` if none is left. */
export function plotArea(chart: string, width: number, height: number): PlotArea {
  const plot = {
    left: MARGIN.left,
    top: MARGIN.top,
    right: width - MARGIN.right - LEGEND_WIDTH,
    bottom: height - MARGIN.bottom,
  };
  if (!(plot.right - plot.left >= 40 && plot.bottom - plot.top >= 40)) {
    const least = `${MARGIN.left + MARGIN.right + LEGEND_WIDTH + 40}×${MARGIN.top + MARGIN.bottom + 40}`;
    throw new RangeError(`${chart}: ${width}×${height} px leaves no room to plot; use at least ${least}`);
  }
  return plot;
}

/** A chart file's first lines: the svg element, its title, a white background and the title drawn. */
export function svgHead(width: number, height: number, title: string): string[] {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
      'role="img" font-family="sans-serif" font-size="12">',
    `<title>${escapeXml(title)}</title>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    text(width / 2, 24, title, 'text-anchor="middle" font-size="16" font-weight="bold"'),
  ];
}

/** A series' stroke in the legend, 20 px long from (x, y). */
export function legendStroke(x: number, y: number, colour: string, strokeWidth: number): string {
  return (
    `<line x1="${px(x)}" y1="${px(y)}" x2="${px(x + 20)}" y2="${px(y)}" ` +
    `stroke="${colour}" stroke-width="${strokeWidth}"/>`
  );
}

export function lineChart(opts: LineChartOptions): string {
  const width = opts.width ?? 720;
  const height = opts.height ?? 400;
  const plot = plotArea('lineChart', width, height);

  const log2 = opts.xScale === 'log2';
  const finite = opts.series.map((s) =>
    s.points
      .filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y) && (!log2 || p.x > 0))
      .map((p) => (log2 ? { x: Math.log2(p.x), y: p.y } : p)),
  );
  // A loop, not Math.min(...xs): a latency series of one point per request can exceed the argument
  // limit of a spread call.
  let xLo = Infinity;
  let xHi = -Infinity;
  let yLo = Infinity;
  let yHi = -Infinity;
  for (const p of finite.flat()) {
    xLo = Math.min(xLo, p.x);
    xHi = Math.max(xHi, p.x);
    yLo = Math.min(yLo, p.y);
    yHi = Math.max(yHi, p.y);
  }
  // No data at all still draws axes, so a missing chart reads as "nothing sampled", not as a bug.
  const empty = xLo === Infinity;
  const xAxis = empty ? niceAxis(0, 1) : log2 ? powersOfTwo(xLo, xHi) : niceAxis(xLo, xHi);
  const yAxis = empty
    ? niceAxis(0, 1)
    : (opts.yFromZero ?? true)
      ? niceAxis(Math.min(0, yLo), Math.max(0, yHi))
      : niceAxis(yLo, yHi);

  const sx = (x: number): number => plot.left + ((x - xAxis.min) / (xAxis.max - xAxis.min)) * (plot.right - plot.left);
  const sy = (y: number): number =>
    plot.bottom - ((y - yAxis.min) / (yAxis.max - yAxis.min)) * (plot.bottom - plot.top);

  const out = svgHead(width, height, opts.title);

  out.push('<g class="grid" stroke="#e0e0e0" stroke-width="1">');
  for (const t of yAxis.ticks)
    out.push(`<line x1="${px(plot.left)}" y1="${px(sy(t))}" x2="${px(plot.right)}" y2="${px(sy(t))}"/>`);
  for (const t of xAxis.ticks)
    out.push(`<line x1="${px(sx(t))}" y1="${px(plot.top)}" x2="${px(sx(t))}" y2="${px(plot.bottom)}"/>`);
  out.push('</g>');

  out.push('<g class="axes" stroke="#333333" stroke-width="1">');
  out.push(`<line x1="${px(plot.left)}" y1="${px(plot.bottom)}" x2="${px(plot.right)}" y2="${px(plot.bottom)}"/>`);
  out.push(`<line x1="${px(plot.left)}" y1="${px(plot.top)}" x2="${px(plot.left)}" y2="${px(plot.bottom)}"/>`);
  out.push('</g>');

  out.push('<g class="tick-labels" fill="#333333">');
  for (const t of xAxis.ticks)
    out.push(
      text(
        sx(t),
        plot.bottom + 18,
        log2 && !empty ? String(2 ** t) : fmtTick(t, xAxis.decimals),
        'text-anchor="middle"',
      ),
    );
  for (const t of yAxis.ticks)
    out.push(text(plot.left - 8, sy(t) + 4, fmtTick(t, yAxis.decimals), 'text-anchor="end"'));
  out.push('</g>');

  out.push(text((plot.left + plot.right) / 2, height - 14, opts.xLabel, 'text-anchor="middle"'));
  const yMid = (plot.top + plot.bottom) / 2;
  out.push(text(18, yMid, opts.yLabel, `text-anchor="middle" transform="rotate(-90 18 ${px(yMid)})"`));

  out.push('<g class="series" fill="none" stroke-width="2" stroke-linejoin="round">');
  finite.forEach((points, i) => {
    const colour = PALETTE[i % PALETTE.length]!;
    // Drawn in x order, so samples collected out of order do not zig-zag.
    const coords = [...points].sort((a, b) => a.x - b.x).map((p) => `${px(sx(p.x))},${px(sy(p.y))}`);
    out.push(`<polyline stroke="${colour}" points="${coords.join(' ')}"/>`);
  });
  out.push('</g>');

  out.push('<g class="legend">');
  const legendX = plot.right + 16;
  opts.series.forEach((s, i) => {
    const colour = PALETTE[i % PALETTE.length]!;
    const y = plot.top + 8 + i * 20;
    out.push(legendStroke(legendX, y, colour, 3));
    out.push(text(legendX + 26, y + 4, s.name));
  });
  out.push('</g>');

  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
