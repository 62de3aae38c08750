/**
 * A k6 that died before its summary, with --no-samples: its figures rebuilt from the last push of every
 * series k6 had sent, under the keys of k6's own summary.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { WindowPush } from '../../src/core/windows/windows.js';
import { SummaryFromWindows } from '../../src/core/windows/windows-summary.js';
import { failedRatio, gauge, latency, ok, push, T0 } from '../support/windows-pushes.js';

const tokens = gauge('k6_tokens_generated_total');
/** k6's latency histogram with its running sum in seconds. */
const timed = (at: number, sumS: number, buckets: Array<[number, number]>, more: Record<string, string> = {}) =>
  latency(at, buckets, more, sumS);

function rebuild(...pushes: WindowPush[]) {
  const s = new SummaryFromWindows('http_req_duration', 1000);
  for (const p of pushes) s.add(p);
  return { pushes: s.size, ...s.result() };
}

/** Bucket i's geometric middle in ms, at schema 0. */
const middle = (i: number): number => Math.sqrt(2 ** (i - 1) * 2 ** i) * 1000;

describe('figures rebuilt from windows', () => {
  it("take each series' last push as its total, and add them up per phase and endpoint as k6's summary does", () => {
    const r = rebuild(
      push(1000, timed(990, 0.003, [[-10, 3]]), timed(980, 0.001, [[-10, 1]], { status: '0' })),
      push(1000, ok(990, 3), failedRatio(990, 0.25), tokens(990, 30)),
      // The failed request's series took nothing new: k6 does not send it again, and it still counts.
      push(
        2000,
        timed(1990, 0.008, [
          [-10, 5],
          [-9, 2],
        ]),
        ok(1990, 6),
        failedRatio(1990, 0.25),
        tokens(1990, 60),
      ),
    );
    assert.equal(r.pushes, 3);
    assert.equal(r.requests, 8, '6 ok at a failed ratio of 1/4');
    const m = r.summary.metrics;
    for (const key of ['request_failed', 'request_failed{scenario:steady,endpoint:generate}'])
      assert.deepEqual(m[key]?.values, { rate: 0.25, passes: 2, fails: 6 }, key);
    assert.equal(m['requests_ok{scenario:steady}']?.values['count'], 6);
    assert.equal(m['tokens_generated{endpoint:generate}']?.values['count'], 60);
    // From a push period before the first push (k6's start) to the newest sample.
    assert.equal(r.firstMs, T0);
    assert.equal(r.lastMs, T0 + 1990);
    assert.equal(r.summary.state?.testRunDurationMs, 1990);
    assert.ok(Math.abs(m['requests_ok']!.values['rate']! - 6 / 1.99) < 1e-9);

    const lat = m['http_req_duration{scenario:steady,endpoint:generate}']!.values;
    assert.equal(lat['count'], 8, 'both series: the status is summed away');
    assert.ok(Math.abs(lat['avg']! - (9 / 8) * 1) < 1e-9, "the mean from k6's exact sum: 9 ms over 8");
    // 6 of 8 in the lower bucket: the median is there; p99 in the upper one, both read as their middles.
    assert.ok(Math.abs(lat['p(50)']! - middle(-10)) / middle(-10) < 0.02, `p50 ${lat['p(50)']}`);
    assert.ok(Math.abs(lat['p(99)']! - middle(-9)) / middle(-9) < 0.02, `p99 ${lat['p(99)']}`);
    assert.ok(lat['min']! <= lat['p(50)']! && lat['p(99)']! <= lat['max']!);
  });

  it('count every request of a phase in which all failed from the latency histogram (the ratio is 1, no ok)', () => {
    const r = rebuild(push(1000, timed(990, 0.004, [[-10, 4]], { status: '0' }), failedRatio(990, 1)));
    assert.equal(r.requests, 4);
    assert.deepEqual(r.summary.metrics['request_failed']?.values, { rate: 1, passes: 4, fails: 0 });
    assert.equal(r.summary.metrics['requests_ok'], undefined, 'no request succeeded: k6 sent no such series');
  });

  it("weigh another rate by the requests judged beside it, and leave k6's checks out (their count is unknown)", () => {
    const r = rebuild(
      push(
        1000,
        ok(990, 9),
        failedRatio(990, 0.1),
        gauge('k6_goodput_rate')(990, 0.5),
        gauge('k6_checks_rate', { check: 'status is 200' })(990, 0.9),
      ),
    );
    assert.deepEqual(r.summary.metrics['goodput{scenario:steady}']?.values, { rate: 0.5, passes: 5, fails: 5 });
    assert.equal(r.summary.metrics['checks'], undefined);
    assert.deepEqual(r.summary.root_group?.checks, []);
  });

  it("keep a conversation's turns apart: each turn's requests and failures are of its own series", () => {
    const turn = (t: string) => ({ turn: t });
    const r = rebuild(
      push(
        1000,
        timed(990, 0.004, [[-10, 4]], turn('1')),
        gauge('k6_requests_ok_total', turn('1'))(990, 3),
        gauge('k6_request_failed_rate', turn('1'))(990, 0.25),
        timed(990, 0.002, [[-10, 2]], turn('2')),
        gauge('k6_requests_ok_total', turn('2'))(990, 2),
        gauge('k6_request_failed_rate', turn('2'))(990, 0),
      ),
    );
    assert.equal(r.requests, 6, '4 in turn 1 (3 ok, a quarter failed) and 2 in turn 2');
    const m = r.summary.metrics;
    assert.deepEqual(m['request_failed']?.values, { rate: 1 / 6, passes: 1, fails: 5 }, 'each turn weighed once');
    assert.equal(m['requests_ok{turn:1}']?.values['count'], 3);
    assert.equal(m['requests_ok{turn:2}']?.values['count'], 2);
    assert.equal(m['http_req_duration{turn:2}']?.values['count'], 2, "the turn's latencies, as k6's summary keys them");
  });

  it('give nothing to rebuild from a file with no push', () => {
    const r = rebuild();
    assert.equal(r.requests, 0);
    assert.deepEqual(r.summary.metrics, {});
    assert.equal(r.firstMs, null);
  });
});
