/**
 * Latency over time as percentile bands: per time window, a dark band from p50 to p95, a light one
 * from p95 to p99, and the median as a line; one colour per endpoint. One point per window, never
 * per request, so the file is as small and as readable for a million requests as for a hundred
 * (the windows come from src/core/watch/latency-windows.ts). Pure: a string from numbers, like svg.ts,
 * whose axes and text helpers it shares.
 */
import { PALETTE, fmtTick, legendStroke, niceAxis, plotArea, px, svgHead, text } from './svg.js';

export interface BandPoint {
  /** Middle of the window, in seconds since the load started. */
  x: number;
  p50: number;
  p95: number;
  p99: number;
}

export interface BandSeries {
  name: string;
  points: readonly BandPoint[];
}

export interface BandChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly BandSeries[];
  width?: number;
  height?: number;
}

export function bandChart(opts: BandChartOptions): string {
  const width = opts.width ?? 720;
  const height = opts.height ?? 400;
  const plot = plotArea('bandChart', width, height);
  const finite = opts.series.map((s) =>
    [...s.points].filter((p) => [p.x, p.p50, p.p95, p.p99].every(Number.isFinite)).sort((a, b) => a.x - b.x),
  );
  let xLo = Infinity;
  let xHi = -Infinity;
  let yHi = 0;
  for (const p of finite.flat()) {
    xLo = Math.min(xLo, p.x);
    xHi = Math.max(xHi, p.x);
    yHi = Math.max(yHi, p.p99);
  }
  const empty = xLo === Infinity;
  const xAxis = empty ? niceAxis(0, 1) : niceAxis(xLo, xHi);
  // From zero, up to the highest p99: the maximum would let one outlier flatten every band.
  const yAxis = niceAxis(0, empty || yHi === 0 ? 1 : yHi);
  const sx = (x: number): number => plot.left + ((x - xAxis.min) / (xAxis.max - xAxis.min)) * (plot.right - plot.left);
  const sy = (y: number): number =>
    plot.bottom - ((y - yAxis.min) / (yAxis.max - yAxis.min)) * (plot.bottom - plot.top);

  const out: string[] = [
    ...svgHead(width, height, opts.title),
    '<g class="grid" stroke="#e0e0e0" stroke-width="1">',
    ...yAxis.ticks.map(
      (t) => `<line x1="${px(plot.left)}" y1="${px(sy(t))}" x2="${px(plot.right)}" y2="${px(sy(t))}"/>`,
    ),
    ...xAxis.ticks.map(
      (t) => `<line x1="${px(sx(t))}" y1="${px(plot.top)}" x2="${px(sx(t))}" y2="${px(plot.bottom)}"/>`,
    ),
    '</g>',
    '<g class="axes" stroke="#333333" stroke-width="1">',
    `<line x1="${px(plot.left)}" y1="${px(plot.bottom)}" x2="${px(plot.right)}" y2="${px(plot.bottom)}"/>`,
    `<line x1="${px(plot.left)}" y1="${px(plot.top)}" x2="${px(plot.left)}" y2="${px(plot.bottom)}"/>`,
    '</g>',
    '<g class="tick-labels" fill="#333333">',
    ...xAxis.ticks.map((t) => text(sx(t), plot.bottom + 18, fmtTick(t, xAxis.decimals), 'text-anchor="middle"')),
    ...yAxis.ticks.map((t) => text(plot.left - 8, sy(t) + 4, fmtTick(t, yAxis.decimals), 'text-anchor="end"')),
    '</g>',
    text((plot.left + plot.right) / 2, height - 14, opts.xLabel, 'text-anchor="middle"'),
    text(
      18,
      (plot.top + plot.bottom) / 2,
      opts.yLabel,
      `text-anchor="middle" transform="rotate(-90 18 ${px((plot.top + plot.bottom) / 2)})"`,
    ),
  ];

  const coords = (points: readonly BandPoint[], y: (p: BandPoint) => number): string[] =>
    points.map((p) => `${px(sx(p.x))},${px(sy(y(p)))}`);
  /** The area between two percentiles: along the upper one, back along the lower one. */
  const band = (points: readonly BandPoint[], lo: (p: BandPoint) => number, hi: (p: BandPoint) => number): string =>
    [...coords(points, hi), ...coords([...points].reverse(), lo)].join(' ');
  out.push('<g class="bands" stroke="none">');
  finite.forEach((points, i) => {
    const colour = PALETTE[i % PALETTE.length]!;
    if (points.length === 0) return;
    out.push(
      `<polygon fill="${colour}" fill-opacity="0.15" points="${band(
        points,
        (p) => p.p95,
        (p) => p.p99,
      )}"/>`,
    );
    out.push(
      `<polygon fill="${colour}" fill-opacity="0.35" points="${band(
        points,
        (p) => p.p50,
        (p) => p.p95,
      )}"/>`,
    );
  });
  out.push('</g>');
  out.push('<g class="medians" fill="none" stroke-width="2" stroke-linejoin="round">');
  finite.forEach((points, i) => {
    if (points.length === 0) return;
    out.push(`<polyline stroke="${PALETTE[i % PALETTE.length]!}" points="${coords(points, (p) => p.p50).join(' ')}"/>`);
  });
  out.push('</g>');

  out.push('<g class="legend">');
  const legendX = plot.right + 16;
  opts.series.forEach((s, i) => {
    const colour = PALETTE[i % PALETTE.length]!;
    const y = plot.top + 8 + i * 20;
    out.push(`<rect x="${px(legendX)}" y="${px(y - 6)}" width="20" height="12" fill="${colour}" fill-opacity="0.35"/>`);
    out.push(legendStroke(legendX, y, colour, 2));
    out.push(text(legendX + 26, y + 4, s.name));
  });
  const keyY = plot.top + 8 + opts.series.length * 20 + 12;
  out.push(text(legendX, keyY, 'line: p50', 'fill="#555555"'));
  out.push(text(legendX, keyY + 16, 'dark: p50 to p95', 'fill="#555555"'));
  out.push(text(legendX, keyY + 32, 'light: p95 to p99', 'fill="#555555"'));
  out.push('</g>');
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
