/**
 * k6's remote-write pushes as the windows' code reads them, built by hand for unit tests: one phase
 * (`steady`) and endpoint (`generate`), latency histograms at schema 0 (bucket i is (2^(i-1), 2^i]
 * seconds), every series cumulative and stamped in ms after T0.
 */
import type { RwHistogram, RwSeries } from '../../src/core/windows/remote-write.js';
import type { WindowPush } from '../../src/core/windows/windows.js';

export const T0 = Date.parse('2026-01-01T00:00:00Z');

export const labels = (name: string, more: Record<string, string> = {}): Record<string, string> => ({
  __name__: name,
  scenario: 'steady',
  endpoint: 'generate',
  ...more,
});

/** k6's http_req_duration histogram, `at` ms after T0; `sumS`: k6's running sum, in seconds. */
export function latency(
  at: number,
  buckets: Array<[number, number]>,
  more: Record<string, string> = {},
  sumS = 0,
): RwSeries {
  const h: RwHistogram = {
    count: buckets.reduce((n, [, c]) => n + c, 0),
    sum: sumS,
    schema: 0,
    zeroThreshold: 0,
    zeroCount: 0,
    positive: buckets,
    negative: [],
    timestampMs: T0 + at,
  };
  return { labels: labels('k6_http_req_duration_seconds', more), samples: [], histograms: [h] };
}

/** A counter's or a rate's series: its value `at` ms after T0. */
export const gauge =
  (name: string, more: Record<string, string> = {}) =>
  (at: number, value: number): RwSeries => ({
    labels: labels(name, more),
    samples: [{ value, timestampMs: T0 + at }],
    histograms: [],
  });

export const ok = gauge('k6_requests_ok_total');
export const failedRatio = gauge('k6_request_failed_rate');

export const push = (at: number, ...series: RwSeries[]): WindowPush => ({ receivedMs: T0 + at, series });
