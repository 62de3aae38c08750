/**
 * What k6's per-request samples show beyond its summary, for the report's charts: each latency
 * metric's percentiles in time windows (src/core/watch/latency-windows.ts: at most MAX_WINDOWS
 * whatever the run's length), when each phase ran (its first request's start to its last one's
 * end), and each metric's distribution in logarithmic bins. Fed one sample at a time as the samples
 * are read; memory and output depend on neither the number of requests nor the run's length. Pure.
 */
import type { LatencyDetail } from '../types.js';
import type { MetricSample } from '../summary/samples-summary.js';
import { K6_METRICS } from '../rules/metric-table.js';
import { LatencyHistogram } from './latency-histogram.js';
import { LatencyWindows } from './latency-windows.js';

/** Bars of a distribution at most; fewer for few samples (twice the square root: 10 for 25). */
export const DISTRIBUTION_BINS = 40;
const binsFor = (samples: number): number =>
  Math.min(DISTRIBUTION_BINS, Math.max(10, Math.ceil(2 * Math.sqrt(samples))));

export interface DetailMetric {
  metric: string;
  label: string;
  /** Percentile bands over time. */
  bands: boolean;
  /** Its samples give each phase's span (value = the request's duration, ending at the sample's time). */
  phases: boolean;
}

/** The request latency of a plain scenario; TTFT, ITL and end-to-end time of a streamed one. */
export function detailMetrics(latencyMetric: string | null | undefined, streamed: boolean): DetailMetric[] {
  if (!streamed)
    return [{ metric: latencyMetric ?? K6_METRICS.latency, label: 'request latency', bands: true, phases: true }];
  return [
    { metric: K6_METRICS.ttft, label: 'time to first token', bands: true, phases: false },
    { metric: K6_METRICS.itl, label: 'inter-token latency', bands: false, phases: false },
    { metric: K6_METRICS.e2e, label: 'end-to-end time', bands: true, phases: true },
  ];
}

const round = (n: number): number => Number(n.toPrecision(6));

/** A histogram in `bins` logarithmic bins from its smallest value to its largest (empty bins kept). */
export function logBins(h: LatencyHistogram, bins = DISTRIBUTION_BINS): LatencyDetail['distributions'][number]['bins'] {
  if (h.count === 0) return [];
  const lo = Math.max(h.min, 0.001);
  const hi = Math.max(h.max, lo);
  if (hi / lo < 1.0001) return [{ from: round(h.min), to: round(h.max), count: h.count }];
  const step = Math.log(hi / lo) / bins;
  const out = Array.from({ length: bins }, (_, i) => ({
    from: round(lo * Math.exp(i * step)),
    to: round(lo * Math.exp((i + 1) * step)),
    count: 0,
  }));
  for (const { ms, count } of h.entries()) {
    const i = ms <= lo ? 0 : Math.min(bins - 1, Math.floor(Math.log(ms / lo) / step));
    out[i]!.count += count;
  }
  return out;
}

interface Tracked {
  spec: DetailMetric;
  windows: LatencyWindows;
}

export class LatencyDetailLog {
  private readonly tracked = new Map<string, Tracked>();
  private readonly phases = new Map<string, { startMs: number; endMs: number; requests: number }>();

  constructor(metrics: readonly DetailMetric[]) {
    for (const spec of metrics) this.tracked.set(spec.metric, { spec, windows: new LatencyWindows() });
  }

  /** The k6 metrics to read from the samples. */
  get metrics(): string[] {
    return [...this.tracked.keys()];
  }

  /** One sample; or `n` alike, a bucket of a window k6 aggregated itself (the default). */
  add(s: MetricSample, n = 1): void {
    const t = this.tracked.get(s.metric);
    if (t === undefined) return;
    t.windows.add(s.tMs, s.value, s.endpoint, n);
    if (!t.spec.phases || s.phase === null) return;
    const p = this.phases.get(s.phase) ?? { startMs: Infinity, endMs: -Infinity, requests: 0 };
    p.startMs = Math.min(p.startMs, s.tMs - s.value);
    p.endMs = Math.max(p.endMs, s.tMs);
    p.requests += n;
    this.phases.set(s.phase, p);
  }

  /** The report's section, seconds counted from `originMs`; null when no sample was read. */
  detail(originMs: number): LatencyDetail | null {
    const list = [...this.tracked.values()].filter((t) => t.windows.total > 0);
    if (list.length === 0) return null;
    const sec = (ms: number): number => Number(((ms - originMs) / 1000).toFixed(3));
    return {
      originAt: new Date(originMs).toISOString(),
      bands: list.filter((t) => t.spec.bands).map((t) => bandsOf(t, sec)),
      phases: [...this.phases]
        .map(([name, p]) => ({ name, startSec: sec(p.startMs), endSec: sec(p.endMs), requests: p.requests }))
        .sort((a, b) => a.startSec - b.startSec),
      distributions: list.map((t) => {
        const all = new LatencyHistogram();
        for (const w of t.windows.windows()) all.merge(w.all);
        return {
          metric: t.spec.metric,
          label: t.spec.label,
          unit: 'ms',
          samples: all.count,
          bins: logBins(all, binsFor(all.count)),
        };
      }),
    };
  }
}

function bandsOf(t: Tracked, sec: (ms: number) => number): LatencyDetail['bands'][number] {
  const byName = new Map<string, LatencyDetail['bands'][number]['series'][number]['points']>();
  for (const w of t.windows.windows()) {
    const parts: Array<[string, LatencyHistogram]> =
      w.byEndpoint.size === 0 ? [['requests', w.all]] : [...w.byEndpoint];
    for (const [name, h] of parts) {
      const points = byName.get(name) ?? [];
      points.push({
        tSec: sec(w.startMs + w.widthMs / 2),
        p50: round(h.percentile(50)!),
        p95: round(h.percentile(95)!),
        p99: round(h.percentile(99)!),
        requests: h.count,
      });
      byName.set(name, points);
    }
  }
  return {
    metric: t.spec.metric,
    label: t.spec.label,
    requests: t.windows.total,
    series: [...byName].map(([name, points]) => ({ name, points })),
  };
}
