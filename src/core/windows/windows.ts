/**
 * k6's per-window aggregates, as its remote-write output pushed them (src/core/windows/remote-write.ts),
 * turned back into what happened in each window. k6 sends every series cumulatively, and only the
 * series that took a sample since its last push, so a window is one push less the last one *of the
 * same series*. Per phase and endpoint a window holds its latencies (buckets of k6's native histogram)
 * and the requests judged and failed in it. Pure.
 *
 * Failures come from the request_failed Rate and requests_ok, which a request adds one line apart, so
 * they reach k6's output together; a Rate goes out as a ratio without its count, so judged = ok / (1 -
 * ratio). The latency histogram cannot stand in for them: its sample is taken when the answer arrives,
 * before the body is judged, and a push may fall in between (a request counted, its verdict not yet).
 */
import { K6_METRICS } from '../rules/metric-table.js';
import { bucketUpperBound, type RwHistogram, type RwSeries } from './remote-write.js';

/** One push as the receiver kept it (src/node/watch/windows-receiver.ts). */
export interface WindowPush {
  /** When the runner received it, ms since the epoch. */
  receivedMs: number;
  series: RwSeries[];
}

/** The name k6's remote-write output gives a metric's series (its `MapSeries`): `k6_<metric>` and a suffix. */
export function rwSeriesName(metric: string, type: 'counter' | 'gauge' | 'rate' | 'trend', isTime = false): string {
  const suffix =
    type === 'counter' ? '_total' : type === 'rate' ? '_rate' : type === 'trend' && isTime ? '_seconds' : '';
  return `k6_${metric}${suffix}`;
}

/** The series a window is made of. */
export function windowSeriesNames(latencyMetric: string): { latency: string; ok: string; failed: string } {
  return {
    latency: rwSeriesName(latencyMetric, 'trend', true),
    ok: rwSeriesName(K6_METRICS.requestsOk, 'counter'),
    failed: rwSeriesName(K6_METRICS.requestFailed, 'rate'),
  };
}

/**
 * The requests a window's counts are of: a phase and endpoint, and a conversation's turn, whose requests_ok and
 * request_failed are series of their own (a Rate's ratio is of its series alone, so turns are never mixed).
 */
export const windowGroup = (labels: Record<string, string>): string =>
  `${labels['scenario'] ?? null}\u0000${labels['endpoint'] ?? null}\u0000${labels['turn'] ?? null}`;

export interface Window {
  /** Which push it came in, from 0: the windows of one push cover the same time. */
  push: number;
  phase: string | null;
  endpoint: string | null;
  /** The previous push (for the first, its oldest sample); ms since the epoch. */
  startMs: number;
  /** The newest sample in it, ms since the epoch. */
  endMs: number;
  /** When the runner received its push: the window spans startMs to this. */
  pushedMs: number;
  /** Requests whose verdict came in this window, and how many of them failed. */
  judged: number;
  failures: number;
  /** Latencies in ms, each bucket's geometric middle with its count. */
  latency: Bucket[];
  /** The same for each other time k6 took (a stream's time to first token...), by k6 metric name. */
  also: Record<string, Bucket[]>;
}

export interface Bucket {
  ms: number;
  count: number;
}

/** A phase and endpoint's running totals, as of the last push that moved them. */
interface Totals {
  ok: number;
  failedRatio: number;
  /** The latency histogram's count: judged, where every request so far failed (ratio 1, ok 0). */
  timed: number;
  judged: number;
  failures: number;
}

const zeroBucket = Number.NEGATIVE_INFINITY;
const stamps = (s: RwSeries): number[] => [...s.samples, ...s.histograms].map((x) => x.timestampMs);
/** One series' identity: its labels, in a fixed order. */
export const seriesKey = (labels: Record<string, string>): string =>
  JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));

/** The geometric middle of a bucket, in the series' unit (k6 pushes seconds). */
function middleOf(schema: number, index: number): number {
  return Math.sqrt(bucketUpperBound(schema, index - 1) * bucketUpperBound(schema, index));
}

/** A histogram's buckets, the zero bucket included, with their running counts and middles. */
export function histogramBuckets(h: RwHistogram): Array<{ index: number; middle: number; count: number }> {
  return [
    { index: zeroBucket, middle: 0, count: h.zeroCount },
    ...h.positive.map(([index, count]) => ({ index, middle: middleOf(h.schema, index), count })),
  ];
}

/**
 * Requests judged, from requests_ok and the request_failed ratio; where every request so far failed
 * (ratio 1, no ok) the ratio says nothing of how many, and `otherwise` (a latency count) stands in.
 */
export function judgedOf(ok: number, failedRatio: number, otherwise: number): number {
  return failedRatio < 1 ? Math.round(ok / (1 - failedRatio)) : otherwise;
}

/**
 * Each push less the last one of each series, per phase and endpoint: fed one push at a time, in the
 * order they came, so a long run's windows file is read in the memory of one push.
 */
export class WindowDeltas {
  private readonly names: ReturnType<typeof windowSeriesNames>;
  /** Series name → k6 metric, for the other times wanted. */
  private readonly also: Map<string, string>;
  private readonly lastBuckets = new Map<string, Map<number, number>>();
  private readonly lastCount = new Map<string, number>();
  private readonly totals = new Map<string, Totals>();
  private previousMs: number | null = null;
  private pushes = 0;

  /** `also`: other time metrics whose buckets each window should carry (a stream's TTFT and ITL). */
  constructor(latencyMetric: string, also: readonly string[] = []) {
    this.names = windowSeriesNames(latencyMetric);
    this.also = new Map(also.filter((m) => m !== latencyMetric).map((m) => [rwSeriesName(m, 'trend', true), m]));
  }

  /** The windows of the next push, those in which something happened. */
  add(push: WindowPush): Window[] {
    const n = this.pushes++;
    const startMs = this.previousMs ?? Math.min(...push.series.flatMap(stamps));
    const groups = new Map<string, Window>();
    const group = (labels: Record<string, string>, tMs: number): [Window, Totals] => {
      const [phase, endpoint] = [labels['scenario'] ?? null, labels['endpoint'] ?? null];
      const key = windowGroup(labels);
      let w = groups.get(key);
      if (w === undefined) {
        const pushedMs = push.receivedMs;
        w = { push: n, phase, endpoint, startMs, endMs: tMs, pushedMs, judged: 0, failures: 0, latency: [], also: {} };
        groups.set(key, w);
      }
      w.endMs = Math.max(w.endMs, tMs);
      let t = this.totals.get(key);
      if (t === undefined) this.totals.set(key, (t = { ok: 0, failedRatio: 0, timed: 0, judged: 0, failures: 0 }));
      return [w, t];
    };
    for (const s of push.series) {
      const name = s.labels['__name__'];
      const sample = s.samples[s.samples.length - 1];
      if ((name === this.names.ok || name === this.names.failed) && sample !== undefined) {
        const [, t] = group(s.labels, sample.timestampMs);
        if (name === this.names.ok) t.ok = sample.value;
        else t.failedRatio = sample.value;
        continue;
      }
      const h = s.histograms[s.histograms.length - 1];
      const other = name === undefined ? undefined : this.also.get(name);
      if ((name !== this.names.latency && other === undefined) || h === undefined) continue;
      const key = seriesKey(s.labels);
      const [w, t] = group(s.labels, h.timestampMs);
      const into = other === undefined ? w.latency : (w.also[other] ??= []);
      if (other === undefined) {
        t.timed += h.count - (this.lastCount.get(key) ?? 0);
        this.lastCount.set(key, h.count);
      }
      const before = this.lastBuckets.get(key) ?? new Map<number, number>();
      const now = new Map<number, number>();
      for (const { index, middle, count } of histogramBuckets(h)) {
        const added = count - (before.get(index) ?? 0);
        if (added > 0) into.push({ ms: middle * 1000, count: added });
        now.set(index, count);
      }
      this.lastBuckets.set(key, now);
    }
    for (const [key, w] of groups) {
      const t = this.totals.get(key)!;
      const judged = judgedOf(t.ok, t.failedRatio, Math.max(t.timed, t.judged));
      w.judged = judged - t.judged;
      w.failures = judged - t.ok - t.failures;
      [t.judged, t.failures] = [judged, judged - t.ok];
    }
    this.previousMs = push.receivedMs;
    return [...groups.values()].filter((w) => w.judged > 0 || w.latency.length > 0 || Object.keys(w.also).length > 0);
  }
}

/** Every window of `pushes`, in push order. */
export function windowsOf(
  pushes: readonly WindowPush[],
  latencyMetric: string,
  also: readonly string[] = [],
): Window[] {
  const deltas = new WindowDeltas(latencyMetric, also);
  return pushes.flatMap((p) => deltas.add(p));
}
