/**
 * A scenario's charts over time, all on one axis — seconds since the run started — with its phases
 * shaded and its outages in red: the latency percentile bands (TTFT and end-to-end for streams),
 * the server's own series beside them (grouped by unit), requests and failures per second, and the
 * server's memory and CPU. Their cursors move together.
 */
import type { ScenarioReport } from '../core/types.js';
import { chart, COLORS, type Line, type Shade } from './charts.js';

const X_LABEL = 's since the run started';

/** Seconds to add to a block's times to put them on the run's axis. */
function shift(originAt: string | undefined, runStartMs: number): number {
  if (originAt === undefined) return 0;
  const t = Date.parse(originAt);
  return Number.isFinite(t) ? (t - runStartMs) / 1000 : 0;
}

function shadesOf(s: ScenarioReport, runStartMs: number): Shade[] {
  const d = s.latencyDetail;
  const phases: Shade[] =
    d == null || d.phases.length < 2
      ? []
      : d.phases.map((p) => ({
          from: p.startSec + shift(d.originAt, runStartMs),
          to: p.endSec + shift(d.originAt, runStartMs),
          label: p.name,
          kind: 'phase' as const,
        }));
  const t = s.timeline;
  const outages: Shade[] =
    t == null
      ? []
      : t.outages.map((o) => ({
          from: o.startSec + shift(t.originAt, runStartMs),
          to: (o.recoveredAtSec ?? o.lastFailureSec) + shift(t.originAt, runStartMs),
          label: `outage: ${o.failures} failed`,
          kind: 'outage' as const,
        }));
  return [...phases, ...outages];
}

/** Every x value the scenario's charts will show: their common range. */
function xRangeOf(s: ScenarioReport, runStartMs: number): [number, number] | undefined {
  const xs: number[] = [];
  const d = s.latencyDetail;
  if (d != null) {
    const k = shift(d.originAt, runStartMs);
    for (const b of d.bands) for (const ser of b.series) for (const p of ser.points) xs.push(p.tSec + k);
    for (const p of d.phases) xs.push(p.startSec + k, p.endSec + k);
  }
  const tm = s.telemetry;
  if (tm != null)
    for (const ser of tm.series) for (const p of ser.points) xs.push(p.tSec + shift(tm.originAt, runStartMs));
  const tl = s.timeline;
  if (tl != null) {
    const k = shift(tl.originAt, runStartMs);
    for (const p of tl.seconds) xs.push(p.tSec + k, p.tSec + k + tl.bucketSec);
  }
  const r = s.resources;
  if (r != null && s.startedAt !== undefined)
    for (const p of r.series) xs.push(p.tSec + shift(s.startedAt, runStartMs));
  if (xs.length === 0) return undefined;
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  return hi > lo ? [lo, hi] : [lo - 0.5, hi + 0.5];
}

function latencyCharts(s: ScenarioReport, common: Common): HTMLElement[] {
  const d = s.latencyDetail;
  if (d == null) return [];
  const k = shift(d.originAt, common.runStartMs);
  return d.bands.flatMap((b) => {
    const one = b.series.length === 1;
    const lines: Line[] = one
      ? (['p50', 'p95', 'p99'] as const).map((stat) => ({
          label: `${stat}`,
          x: b.series[0]!.points.map((p) => p.tSec + k),
          y: b.series[0]!.points.map((p) => p[stat]),
          color: COLORS[stat],
        }))
      : b.series.map((ser, i) => ({
          label: `${ser.name} p95`,
          x: ser.points.map((p) => p.tSec + k),
          y: ser.points.map((p) => p.p95),
          color: COLORS.series[i % COLORS.series.length]!,
        }));
    const box = chart({
      id: `${common.id}-latency-${b.metric}`,
      title: `${b.label[0]!.toUpperCase()}${b.label.slice(1)}: percentiles per time window (${b.requests} samples)`,
      xLabel: X_LABEL,
      yLabel: 'ms',
      lines,
      ...(one ? { band: { upper: 'p99', lower: 'p50', fill: COLORS.band } } : {}),
      ...common.axis,
    });
    return box === null ? [] : [box];
  });
}

/** The server's series, one chart per unit, so every line of a chart reads on the same axis. */
function telemetryCharts(s: ScenarioReport, common: Common): HTMLElement[] {
  const t = s.telemetry;
  if (t == null || t.series.length === 0) return [];
  const k = shift(t.originAt, common.runStartMs);
  const units = [...new Set(t.series.map((x) => x.unit))];
  return units.flatMap((unit) => {
    const group = t.series.filter((x) => x.unit === unit);
    const box = chart({
      id: `${common.id}-server-${unit.replace('%', 'pct').replace(/[^a-z0-9]+/gi, '-')}`,
      title: `Server: ${group.map((x) => x.label).join(', ')} (GET /metrics every ${t.intervalSec} s)`,
      xLabel: X_LABEL,
      yLabel: unit,
      lines: group.map((x, i) => ({
        label: x.label,
        x: x.points.map((p) => p.tSec + k),
        y: x.points.map((p) => p.value),
        color: COLORS.series[i % COLORS.series.length]!,
        width: 2,
      })),
      ...common.axis,
    });
    return box === null ? [] : [box];
  });
}

function requestCharts(s: ScenarioReport, common: Common): HTMLElement[] {
  const out: Array<HTMLElement | null> = [];
  const tl = s.timeline;
  if (tl != null && tl.seconds.length > 0) {
    const k = shift(tl.originAt, common.runStartMs);
    const x = tl.seconds.map((p) => p.tSec + k + tl.bucketSec / 2);
    out.push(
      chart({
        id: `${common.id}-completed`,
        title: 'Requests completed per second, and the failed ones',
        xLabel: X_LABEL,
        yLabel: 'requests/s',
        lines: [
          { label: 'requests', x, y: tl.seconds.map((p) => p.requests / tl.bucketSec), color: COLORS.p50 },
          { label: 'failed', x, y: tl.seconds.map((p) => p.failures / tl.bucketSec), color: COLORS.fail },
        ],
        ...common.axis,
      }),
    );
  }
  const r = s.resources;
  if (r != null && r.series.length > 1 && s.startedAt !== undefined) {
    const k = shift(s.startedAt, common.runStartMs);
    const x = r.series.map((p) => p.tSec + k);
    // Two charts rather than a second axis: every plot area of the stack then spans the same seconds.
    out.push(
      chart({
        id: `${common.id}-memory`,
        title: `Server process: resident memory (${r.target})`,
        xLabel: X_LABEL,
        yLabel: 'MB',
        lines: [{ label: 'RSS', x, y: r.series.map((p) => p.rssMb), color: COLORS.series[2]! }],
        ...common.axis,
      }),
      chart({
        id: `${common.id}-cpu`,
        title: `Server process: CPU (${r.target})`,
        xLabel: X_LABEL,
        yLabel: '% of one core',
        lines: [{ label: 'CPU', x, y: r.series.map((p) => p.cpuPctOfOneCore), color: COLORS.series[3]! }],
        ...common.axis,
      }),
    );
  }
  return out.filter((b): b is HTMLElement => b !== null);
}

interface Common {
  id: string;
  runStartMs: number;
  axis: { shades: Shade[]; xRange?: [number, number]; sync: string };
}

/** The scenario's charts over time, in reading order: latency, the server's series, requests, the process. */
export function overTimeCharts(s: ScenarioReport, id: string, runStartMs: number): HTMLElement[] {
  const xRange = xRangeOf(s, runStartMs);
  const common: Common = {
    id,
    runStartMs,
    axis: { shades: shadesOf(s, runStartMs), sync: id, ...(xRange === undefined ? {} : { xRange }) },
  };
  return [...latencyCharts(s, common), ...telemetryCharts(s, common), ...requestCharts(s, common)];
}

/** Each figure's distribution (streams: TTFT, ITL, end-to-end), bars on a logarithmic axis. */
export function distributionCharts(s: ScenarioReport, id: string): HTMLElement[] {
  const d = s.latencyDetail;
  if (d == null) return [];
  return d.distributions.flatMap((dist, i) => {
    const mid = dist.bins.map((b) => Math.sqrt(Math.max(b.from, 1e-6) * Math.max(b.to, 1e-6)));
    const box = chart({
      id: `${id}-distribution-${dist.metric}`,
      title: `${dist.label[0]!.toUpperCase()}${dist.label.slice(1)}: distribution (${dist.samples} samples)`,
      xLabel: `${dist.unit} (log scale)`,
      yLabel: 'samples',
      // Bins of equal width on a logarithmic axis, which spans the values, not whole decades.
      ...(dist.bins.length > 1
        ? { xLog: true, xRange: [dist.bins[0]!.from, dist.bins[dist.bins.length - 1]!.to] as [number, number] }
        : {}),
      lines: [
        {
          label: dist.label,
          x: mid,
          y: dist.bins.map((b) => b.count),
          color: COLORS.series[i % COLORS.series.length]!,
          bars: true,
        },
      ],
      height: 180,
    });
    return box === null ? [] : [box];
  });
}
