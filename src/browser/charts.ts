/**
 * Every chart of the page, drawn by uPlot (small and fast for time series, bundled into the page):
 * lines over time or against a sweep's axis, a band between two of them, shaded spans (phases,
 * outages) and marked values (a sweep's goodput), and histograms on a logarithmic axis. Charts of
 * one scenario share a time axis and a cursor. Each chart's container says what it shows in data
 * attributes — its series, their colours and how many points, and, once uPlot has drawn it, how many
 * points of each series are in view (data-drawn) — which the browser tests read.
 */
import uPlot from 'uplot';
import { h } from './dom.js';

export interface Line {
  label: string;
  x: readonly number[];
  y: ReadonlyArray<number | null>;
  color: string;
  width?: number;
  dash?: number[];
  /** Draw as bars (a histogram) rather than a line. */
  bars?: boolean;
}

/** A span of the x axis to shade: a phase of the load, or an outage. */
export interface Shade {
  from: number;
  to: number;
  label: string;
  kind: 'phase' | 'outage';
}

export interface ChartSpec {
  /** Names the chart for the tests: data-chart. */
  id: string;
  title: string;
  xLabel: string;
  yLabel: string;
  lines: Line[];
  /** Fill between two lines, by label. */
  band?: { upper: string; lower: string; fill: string };
  shades?: Shade[];
  /** Vertical lines at x values: a sweep's goodput. */
  markers?: Array<{ x: number; label: string }>;
  xRange?: [number, number];
  /** The left axis's top, when two charts must read on the same scale (a comparison). */
  yMax?: number;
  /** A logarithmic x axis (distributions, concurrency levels). */
  xLog?: boolean;
  /** The x axis's ticks, when they are the data's own values (a sweep's levels). */
  xTicks?: number[];
  /** Charts with the same key move their cursors together. */
  sync?: string;
  height?: number;
}

export const COLORS = {
  p50: '#2f6fb3',
  p95: '#e08a1e',
  p99: '#c23b3b',
  band: 'rgba(47, 111, 179, 0.12)',
  ok: '#2e8b57',
  fail: '#c23b3b',
  series: ['#2f6fb3', '#e08a1e', '#7a4fb3', '#2e8b57', '#c23b3b', '#4a8fa8', '#8a6d3b'],
};

const SHADE = { phase: ['rgba(120, 120, 120, 0.07)', 'rgba(120, 120, 120, 0.15)'], outage: 'rgba(194, 59, 59, 0.18)' };
/** Fixed width of the y axes, so the plot areas of stacked time charts line up. */
const Y_AXIS_PX = 64;

interface Pending {
  box: HTMLElement;
  spec: ChartSpec;
}
const pending: Pending[] = [];
const drawn: Array<{ plot: uPlot; box: HTMLElement }> = [];

/** A chart's place on the page; it is drawn by drawCharts once the page is laid out (its width is known then). */
export function chart(spec: ChartSpec): HTMLElement | null {
  const lines = spec.lines.filter((l) => l.y.some((v) => v !== null));
  if (lines.length === 0) return null;
  const points = lines.reduce((n, l) => n + l.y.filter((v) => v !== null).length, 0);
  const box = h('div', {
    class: 'chart',
    'data-chart': spec.id,
    'data-series': lines.map((l) => l.label).join('|'),
    'data-colors': lines.map((l) => l.color).join('|'),
    'data-points': String(points),
  });
  pending.push({ box, spec: { ...spec, lines } });
  return box;
}

function shadeHook(shades: readonly Shade[]) {
  return (u: uPlot): void => {
    const { ctx } = u;
    const { left, top, width, height } = u.bbox;
    const dpr = window.devicePixelRatio || 1;
    ctx.save();
    ctx.font = `${11 * dpr}px system-ui, sans-serif`;
    shades.forEach((s, i) => {
      const x0 = Math.max(left, u.valToPos(s.from, 'x', true));
      const x1 = Math.min(left + width, u.valToPos(s.to, 'x', true));
      if (!(x1 > x0 - 1)) return;
      ctx.fillStyle = s.kind === 'outage' ? SHADE.outage : SHADE.phase[i % 2]!;
      ctx.fillRect(x0, top, Math.max(dpr, x1 - x0), height);
      ctx.fillStyle = s.kind === 'outage' ? COLORS.fail : '#555';
      ctx.fillText(s.label, x0 + 4 * dpr, top + (s.kind === 'outage' ? 26 : 13) * dpr);
    });
    ctx.restore();
  };
}

function markerHook(markers: ReadonlyArray<{ x: number; label: string }>) {
  return (u: uPlot): void => {
    const { ctx } = u;
    const { top, height } = u.bbox;
    const dpr = window.devicePixelRatio || 1;
    ctx.save();
    ctx.strokeStyle = COLORS.ok;
    ctx.fillStyle = COLORS.ok;
    ctx.lineWidth = 2 * dpr;
    ctx.setLineDash([6 * dpr, 4 * dpr]);
    ctx.font = `${11 * dpr}px system-ui, sans-serif`;
    for (const m of markers) {
      const x = u.valToPos(m.x, 'x', true);
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, top + height);
      ctx.stroke();
      // The label on the side of the line with room for it.
      const w = ctx.measureText(m.label).width;
      const right = x + 4 * dpr + w <= u.bbox.left + u.bbox.width;
      ctx.fillText(m.label, right ? x + 4 * dpr : x - 4 * dpr - w, top + 13 * dpr);
    }
    ctx.restore();
  };
}

/**
 * Ticks of a logarithmic axis evenly spaced on it, from its start to its end: uPlot's own put one
 * per decade, which leaves a range inside one decade (TTFT from 1.0 to 4.9 s) with a single label.
 */
const logTicks: Pick<uPlot.Axis, 'splits' | 'values' | 'filter'> = {
  // Every split labelled: uPlot's filter for a logarithmic axis keeps only round values.
  filter: (_u, splits) => splits,
  splits: (_u, _i, min, max) => {
    const n = 5;
    return Array.from({ length: n + 1 }, (_, k) => min * (max / min) ** (k / n));
  },
  // uPlot may hand a null split while it measures the axis.
  values: (_u, splits) =>
    splits.map((v) => (v == null ? '' : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toPrecision(2))),
};

function fixedTicks(ticks: readonly number[]): Pick<uPlot.Axis, 'splits' | 'values' | 'filter'> {
  return {
    splits: () => [...ticks],
    filter: (_u, splits) => splits,
    values: (_u, splits) => splits.map((v) => (v == null ? '' : String(v))),
  };
}

/** After each draw: how many points of each series lie within the x scale. */
function drawnHook(box: HTMLElement) {
  return (u: uPlot): void => {
    const [xs, ...ys] = u.data;
    const { min = -Infinity, max = Infinity } = u.scales['x'] ?? {};
    box.dataset['drawn'] = ys
      .map((y, i) => {
        let n = 0;
        y.forEach((v, j) => {
          const x = xs[j]!;
          if (v !== null && v !== undefined && x >= min && x <= max) n++;
        });
        return `${String(u.series[i + 1]!.label)}:${n}`;
      })
      .join('|');
  };
}

function options(spec: ChartSpec, width: number, box: HTMLElement): uPlot.Options {
  const bars = uPlot.paths.bars!({ size: [0.9, Infinity], align: 0 });
  const series: uPlot.Series[] = [
    { label: spec.xLabel },
    ...spec.lines.map((l): uPlot.Series => ({
      label: l.label,
      stroke: l.color,
      width: l.width ?? 1.5,
      ...(l.dash === undefined ? {} : { dash: l.dash }),
      ...(l.bars ? { paths: bars, fill: l.color, points: { show: false } } : { spanGaps: true }),
    })),
  ];
  const index = (label: string): number => spec.lines.findIndex((l) => l.label === label) + 1;
  const draw = [...(spec.shades === undefined || spec.shades.length === 0 ? [] : [shadeHook(spec.shades)])];
  const axes: uPlot.Axis[] = [
    { label: spec.xLabel, ...(spec.xTicks !== undefined ? fixedTicks(spec.xTicks) : spec.xLog ? logTicks : {}) },
    { label: spec.yLabel, size: Y_AXIS_PX },
  ];
  return {
    title: spec.title,
    width,
    height: spec.height ?? 220,
    series,
    axes,
    scales: {
      x: {
        time: false,
        ...(spec.xLog ? { distr: 3 } : {}),
        ...(spec.xRange === undefined ? {} : { range: spec.xRange }),
      },
      // Latencies, queues and rates start at 0: a floor that moves would exaggerate small changes.
      y: { range: (_u, _min, max) => [0, spec.yMax ?? (max > 0 ? max * 1.05 : 1)] },
    },
    bands:
      spec.band === undefined
        ? []
        : [{ series: [index(spec.band.upper), index(spec.band.lower)], fill: spec.band.fill }],
    cursor: spec.sync === undefined ? {} : { sync: { key: spec.sync } },
    hooks: {
      drawClear: draw,
      draw: [
        ...(spec.markers === undefined || spec.markers.length === 0 ? [] : [markerHook(spec.markers)]),
        drawnHook(box),
      ],
    },
  };
}

/** One table per line (x ascending), joined on x: uPlot wants one x for all of a chart's series. */
function aligned(lines: readonly Line[]): uPlot.AlignedData {
  const tables = lines.map((l): uPlot.AlignedData => {
    const order = l.x.map((_, i) => i).sort((a, b) => l.x[a]! - l.x[b]!);
    return [order.map((i) => l.x[i]!), order.map((i) => l.y[i] ?? null)];
  });
  return tables.length === 1 ? tables[0]! : uPlot.join(tables);
}

/** Draws every chart placed so far: call once the page's elements are in the document. */
export function drawCharts(): void {
  for (const { box, spec } of pending.splice(0)) {
    const plot = new uPlot(options(spec, Math.max(320, box.clientWidth), box), aligned(spec.lines), box);
    drawn.push({ plot, box });
  }
}

let resizing = 0;
window.addEventListener('resize', () => {
  cancelAnimationFrame(resizing);
  resizing = requestAnimationFrame(() => {
    for (const { plot, box } of drawn) plot.setSize({ width: Math.max(320, box.clientWidth), height: plot.height });
  });
});
