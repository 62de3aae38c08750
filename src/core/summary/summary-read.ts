/** Reading figures out of a k6 summary: a metric, one of its stats, or a latency block. Pure. */
import type { K6Metric, K6Summary, Latency } from '../types.js';
import { K6_METRICS } from '../rules/metric-table.js';
import { selector, type Scope } from '../rules/thresholds.js';

export function metric(summary: K6Summary, key: string): K6Metric | undefined {
  return summary.metrics[key];
}

export function value(m: K6Metric | undefined, stat: string): number {
  return m?.values[stat] ?? 0;
}

export function latencyOf(m: K6Metric | undefined): Latency {
  const samples = m?.values['count'];
  if (m === undefined || samples === undefined || samples === 0) return null;
  const v = (stat: string): number => m.values[stat] ?? 0;
  return {
    samples,
    min: v('min'),
    avg: v('avg'),
    p50: v('p(50)'),
    p90: v('p(90)'),
    p95: v('p(95)'),
    p99: v('p(99)'),
    max: v('max'),
  };
}

/**
 * The metrics that count requests due but never sent: k6's dropped_iterations (an open phase with no
 * free client) and arrivals_dropped (a phase on its own schedule, --arrivals or --trace, counts its own).
 */
export const DROPPED_METRICS: ReadonlySet<string> = new Set([K6_METRICS.dropped, K6_METRICS.arrivalsDropped]);

/** Requests dropped in a scope of a summary, by every metric that counts them. */
export function droppedIn(summary: K6Summary, scope: Scope = {}): number {
  let n = 0;
  for (const m of DROPPED_METRICS) n += value(metric(summary, selector(m, scope)), 'count');
  return n;
}
