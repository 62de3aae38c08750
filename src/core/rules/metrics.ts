/**
 * The metrics: the custom k6 metrics the k6 side records (K6_METRICS), and one entry per metric a
 * rule may name (RULE_METRICS) that knows its k6 metric, stat, direction, unit, label, and how the
 * report measures it. A Record over the schema's metric names, so a metric added to
 * schemas/thresholds.schema.json does not compile until it has its entry here. Pure.
 */
import type { Latency, ResourcesReport, Rule } from '../types.js';

/** Custom k6 metrics recorded by src/k6/lib/request.ts, one sample per request sent. */
export const K6_METRICS = {
  /** Rate: true when a request failed (status, body schema, timeout or connection error). */
  requestFailed: 'request_failed',
  /** Counter: +1 per successful request; its k6 `rate` is successful requests per second. */
  requestsOk: 'requests_ok',
  /** Counter: tokens generated, as the response bodies say (num_generated). */
  tokens: 'tokens_generated',
  latency: 'http_req_duration',
  dropped: 'dropped_iterations',
  /** Trends of streamed scenarios, measured in the browser (src/k6/lib/stream/record.ts), in ms. */
  ttft: 'stream_ttft',
  itl: 'stream_itl',
  e2e: 'stream_e2e',
  /** Trend: output tokens per second of each streamed request. */
  tokensPerSecond: 'stream_output_tokens_per_second',
  /**
   * Counter: the measured window of a streamed phase in ms, from its first request sent to the end
   * of its last stream (the browser's start and the page's set-up are outside it).
   */
  streamWindowMs: 'stream_window_ms',
  /** Gauge: when that window started, in ms since the epoch (the runner judges the generator's CPU over it). */
  streamWindowStartMs: 'stream_window_start_epoch_ms',
  /** Counter: phases whose streams were read in the page's frames themselves, their workers having failed to start. */
  streamReadInPage: 'stream_read_in_page',
  /** Trend: from the page's fetch() to the browser writing the request (the client's own queue), in ms. */
  streamSendWait: 'stream_send_wait',
  /** Trend: open model, from a request's due time to the browser writing it, in ms. */
  streamStartLate: 'stream_start_late',
} as const;

/** Latency rules read this metric unless the plan says another (stream_e2e for streams). */
export const LATENCY_PLACEHOLDER = '$latency';

export interface MetricSpec {
  /** null: measured on the server's process by the runner, not by k6 (no k6 threshold). */
  k6Metric: string | null;
  stat: string;
  op: '<' | '>';
  unit: string;
  label: string;
  /** Rules are written in the seed's units (ms, %, req/s); k6 wants a fraction for rates. */
  toK6: (bound: number) => number;
  /** How the report measures it (src/core/rules/judge.ts): null when nothing was measured. */
  measure: (m: MeasureInput) => number | null;
}

/** What a metric is measured on, for one rule's scope (the scenario, one phase or one endpoint). */
export interface MeasureInput {
  /** The scope's counted figures; null when the scope had none (an endpoint left out of the mix). */
  figures: { totals: { successes: number }; errorRatePct: number | null; latencyMs: Latency } | null;
  /** The run's measured duration (a stream's measured window). */
  durationSec: number;
  /** The server's process; null when it was not watched. */
  resources: ResourcesReport | null;
  /** A k6 Trend's stat in the scope, as k6 computed it; null without samples. */
  trend: (k6Metric: string, stat: string) => number | null;
}

const latency =
  (stat: 'p50' | 'p95' | 'p99') =>
  (m: MeasureInput): number | null =>
    m.figures?.latencyMs?.[stat] ?? null;
/** A streamed request's Trend: these have no other source than k6's own computation. */
const trend =
  (k6Metric: string, stat: string) =>
  (m: MeasureInput): number | null =>
    m.trend(k6Metric, stat);

export const RULE_METRICS: Record<Rule['metric'], MetricSpec> = {
  latency_p50: { k6Metric: LATENCY_PLACEHOLDER, stat: 'p(50)', op: '<', unit: 'ms', label: 'p50 latency', toK6: (b) => b, measure: latency('p50') },
  latency_p95: { k6Metric: LATENCY_PLACEHOLDER, stat: 'p(95)', op: '<', unit: 'ms', label: 'p95 latency', toK6: (b) => b, measure: latency('p95') },
  latency_p99: { k6Metric: LATENCY_PLACEHOLDER, stat: 'p(99)', op: '<', unit: 'ms', label: 'p99 latency', toK6: (b) => b, measure: latency('p99') },
  error_rate: {
    k6Metric: K6_METRICS.requestFailed,
    stat: 'rate',
    op: '<',
    unit: '%',
    label: 'error rate',
    toK6: (b) => b / 100,
    measure: (m) => m.figures?.errorRatePct ?? null,
  },
  throughput: {
    k6Metric: K6_METRICS.requestsOk,
    stat: 'rate',
    op: '>',
    unit: 'req/s',
    label: 'throughput',
    toK6: (b) => b,
    measure: (m) => (m.figures !== null && m.durationSec > 0 ? m.figures.totals.successes / m.durationSec : null),
  },
  ttft_p50: {
    k6Metric: K6_METRICS.ttft,
    stat: 'p(50)',
    op: '<',
    unit: 'ms',
    label: 'p50 time to first token',
    toK6: (b) => b,
    measure: trend(K6_METRICS.ttft, 'p(50)'),
  },
  ttft_p95: {
    k6Metric: K6_METRICS.ttft,
    stat: 'p(95)',
    op: '<',
    unit: 'ms',
    label: 'p95 time to first token',
    toK6: (b) => b,
    measure: trend(K6_METRICS.ttft, 'p(95)'),
  },
  ttft_p99: {
    k6Metric: K6_METRICS.ttft,
    stat: 'p(99)',
    op: '<',
    unit: 'ms',
    label: 'p99 time to first token',
    toK6: (b) => b,
    measure: trend(K6_METRICS.ttft, 'p(99)'),
  },
  itl_p50: {
    k6Metric: K6_METRICS.itl,
    stat: 'p(50)',
    op: '<',
    unit: 'ms',
    label: 'p50 inter-token latency',
    toK6: (b) => b,
    measure: trend(K6_METRICS.itl, 'p(50)'),
  },
  itl_p95: {
    k6Metric: K6_METRICS.itl,
    stat: 'p(95)',
    op: '<',
    unit: 'ms',
    label: 'p95 inter-token latency',
    toK6: (b) => b,
    measure: trend(K6_METRICS.itl, 'p(95)'),
  },
  itl_p99: {
    k6Metric: K6_METRICS.itl,
    stat: 'p(99)',
    op: '<',
    unit: 'ms',
    label: 'p99 inter-token latency',
    toK6: (b) => b,
    measure: trend(K6_METRICS.itl, 'p(99)'),
  },
  output_tokens_per_second_p50: {
    k6Metric: K6_METRICS.tokensPerSecond,
    stat: 'p(50)',
    op: '>',
    unit: 'tokens/s',
    label: 'median output tokens per second',
    toK6: (b) => b,
    measure: trend(K6_METRICS.tokensPerSecond, 'p(50)'),
  },
  memory_overhead_mb: {
    k6Metric: null,
    stat: '',
    op: '<',
    unit: 'MB',
    label: 'server memory overhead (peak - baseline RSS)',
    toK6: (b) => b,
    measure: (m) => m.resources?.overheadMb ?? null,
  },
  cpu_avg_pct: {
    k6Metric: null,
    stat: '',
    op: '<',
    unit: '% of all cores',
    label: 'server CPU, average',
    toK6: (b) => b,
    measure: (m) => m.resources?.cpuAvgPctOfAllCores ?? null,
  },
  rss_growth_mb_per_1000_requests: {
    k6Metric: null,
    stat: '',
    op: '<',
    unit: 'MB/1000 req',
    label: 'server RSS growth (leak check)',
    toK6: (b) => b,
    measure: (m) => m.resources?.leak?.slopeMbPer1000Requests ?? null,
  },
  p95_drift_ms: {
    k6Metric: null,
    stat: '',
    op: '<',
    unit: 'ms',
    label: 'p95 drift (last third - first third)',
    toK6: (b) => b,
    measure: (m) => m.resources?.drift?.growthMs ?? null,
  },
};
