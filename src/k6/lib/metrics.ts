/**
 * The k6 side's metrics, made from the metric table (src/core/rules/metric-table.ts) with its type and
 * isTime, so a metric's name and kind are written once. k6 accepts new metrics only in init code:
 * call `metric()` at a module's top level, never in a function a VU runs.
 */
import { Counter, Gauge, Rate, Trend } from 'k6/metrics';
import { METRICS, type K6MetricKey, type K6MetricType } from '../../core/rules/metric-table.js';

interface K6Metrics {
  trend: Trend;
  rate: Rate;
  counter: Counter;
  gauge: Gauge;
}

const MAKE: { [T in K6MetricType]: new (name: string, isTime?: boolean) => K6Metrics[T] } = {
  trend: Trend,
  rate: Rate,
  counter: Counter,
  gauge: Gauge,
};

/**
 * The k6 metric of a table entry. One of k6's own (dropped_iterations) registered again with the same
 * type is k6's metric itself.
 */
export function metric<K extends K6MetricKey>(key: K): K6Metrics[(typeof METRICS)[K]['type']] {
  const { k6, type, isTime } = METRICS[key];
  return new MAKE[type](k6, isTime) as K6Metrics[(typeof METRICS)[K]['type']];
}
