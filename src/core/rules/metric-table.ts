/**
 * Every metric the toolkit records or judges, each once: its k6 name and type, whether k6 shows it as
 * a time, where it is measured, and who may name it — a rule of a thresholds file, a sweep objective.
 * Everything else derives from this table: the k6 side creates its metrics from it
 * (src/k6/lib/metrics.ts), the rules' entries come from it (RULE_METRICS, src/core/rules/metrics.ts),
 * and so do the metrics read back from k6's samples (src/core/summary/samples-summary.ts), the server
 * clock's metrics (src/core/stream/server-clock.ts) and the objectives the sweep accepts
 * (src/node/config/sweep.ts). Pure.
 */
import { SERVER_CLOCK_ENTRIES } from './metric-table-server-clock.js';

/** A k6 metric's type, as k6 names it in its summary. */
export type K6MetricType = 'trend' | 'rate' | 'counter' | 'gauge';

/**
 * Where a metric is measured:
 * - `request`: the k6 side, one sample per request sent (src/k6/lib/request.ts, src/k6/lib/stream/record.ts);
 * - `k6`: k6's own metric, which our code reads (or adds to) but k6 defines;
 * - `stream`: the browser, per streamed request, from the chunks' arrival times;
 * - `generator`: the load generator's own conduct (its queue, its schedule, its measured window);
 * - `server-clock`: the server's own per-request figures, recorded beside the client's;
 * - `server-process`: the runner's samples of the server's process (/proc), not k6;
 * - `timeline`: the runner, from the server's process against k6's per-request samples;
 * - `server-metrics`: the runner, from the server's own metrics scraped during the load (its profile's series).
 */
export type MeasuredAt =
  'request' | 'k6' | 'stream' | 'generator' | 'server-clock' | 'server-process' | 'timeline' | 'server-metrics';

/** The percentiles a rule may name (`<name>_p95`). */
export type RuleStat = 'p50' | 'p95' | 'p99';

/** How rules of a thresholds file name a metric (the names are the enum of schemas/thresholds.schema.json). */
export interface RuleNaming {
  /** The rule's metric name; with `stats`, the prefix of one name per stat (`ttft` → `ttft_p50`, `ttft_p95`...). */
  name: string;
  /** A Trend's percentiles rules may name. */
  stats?: readonly RuleStat[];
  /** The k6 stat a rule on a Rate or a Counter reads (k6's threshold expression: `rate<0.05`). */
  stat?: 'rate';
  /** Good is below the bound (`<`) or above it (`>`). */
  op: '<' | '>';
  /** The bound's unit, as rules are written: a Rate's in percent, k6's in fractions. */
  unit: string;
  /** The verdict's label; `{stat}` is replaced by the rule's stat. */
  label: string;
  /** Its rules read the plan's latency metric (this one, or stream_e2e for streams) from the counted figures. */
  planLatency?: boolean;
}

export interface MetricEntry {
  /** The k6 metric's name; null: the runner measures it, k6 never sees it. */
  k6: string | null;
  type: K6MetricType | null;
  /** k6's isTime: its values are milliseconds (a Trend shown as times, thresholds in ms). */
  isTime: boolean;
  at: MeasuredAt;
  /** Rules of a thresholds file may name it. */
  rule?: RuleNaming;
  /** A sweep objective may name it (`--slo ttft_p95<500`): its key is the objective's metric name. */
  slo?: boolean;
  /** Read back from k6's per-request samples when k6 wrote no summary (src/core/summary/samples-summary.ts). */
  fromSamples?: boolean;
  /**
   * A Trend several runners of a split run measured keeps its count, min, max and mean, which add up
   * exactly, without percentiles (src/core/merge/merge-summary.ts); its readers take an absent
   * percentile as not known (src/core/summary/convert-workload.ts), and no rule names it.
   */
  mergesExtremes?: boolean;
}

const LATENCY_STATS = ['p50', 'p95', 'p99'] as const;

/** A workload's token counts: one sample per request; a split run keeps their extremes. */
const TOKEN_COUNTS = { type: 'trend', isTime: false, at: 'request', mergesExtremes: true } as const;

/** What k6 never sees: the runner measures it (the server's process, its metrics, the timeline). */
const MEASURED_BY_THE_RUNNER = { k6: null, type: null, isTime: false } as const;

export const METRICS = {
  /** true when a request failed (status, body schema, timeout or connection error): the verdict on each request. */
  requestFailed: {
    k6: 'request_failed',
    type: 'rate',
    isTime: false,
    at: 'request',
    rule: { name: 'error_rate', stat: 'rate', op: '<', unit: '%', label: 'error rate' },
    fromSamples: true,
  },
  /** +1 per successful request; its k6 `rate` is successful requests per second. */
  requestsOk: {
    k6: 'requests_ok',
    type: 'counter',
    isTime: false,
    at: 'request',
    rule: { name: 'throughput', stat: 'rate', op: '>', unit: 'req/s', label: 'throughput' },
    fromSamples: true,
  },
  /** Tokens generated, as the response bodies (or the streams) say. */
  tokens: { k6: 'tokens_generated', type: 'counter', isTime: false, at: 'request', fromSamples: true },
  /** k6's request time (sending + waiting + receiving): the latency of a scenario that does not stream. */
  latency: {
    k6: 'http_req_duration',
    type: 'trend',
    isTime: true,
    at: 'k6',
    rule: { name: 'latency', stats: LATENCY_STATS, op: '<', unit: 'ms', label: '{stat} latency', planLatency: true },
    slo: true,
    fromSamples: true,
  },
  /** k6's arrivals that found no free client (open model); the stream's scheduler adds its own. */
  dropped: { k6: 'dropped_iterations', type: 'counter', isTime: false, at: 'k6', fromSamples: true },
  /** k6's checks: the report lists them. */
  checks: { k6: 'checks', type: 'rate', isTime: false, at: 'k6', fromSamples: true },

  ttft: {
    k6: 'stream_ttft',
    type: 'trend',
    isTime: true,
    at: 'stream',
    rule: { name: 'ttft', stats: LATENCY_STATS, op: '<', unit: 'ms', label: '{stat} time to first token' },
    slo: true,
    fromSamples: true,
  },
  itl: {
    k6: 'stream_itl',
    type: 'trend',
    isTime: true,
    at: 'stream',
    rule: { name: 'itl', stats: LATENCY_STATS, op: '<', unit: 'ms', label: '{stat} inter-token latency' },
    slo: true,
    fromSamples: true,
  },
  /** A stream's end-to-end time: the latency rules of a streamed scenario read it (the plan's latencyMetric). */
  e2e: { k6: 'stream_e2e', type: 'trend', isTime: true, at: 'stream', slo: true, fromSamples: true },
  /** Output tokens per second of each streamed request. */
  tokensPerSecond: {
    k6: 'stream_output_tokens_per_second',
    type: 'trend',
    isTime: false,
    at: 'stream',
    rule: {
      name: 'output_tokens_per_second',
      stats: ['p50'],
      op: '>',
      unit: 'tokens/s',
      label: 'median output tokens per second',
    },
    fromSamples: true,
  },

  /** A streamed phase's measured window in ms, from its first request sent to the end of its last stream. */
  streamWindowMs: { k6: 'stream_window_ms', type: 'counter', isTime: false, at: 'generator', fromSamples: true },
  /** When that window started, in ms since the epoch (the runner judges the generator's CPU over it). */
  streamWindowStartMs: { k6: 'stream_window_start_epoch_ms', type: 'gauge', isTime: false, at: 'generator' },
  /** Phases whose streams were read in the page's frames themselves, their workers having failed to start. */
  streamReadInPage: { k6: 'stream_read_in_page', type: 'counter', isTime: false, at: 'generator' },
  /** From the page's fetch() to the browser writing the request (the client's own queue). */
  streamSendWait: { k6: 'stream_send_wait', type: 'trend', isTime: true, at: 'generator' },
  /** Open model: from a request's due time to the browser writing it. */
  streamStartLate: { k6: 'stream_start_late', type: 'trend', isTime: true, at: 'generator' },
  /** A drawn or replayed schedule (--arrivals, --trace): from a request's due time to k6 sending it. */
  requestStartLate: { k6: 'request_start_late', type: 'trend', isTime: true, at: 'generator', fromSamples: true },
  /**
   * A drawn or replayed schedule: requests whose client came free too late (every client was busy at
   * the due time); never sent, counted as failures, as k6's dropped_iterations are.
   */
  arrivalsDropped: { k6: 'arrivals_dropped', type: 'counter', isTime: false, at: 'generator', fromSamples: true },
  /**
   * true when a sent request met every per-request objective at once (--goodput); the report's share
   * is of every planned request, so a dropped or unsent one is never good.
   */
  goodput: {
    k6: 'goodput',
    type: 'rate',
    isTime: false,
    at: 'request',
    rule: { name: 'goodput', stat: 'rate', op: '>', unit: '%', label: 'goodput (requests meeting every objective)' },
    fromSamples: true,
  },
  /** Output tokens of the good requests. */
  goodputTokens: { k6: 'goodput_tokens', type: 'counter', isTime: false, at: 'request', fromSamples: true },

  // A shaped workload (src/core/summary/convert-workload.ts): what each request asked for beside what
  // the server said it received; tagged by turn in conversations.
  /** Tokens of a request's own text, as the runner counted them. */
  inputAsked: { k6: 'workload_input_tokens_asked', ...TOKEN_COUNTS },
  /** The server's count of a request's prompt (usage.prompt_tokens, or llama.cpp's prompt_n + cache_n). */
  inputReceived: { k6: 'workload_input_tokens_received', ...TOKEN_COUNTS },
  /** received - asked for a request without history: the server's own framing (BOS, chat template). */
  inputExtra: { k6: 'workload_input_tokens_extra', ...TOKEN_COUNTS },
  /** max_tokens of a request. */
  outputAsked: { k6: 'workload_output_tokens_asked', ...TOKEN_COUNTS },
  /** The server's count of what it generated for a request. */
  outputReceived: { k6: 'workload_output_tokens_received', ...TOKEN_COUNTS },
  /** Prompt tokens the server took from its cache, per request that says (llama.cpp timings.cache_n). */
  cachedTokens: { k6: 'workload_cached_tokens', ...TOKEN_COUNTS },
  /** true when at least one prompt token came from the server's cache. */
  cacheHit: { k6: 'workload_cache_hit', type: 'rate', isTime: false, at: 'request' },
  /**
   * Conversations whose first turn was sent, those whose every turn succeeded, and those the run's request
   * count ended before their last turn (neither completed nor failed: their last turns were never sent).
   */
  conversationsStarted: { k6: 'conversations_started', type: 'counter', isTime: false, at: 'request' },
  conversationsCompleted: { k6: 'conversations_completed', type: 'counter', isTime: false, at: 'request' },
  conversationsCut: { k6: 'conversations_cut', type: 'counter', isTime: false, at: 'request' },

  ...SERVER_CLOCK_ENTRIES,

  memoryOverhead: {
    ...MEASURED_BY_THE_RUNNER,
    at: 'server-process',
    rule: { name: 'memory_overhead_mb', op: '<', unit: 'MB', label: 'server memory overhead (peak - baseline RSS)' },
  },
  cpuAvg: {
    ...MEASURED_BY_THE_RUNNER,
    at: 'server-process',
    rule: { name: 'cpu_avg_pct', op: '<', unit: '% of all cores', label: 'server CPU, average' },
  },
  rssGrowth: {
    ...MEASURED_BY_THE_RUNNER,
    at: 'timeline',
    rule: {
      name: 'rss_growth_mb_per_1000_requests',
      op: '<',
      unit: 'MB/1000 req',
      label: 'server RSS growth (leak check)',
    },
  },
  p95Drift: {
    ...MEASURED_BY_THE_RUNNER,
    at: 'timeline',
    rule: { name: 'p95_drift_ms', op: '<', unit: 'ms', label: 'p95 drift (last third - first third)' },
  },
  /** The most requests the server held waiting: the highest value of its profile's `queue` series. */
  serverQueueMax: {
    ...MEASURED_BY_THE_RUNNER,
    at: 'server-metrics',
    rule: { name: 'server_queue_max', op: '<', unit: 'requests', label: "server's queue, highest (requests waiting)" },
  },
  /** The fullest the server's KV cache was: the highest value of its profile's `kv-cache` series. */
  serverKvCacheMax: {
    ...MEASURED_BY_THE_RUNNER,
    at: 'server-metrics',
    rule: { name: 'server_kv_cache_max_pct', op: '<', unit: '%', label: "server's KV-cache usage, highest" },
  },
} as const satisfies Record<string, MetricEntry>;

export type MetricKey = keyof typeof METRICS;
type Table = typeof METRICS;

/** The table's entries, for deriving from it. */
export const METRIC_ENTRIES = Object.entries(METRICS) as ReadonlyArray<[MetricKey, MetricEntry]>;

/** The keys of the entries measured at `at`. */
export type KeyAt<A extends MeasuredAt> = { [K in MetricKey]: Table[K]['at'] extends A ? K : never }[MetricKey];

/** The metrics k6 records: a key of the table whose entry has a k6 name. */
export type K6MetricKey = { [K in MetricKey]: Table[K]['k6'] extends string ? K : never }[MetricKey];

/** Key → k6 name, for every metric k6 records. */
const k6Names = METRIC_ENTRIES.flatMap(([key, e]) => (e.k6 === null ? [] : [[key, e.k6] as const]));
export const K6_METRICS = Object.fromEntries(k6Names) as { readonly [K in K6MetricKey]: Table[K]['k6'] };

/** The metrics a sweep objective may name: `latency`, `ttft`... (the table's keys). */
export type SloMetric = { [K in MetricKey]: Table[K] extends { slo: true } ? K : never }[MetricKey];
export const SLO_METRICS = METRIC_ENTRIES.flatMap(([key, e]) => (e.slo === true ? [key] : [])) as readonly SloMetric[];
/** The stats a sweep objective may name: those of the report's latency figures. */
export const SLO_STATS = ['p50', 'p90', 'p95', 'p99'] as const;
export type SloStat = (typeof SLO_STATS)[number];

type RuleOf<E> = E extends { rule: infer R } ? R : never;
type Rules = RuleOf<Table[MetricKey]>;
type NamesOf<R> = R extends { name: infer N extends string; stats: readonly (infer S extends string)[] }
  ? `${N}_${S}`
  : R extends { name: infer N extends string }
    ? N
    : never;
type SingleNameOf<R> = R extends { stats: unknown } ? never : R extends { name: infer N extends string } ? N : never;
/** Every metric name a rule may use: `<name>_<stat>` for each of a Trend's stats, else `<name>`. */
export type RuleMetricName = NamesOf<Rules>;
/** The rule names that are one metric each, not one per stat: each is measured in its own way. */
export type SingleRuleName = SingleNameOf<Rules>;

/** The rules on a stream's own figures (TTFT, ITL, tokens per second): a scenario that does not stream has none. */
export const STREAM_RULE_METRICS: ReadonlySet<string> = new Set(
  METRIC_ENTRIES.flatMap(([, e]) => {
    if (e.at !== 'stream' || e.rule === undefined) return [];
    const stats: readonly string[] | undefined = 'stats' in e.rule ? e.rule.stats : undefined;
    return stats === undefined ? [e.rule.name] : stats.map((stat) => `${e.rule!.name}_${stat}`);
  }),
);
