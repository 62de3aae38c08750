/**
 * One entry per metric a rule may name (RULE_METRICS), derived from the metric table
 * (src/core/rules/metric-table.ts): its k6 metric, stat, direction, unit, label, and how the report
 * measures it. The compiler holds the table's rule names equal to the enum of
 * schemas/thresholds.schema.json, so a metric added to either does not compile until both name it. Pure.
 */
import type { Latency, ResourcesReport, Rule, TelemetryReport } from '../types.js';
import { roleMax } from '../scrape/telemetry.js';
import { METRIC_ENTRIES } from './metric-table.js';
import type { MetricEntry, RuleMetricName, RuleNaming, SingleRuleName } from './metric-table.js';

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
  figures: { totals: { successes: number; requests: number }; errorRatePct: number | null; latencyMs: Latency } | null;
  /** The run's measured duration (a stream's measured window). */
  durationSec: number;
  /** The server's process; null when it was not watched. */
  resources: ResourcesReport | null;
  /** The server's own metrics over time; null when they were not scraped. */
  telemetry?: TelemetryReport | null;
  /** A k6 Trend's stat in the scope, as k6 computed it; null without samples. */
  trend: (k6Metric: string, stat: string) => number | null;
  /** A k6 metric's value in the scope (a Rate's passes, a Counter's count); null when k6 has no such metric. */
  value: (k6Metric: string, stat: string) => number | null;
}

type Measure = (m: MeasureInput) => number | null;

/** How the report measures each metric a rule names alone (not one per stat). */
const MEASURE: Record<SingleRuleName, Measure> = {
  error_rate: (m) => m.figures?.errorRatePct ?? null,
  throughput: (m) => (m.figures !== null && m.durationSec > 0 ? m.figures.totals.successes / m.durationSec : null),
  memory_overhead_mb: (m) => m.resources?.overheadMb ?? null,
  cpu_avg_pct: (m) => m.resources?.cpuAvgPctOfAllCores ?? null,
  rss_growth_mb_per_1000_requests: (m) => m.resources?.leak?.slopeMbPer1000Requests ?? null,
  p95_drift_ms: (m) => m.resources?.drift?.growthMs ?? null,
  // Of every request the scope planned, dropped and unsent ones included: those are never good.
  goodput: (m) => {
    const good = m.value('goodput', 'passes');
    const requests = m.figures?.totals.requests ?? 0;
    return good === null || requests === 0 ? null : (good / requests) * 100;
  },
  server_queue_max: (m) => roleMax(m.telemetry, 'queue'),
  server_kv_cache_max_pct: (m) => roleMax(m.telemetry, 'kv-cache'),
};

/** The rule entries of one metric: one per stat of a Trend, else one. */
function specsOf(e: MetricEntry, r: RuleNaming): Array<[string, MetricSpec]> {
  // A Rate's rules are written in percent; k6 compares a fraction.
  const toK6 = e.type === 'rate' ? (b: number): number => b / 100 : (b: number): number => b;
  if (r.stats === undefined) {
    const measure = MEASURE[r.name as SingleRuleName];
    return [[r.name, { k6Metric: e.k6, stat: r.stat ?? '', op: r.op, unit: r.unit, label: r.label, toK6, measure }]];
  }
  return r.stats.map((stat) => {
    const k6Stat = `p(${stat.slice(1)})`;
    const k6Metric = r.planLatency === true ? LATENCY_PLACEHOLDER : e.k6!;
    // The plan's latency is counted into the scope's figures; any other Trend is read as k6 computed it.
    const fromFigures: Measure = (m) => m.figures?.latencyMs?.[stat] ?? null;
    const measure: Measure = r.planLatency === true ? fromFigures : (m) => m.trend(k6Metric, k6Stat);
    const label = r.label.replace('{stat}', stat);
    return [`${r.name}_${stat}`, { k6Metric, stat: k6Stat, op: r.op, unit: r.unit, label, toK6, measure }];
  });
}

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
/** Fails to compile when the table's rule names and the schema's enum differ. */
export type TableNamesTheSchemasMetrics = Assert<Same<RuleMetricName, Rule['metric']>>;

const ruleEntries = METRIC_ENTRIES.flatMap(([, e]) => (e.rule === undefined ? [] : specsOf(e, e.rule)));
export const RULE_METRICS = Object.fromEntries(ruleEntries) as Record<Rule['metric'], MetricSpec>;
