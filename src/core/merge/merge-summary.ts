/**
 * One k6 summary of all the runners of a split run, for the converter to read as it reads one k6's:
 * every metric k6's per-request samples hold is rebuilt from the samples of all runners together
 * (samples-summary.ts, fed by the Node side), so counts are sums and percentiles are those of the
 * union of all requests, never an average or maximum of the runners' own percentiles. What only
 * the runners' summaries hold (k6 keeps no samples of it) is combined where that is exact: counters
 * and rates add up, a gauge keeps its lowest value (the one gauge read is when streams started), a
 * trend measured by a single runner is taken whole; a trend several runners measured cannot be
 * merged from their percentiles and is left out, said in a note, or, for a workload's token counts,
 * kept by what adds up exactly (count, min, max, mean) without percentiles. k6's built-in trends the report
 * never reads (http_req_waiting, iteration_duration...) are left out without one. Pure.
 */
import type { K6Check, K6Group, K6Metric, K6Summary } from '../types.js';
import { K6_METRICS, METRIC_ENTRIES } from '../rules/metric-table.js';
import type { SamplesSummary } from '../summary/samples-summary.js';
import { counterMetric, rateMetric, SAMPLE_METRIC_TYPES } from '../summary/samples-summary.js';

export interface MergedSummary {
  summary: K6Summary;
  notes: string[];
}

const baseName = (key: string): string => key.split('{')[0]!;

/** The metrics the report reads (the metric table's): k6's other built-in trends are left out of a merge. */
const READ = new Set(METRIC_ENTRIES.flatMap(([, e]) => (e.k6 === null ? [] : [e.k6])));
/** Trends whose extremes a merge keeps (the table's mergesExtremes). */
const EXTREMES = new Set(METRIC_ENTRIES.flatMap(([, e]) => (e.k6 !== null && e.mergesExtremes === true ? [e.k6] : [])));

/** A trend's count, min, max and mean over several runners: exact; its percentiles are left out, not known. */
function extremes(parts: readonly K6Metric[]): K6Metric {
  const counts = parts.map((m) => m.values['count'] ?? 0);
  const count = counts.reduce((a, b) => a + b, 0);
  const sum = parts.reduce((n, m, i) => n + (m.values['avg'] ?? 0) * counts[i]!, 0);
  const stat = (s: string, f: (...xs: number[]) => number): number => f(...parts.map((m) => m.values[s] ?? 0));
  return { type: 'trend', values: { count, min: stat('min', Math.min), max: stat('max', Math.max), avg: sum / count } };
}

/** Counters and rates added, gauges at their lowest; trends handled by the caller. */
function combine(type: K6Metric['type'], parts: readonly K6Metric[], durationMs: number): K6Metric {
  const sum = (stat: string): number => parts.reduce((n, m) => n + (m.values[stat] ?? 0), 0);
  if (type === 'counter') return counterMetric(sum('count'), durationMs);
  if (type === 'rate') return rateMetric(sum('passes'), sum('fails'));
  const pick = (stat: string, f: (...xs: number[]) => number): number =>
    f(...parts.map((m) => m.values[stat]).filter((v): v is number => v !== undefined));
  return { type, values: { value: pick('value', Math.min), min: pick('min', Math.min), max: pick('max', Math.max) } };
}

/**
 * The streams' measured window over all runners: from the earliest start to the latest end, each
 * runner's window starting at its own stream_window_start_epoch_ms. Null when a runner that streamed
 * left no summary to say when it started.
 */
function spanningWindowMs(runners: ReadonlyArray<K6Summary | null>, streamed: number): number | null {
  const spans = runners.flatMap((s) => {
    const windowMs = s?.metrics[K6_METRICS.streamWindowMs]?.values['count'] ?? 0;
    const startMs = s?.metrics[K6_METRICS.streamWindowStartMs]?.values['value'];
    return windowMs > 0 && startMs !== undefined ? [{ startMs, endMs: startMs + windowMs }] : [];
  });
  if (spans.length === 0 || spans.length < streamed) return null;
  return Math.max(...spans.map((s) => s.endMs)) - Math.min(...spans.map((s) => s.startMs));
}

export function mergeSummaries(o: {
  /** Every runner's samples fed into one SummaryFromSamples. */
  union: SamplesSummary;
  /** Each runner's own summary, null for one that wrote none. */
  runners: ReadonlyArray<K6Summary | null>;
  /** Runners whose samples hold stream windows (stream_window_ms > 0). */
  streamedRunners: number;
  /** The plan's latency metric (read from the samples like the others). */
  latencyMetric?: string;
  /**
   * Metrics the union cannot hold (k6's checks, from windows: src/core/windows/windows-summary.ts), taken
   * from the runners' summaries instead, where adding them up is exact.
   */
  unionLacks?: readonly string[];
}): MergedSummary {
  const notes: string[] = [];
  const lacks = new Set(o.unionLacks ?? []);
  const fromSamples = new Set(
    [...Object.keys(SAMPLE_METRIC_TYPES), o.latencyMetric ?? K6_METRICS.latency].filter((m) => !lacks.has(m)),
  );
  const summaries = o.runners.filter((s): s is K6Summary => s !== null);
  // k6's own run length where every runner gave one (they start together); else the samples' span too.
  const k6Durations = summaries.map((s) => s.state.testRunDurationMs);
  const samplesSpan = o.union.firstMs === null || o.union.lastMs === null ? 0 : o.union.lastMs - o.union.firstMs;
  const durationMs =
    summaries.length === o.runners.length && summaries.length > 0
      ? Math.max(...k6Durations)
      : Math.max(samplesSpan, ...k6Durations);

  const metrics: Record<string, K6Metric> = {};
  for (const [key, m] of Object.entries(o.union.summary.metrics)) if (m !== undefined) metrics[key] = m;
  const others = new Map<string, K6Metric[]>();
  for (const s of summaries)
    for (const [key, m] of Object.entries(s.metrics)) {
      if (m === undefined || fromSamples.has(baseName(key))) continue;
      if (m.type === 'trend' && !READ.has(baseName(key))) continue;
      others.set(key, [...(others.get(key) ?? []), m]);
    }
  const unmerged = new Set<string>();
  const partial = new Set<string>();
  for (const [key, parts] of others) {
    const type = parts[0]!.type;
    if (type !== 'trend') {
      metrics[key] = combine(type, parts, durationMs);
      continue;
    }
    const measured = parts.filter((m) => (m.values['count'] ?? 0) > 0);
    if (measured.length <= 1) metrics[key] = { type, values: { ...(measured[0] ?? parts[0]!).values } };
    else if (EXTREMES.has(baseName(key))) {
      metrics[key] = extremes(measured);
      partial.add(baseName(key));
    } else unmerged.add(baseName(key));
  }
  for (const name of unmerged)
    notes.push(
      `${name} is left out: several runners measured it and k6 keeps no per-request samples of it, so its ` +
        `percentiles over all of them cannot be known.`,
    );
  if (partial.size > 0)
    notes.push(
      `${[...partial].sort().join(', ')}: their counts, least, most and mean over all runners are exact; their ` +
        'percentiles are not known (several runners measured them and k6 keeps no per-request samples of them).',
    );

  if (o.streamedRunners > 1) {
    const windowMs = spanningWindowMs(o.runners, o.streamedRunners);
    const each = o.runners.map((s) => s?.metrics[K6_METRICS.streamWindowMs]?.values['count'] ?? 0);
    const spanning = windowMs ?? Math.max(...each);
    metrics[K6_METRICS.streamWindowMs] = {
      type: 'counter',
      values: { count: spanning, rate: durationMs > 0 ? spanning / (durationMs / 1000) : 0 },
    };
    if (windowMs === null)
      notes.push(
        "The streams' measured window is the longest runner's: a runner that streamed left no summary saying when " +
          'its window started.',
      );
  }
  const rootGroup = lacks.has(K6_METRICS.checks)
    ? { ...o.union.summary.root_group, checks: addedChecks(summaries) }
    : o.union.summary.root_group;
  return { summary: { state: { testRunDurationMs: durationMs }, metrics, root_group: rootGroup }, notes };
}

/** The runners' checks by name, in any group, their passes and fails added up. */
function addedChecks(summaries: readonly K6Summary[]): K6Check[] {
  const byName = new Map<string, K6Check>();
  const walk = (group: K6Group): void => {
    for (const c of group.checks) {
      const sum = byName.get(c.name) ?? { name: c.name, passes: 0, fails: 0 };
      sum.passes += c.passes;
      sum.fails += c.fails;
      byName.set(c.name, sum);
    }
    group.groups.forEach(walk);
  };
  summaries.forEach((s) => walk(s.root_group));
  return [...byName.values()];
}
