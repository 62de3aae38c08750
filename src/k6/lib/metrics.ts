/**
 * The k6 side's metrics, made from the metric table (src/core/rules/metric-table.ts) with its type and
 * isTime, so a metric's name and kind are written once. k6 accepts new metrics only in init code:
 * call `metric()` at a module's top level, never in a function a VU runs.
 *
 * The table reaches the script packed into one string by the bundler (`__K6_METRIC_KINDS__`,
 * src/core/rules/metric-kinds.ts): built as objects, it cost every VU about 0.2 MB.
 */
import { Counter, Gauge, Rate, Trend } from 'k6/metrics';
import type { K6MetricKey, K6MetricType, METRICS } from '../../core/rules/metric-table.js';
import { metricKind } from '../../core/rules/metric-kinds.js';

/** Set by the bundler (build/bundle.ts): the metric table's k6 entries, packed. */
declare const __K6_METRIC_KINDS__: string;

interface K6Metrics {
  trend: Trend;
  rate: Rate;
  counter: Counter;
  gauge: Gauge;
}

/**
 * The k6 metric of a table entry. One of k6's own (dropped_iterations) registered again with the same
 * type is k6's metric itself.
 */
export function metric<K extends K6MetricKey>(key: K): K6Metrics[(typeof METRICS)[K]['type']] {
  const { k6, type, isTime } = metricKind(__K6_METRIC_KINDS__, key);
  const make: new (name: string, isTime?: boolean) => K6Metrics[K6MetricType] =
    type === 'trend' ? Trend : type === 'rate' ? Rate : type === 'counter' ? Counter : Gauge;
  return new make(k6, isTime) as K6Metrics[(typeof METRICS)[K]['type']];
}
