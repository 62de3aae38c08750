/** Reading figures out of a k6 summary: a metric, one of its stats, or a latency block. Pure. */
import type { K6Metric, K6Summary, Latency } from '../types.js';

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
