/**
 * k6's windows (src/core/windows/remote-write.ts) → the part of a k6 summary the converter reads, for a
 * run without `--samples` whose k6 never wrote its own summary (killed, crashed). k6 pushes each series as its
 * running total, so the last push of a series holds that series over the whole run up to that push: the
 * rebuild is the last state of every series, added up under the keys k6's summary uses
 * (`metric{scenario:<phase>,endpoint:<name>}`), as src/core/summary/samples-summary.ts does from samples.
 * Pure, fed one push at a time; it keeps one entry per series, however long the run. The runners of a
 * split run feed one instance, each push with its runner as `source`: their totals add up, their
 * histograms merge bucket by bucket, so percentiles are those of all requests together.
 *
 * What windows cannot give: a Rate's count (k6 pushes only its ratio), so a rate is weighed by the
 * requests judged in its phase and endpoint, exact for the rates recorded once per request (request_failed,
 * goodput) and the reason checks are left out; trend percentiles, min and max to a bucket of k6's histogram
 * (about 9 % wide); and whatever k6 took in after its last push.
 */
import type { K6Metric } from '../types.js';
import { METRIC_ENTRIES, K6_METRICS } from '../rules/metric-table.js';
import { LatencyHistogram } from '../watch/latency-histogram.js';
import {
  counterMetric,
  rateMetric,
  SAMPLE_METRIC_TYPES,
  summaryKeys,
  type SamplesSummary,
} from '../summary/samples-summary.js';
import type { RwHistogram } from './remote-write.js';
import {
  histogramBuckets,
  judgedOf,
  rwSeriesName,
  seriesKey,
  windowGroup,
  windowSeriesNames,
  type WindowPush,
} from './windows.js';

type MetricType = K6Metric['type'];

/** What windows cannot rebuild: k6's checks, a Rate pushed without the count to weigh it by. */
export const NOT_IN_WINDOWS: readonly string[] = [K6_METRICS.checks];

/** What a series of k6's is, by its name. */
interface Named {
  metric: string;
  type: MetricType;
  /** Seconds in the series, ms in the summary. */
  scale: number;
}

const TIME_METRICS = new Set(
  METRIC_ENTRIES.flatMap(([, e]) => (e.isTime && e.k6 !== null ? [e.k6] : [])).concat(K6_METRICS.latency),
);

function seriesNamesOf(types: Record<string, MetricType>): Map<string, Named> {
  const names = new Map<string, Named>();
  for (const [metric, type] of Object.entries(types)) {
    if (NOT_IN_WINDOWS.includes(metric)) continue;
    const time = TIME_METRICS.has(metric);
    names.set(rwSeriesName(metric, type, time), { metric, type, scale: type === 'trend' && time ? 1000 : 1 });
  }
  return names;
}

interface Last {
  source: string;
  labels: Record<string, string>;
  value: number | null;
  histogram: RwHistogram | null;
}

interface Trend {
  histogram: LatencyHistogram;
  /** k6's own sum, exact, where the buckets' middles would only approximate the mean. */
  sum: number;
}

export class SummaryFromWindows {
  private readonly names: Map<string, Named>;
  private readonly judging: ReturnType<typeof windowSeriesNames>;
  private readonly last = new Map<string, Last>();
  private firstPushMs: number | null = null;
  private lastMs: number | null = null;
  private pushes = 0;

  /** `pushMs`: k6's push period; its first push comes one period after it starts. */
  constructor(
    latencyMetric: string = K6_METRICS.latency,
    private readonly pushMs = 1000,
  ) {
    this.names = seriesNamesOf({ ...SAMPLE_METRIC_TYPES, [latencyMetric]: 'trend' });
    this.judging = windowSeriesNames(latencyMetric);
  }

  /** The next push of `source` (a runner of a split run; one k6: ''), in the order they came. */
  add(push: WindowPush, source = ''): void {
    this.pushes++;
    this.firstPushMs = Math.min(this.firstPushMs ?? push.receivedMs, push.receivedMs);
    for (const s of push.series) {
      const name = s.labels['__name__'] ?? '';
      if (!this.names.has(name) && name !== this.judging.latency) continue;
      const sample = s.samples[s.samples.length - 1];
      const histogram = s.histograms[s.histograms.length - 1] ?? null;
      const stamp = sample?.timestampMs ?? histogram?.timestampMs;
      if (stamp !== undefined) this.lastMs = Math.max(this.lastMs ?? stamp, stamp);
      const key = `${source}\u0000${seriesKey(s.labels)}`;
      this.last.set(key, { source, labels: s.labels, value: sample?.value ?? null, histogram });
    }
  }

  /** Pushes read so far. */
  get size(): number {
    return this.pushes;
  }

  result(): SamplesSummary {
    const firstMs = this.firstPushMs === null ? null : this.firstPushMs - this.pushMs;
    const durationMs = firstMs === null || this.lastMs === null ? 0 : Math.max(0, this.lastMs - firstMs);
    const counters = new Map<string, number>();
    const trends = new Map<string, Trend>();
    const rates = new Map<string, { passes: number; fails: number }>();
    const judged = this.judgedByGroup();
    for (const { source, labels, value, histogram } of this.last.values()) {
      const named = this.names.get(labels['__name__'] ?? '');
      if (named === undefined) continue;
      const [phase, endpoint] = [labels['scenario'] ?? null, labels['endpoint'] ?? null];
      const keys = summaryKeys(named.metric, phase, endpoint, { turn: labels['turn'], cache: labels['cache'] });
      if (named.type === 'counter' && value !== null)
        for (const k of keys) counters.set(k, (counters.get(k) ?? 0) + value);
      else if (named.type === 'trend' && histogram !== null)
        for (const k of keys) addHistogram(trends, k, histogram, named.scale);
      else if (named.type === 'rate' && value !== null) {
        const j = judged.get(groupKey(source, labels));
        if (j === undefined) continue;
        const passes = named.metric === K6_METRICS.requestFailed ? j.failures : Math.round(value * j.judged);
        for (const k of keys) {
          const r = rates.get(k) ?? { passes: 0, fails: 0 };
          r.passes += passes;
          r.fails += j.judged - passes;
          rates.set(k, r);
        }
      }
    }
    const metrics: Record<string, K6Metric> = {};
    for (const [k, count] of counters) metrics[k] = counterMetric(count, durationMs);
    for (const [k, { passes, fails }] of rates) metrics[k] = rateMetric(passes, fails);
    for (const [k, t] of trends) metrics[k] = { type: 'trend', contains: 'default', values: trendValues(t) };
    let requests = 0;
    for (const j of judged.values()) requests += j.judged;
    return {
      summary: { state: { testRunDurationMs: durationMs }, metrics, root_group: { name: '', checks: [], groups: [] } },
      firstMs,
      lastMs: this.lastMs,
      requests,
    };
  }

  /**
   * Requests judged and failed per source, phase, endpoint and turn, from requests_ok and the request_failed
   * ratio: each of a conversation's turns is a series of its own, with its own ratio.
   */
  private judgedByGroup(): Map<string, { judged: number; failures: number }> {
    const parts = new Map<string, { ok: number; ratio: number | null; timed: number }>();
    for (const { source, labels, value, histogram } of this.last.values()) {
      const name = labels['__name__'];
      const key = groupKey(source, labels);
      const p = parts.get(key) ?? { ok: 0, ratio: null, timed: 0 };
      if (name === this.judging.ok && value !== null) p.ok += value;
      else if (name === this.judging.failed && value !== null) p.ratio = value;
      else if (name === this.judging.latency && histogram !== null) p.timed += histogram.count;
      else continue;
      parts.set(key, p);
    }
    const judged = new Map<string, { judged: number; failures: number }>();
    for (const [key, p] of parts) {
      if (p.ratio === null) continue;
      const j = judgedOf(p.ok, p.ratio, p.timed);
      judged.set(key, { judged: j, failures: j - p.ok });
    }
    return judged;
  }
}

const groupKey = (source: string, labels: Record<string, string>): string => `${source}\u0000${windowGroup(labels)}`;

function addHistogram(trends: Map<string, Trend>, key: string, h: RwHistogram, scale: number): void {
  let t = trends.get(key);
  if (t === undefined) trends.set(key, (t = { histogram: new LatencyHistogram(), sum: 0 }));
  for (const b of histogramBuckets(h)) t.histogram.add(b.middle * scale, b.count);
  t.sum += h.sum * scale;
}

function trendValues({ histogram: h, sum }: Trend): Record<string, number> {
  // k6 writes 0 for a stat of no values.
  const p = (pct: number): number => h.percentile(pct) ?? 0;
  return {
    count: h.count,
    min: h.count === 0 ? 0 : h.min,
    max: h.count === 0 ? 0 : h.max,
    avg: h.count === 0 ? 0 : sum / h.count,
    med: p(50),
    'p(50)': p(50),
    'p(90)': p(90),
    'p(95)': p(95),
    'p(99)': p(99),
  };
}
