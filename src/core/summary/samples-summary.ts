/**
 * k6's per-request samples → the part of a k6 summary the converter reads, for a k6 that never
 * wrote its own summary (killed, crashed, its disk gone). The figures are computed the way k6
 * computes them (trend percentiles by linear interpolation between closest ranks, rates as the share
 * of non-zero samples), under the same metric keys (`metric{scenario:<phase>,endpoint:<name>}`), so
 * convertScenario turns them into a scenario report with no special case. Pure, and fed one sample
 * at a time: rates and counters are running sums, only trends keep their values (as k6 does).
 *
 * What samples cannot give: k6's own threshold judgements (left out, so verdicts are the report's
 * own), and the exact test-run duration (taken from the first to the last sample).
 */
import type { K6Metric, K6Summary } from '../types.js';
import { K6_METRICS, METRIC_ENTRIES, type MetricEntry } from '../rules/metric-table.js';
import { percentile } from '../stats.js';

/** One sample of k6's output, with the only tags the report reads. */
export interface MetricSample {
  metric: string;
  /** ms since the epoch. */
  tMs: number;
  value: number;
  /** k6's `scenario` tag: the plan's phase. */
  phase: string | null;
  endpoint: string | null;
  /** k6's `check` tag, on samples of `checks`. */
  check: string | null;
  /** The toolkit's own tags the report reads a metric by: a conversation's turn, a stream's prompt-cache hit. */
  turn?: string | null;
  cache?: string | null;
}

/** The toolkit's own tags of a sample or series, each a summary key of its own (`metric{turn:2}`). */
export type OwnTags = Pick<MetricSample, 'turn' | 'cache'>;

type MetricType = K6Metric['type'];

/** The type of each metric read back from the samples (the table's `fromSamples`): k6's CSV does not say. */
const readBack = ({ fromSamples, k6, type }: MetricEntry): Array<[string, MetricType]> =>
  fromSamples === true && k6 !== null && type !== null ? [[k6, type]] : [];
const sampled = METRIC_ENTRIES.flatMap(([, e]) => readBack(e));
export const SAMPLE_METRIC_TYPES: Readonly<Record<string, MetricType>> = Object.fromEntries(sampled);

/** The metrics worth reading from the samples for a plan whose latency metric is `latencyMetric`. */
export function metricsToRead(latencyMetric: string | undefined): Set<string> {
  return new Set([...Object.keys(SAMPLE_METRIC_TYPES), latencyMetric ?? K6_METRICS.latency]);
}

function trendValues(values: number[]): Record<string, number> {
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  // k6 writes 0 for a stat of no values.
  const p = (pct: number): number => percentile(sorted, pct) ?? 0;
  return {
    count: sorted.length,
    min: sorted[0] ?? 0,
    max: sorted[sorted.length - 1] ?? 0,
    avg: sorted.length === 0 ? 0 : sum / sorted.length,
    med: p(50),
    'p(50)': p(50),
    'p(90)': p(90),
    'p(95)': p(95),
    'p(99)': p(99),
  };
}

/**
 * The keys of k6's summary a sample counts under: the metric alone, per phase, per endpoint, per both, and per
 * turn and prompt-cache hit, as the scenario's thresholds name them (src/core/rules/thresholds.ts).
 */
export function summaryKeys(
  metric: string,
  phase: string | null,
  endpoint: string | null,
  own: OwnTags = {},
): string[] {
  return [
    metric,
    ...(phase ? [`${metric}{scenario:${phase}}`] : []),
    ...(endpoint ? [`${metric}{endpoint:${endpoint}}`] : []),
    ...(phase && endpoint ? [`${metric}{scenario:${phase},endpoint:${endpoint}}`] : []),
    ...(own.turn ? [`${metric}{turn:${own.turn}}`] : []),
    ...(own.cache ? [`${metric}{cache:${own.cache}}`] : []),
  ];
}

/** A counter as k6's summary gives it: its count, and per second over the run. */
export function counterMetric(count: number, durationMs: number): K6Metric {
  return { type: 'counter', values: { count, rate: durationMs > 0 ? count / (durationMs / 1000) : 0 } };
}

/** A rate as k6's summary gives it: the share of non-zero samples, and both counts. */
export function rateMetric(passes: number, fails: number): K6Metric {
  return { type: 'rate', values: { rate: passes + fails === 0 ? 0 : passes / (passes + fails), passes, fails } };
}

interface Sink {
  type: MetricType;
  /** trend: the values; rate: [non-zero, zero]; counter: [sum]. */
  values: number[];
}

export interface SamplesSummary {
  summary: K6Summary;
  /** First and last sample time (ms since the epoch), null when there was none. */
  firstMs: number | null;
  lastMs: number | null;
  /** Requests k6 recorded as sent (samples of request_failed). */
  requests: number;
}

export class SummaryFromSamples {
  private readonly types: Record<string, MetricType>;
  private readonly sinks = new Map<string, Sink>();
  private readonly checks = new Map<string, { passes: number; fails: number }>();
  private firstMs: number | null = null;
  private lastMs: number | null = null;
  private requests = 0;

  constructor(latencyMetric?: string) {
    this.types = { ...SAMPLE_METRIC_TYPES, [latencyMetric ?? K6_METRICS.latency]: 'trend' };
  }

  add(s: MetricSample): void {
    const type = this.types[s.metric];
    if (type === undefined) return;
    this.firstMs = this.firstMs === null ? s.tMs : Math.min(this.firstMs, s.tMs);
    this.lastMs = this.lastMs === null ? s.tMs : Math.max(this.lastMs, s.tMs);
    if (s.metric === K6_METRICS.requestFailed) this.requests++;
    if (s.metric === K6_METRICS.checks) {
      const c = this.checks.get(s.check ?? '') ?? { passes: 0, fails: 0 };
      if (s.value !== 0) c.passes++;
      else c.fails++;
      this.checks.set(s.check ?? '', c);
    }
    for (const key of summaryKeys(s.metric, s.phase, s.endpoint, s)) this.sink(key, type, s.value);
  }

  private sink(key: string, type: MetricType, value: number): void {
    let sink = this.sinks.get(key);
    if (sink === undefined)
      this.sinks.set(key, (sink = { type, values: type === 'trend' ? [] : type === 'rate' ? [0, 0] : [0] }));
    if (type === 'trend') sink.values.push(value);
    else if (type === 'rate') sink.values[value !== 0 ? 0 : 1]!++;
    else sink.values[0]! += value;
  }

  result(): SamplesSummary {
    const durationMs = this.firstMs === null || this.lastMs === null ? 0 : this.lastMs - this.firstMs;
    const metrics: Record<string, K6Metric> = {};
    for (const [key, { type, values }] of this.sinks) {
      if (type === 'trend') metrics[key] = { type, contains: 'default', values: trendValues(values) };
      else if (type === 'rate') metrics[key] = rateMetric(values[0]!, values[1]!);
      else metrics[key] = counterMetric(values[0]!, durationMs);
    }
    return {
      summary: {
        state: { testRunDurationMs: durationMs },
        metrics,
        root_group: { name: '', checks: [...this.checks].map(([name, c]) => ({ name, ...c })), groups: [] },
      },
      firstMs: this.firstMs,
      lastMs: this.lastMs,
      requests: this.requests,
    };
  }
}
