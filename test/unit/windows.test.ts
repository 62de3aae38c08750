/**
 * k6's own windows (--no-samples): cumulative pushes turned back into what each second held, and the
 * timeline, outages and latency windows made from them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { windowsOf, type WindowPush } from '../../src/core/windows/windows.js';
import { timelineOfWindows } from '../../src/core/watch/outages.js';
import { LatencyWindows } from '../../src/core/watch/latency-windows.js';
import { addWindowTo, WindowOutcomes } from '../../src/core/windows/feed.js';
import { failedRatio, latency, ok, push, T0 } from '../support/windows-pushes.js';

const judged = (pushes: WindowPush[]): number[][] =>
  windowsOf(pushes, 'http_req_duration').map((w) => [w.judged, w.failures]);

describe("k6's own windows", () => {
  it('are each push less the last one of each series, the status of a request summed away', () => {
    const windows = windowsOf(
      [
        push(
          1000,
          latency(990, [[-10, 3]]),
          latency(980, [[-10, 1]], { status: '0' }),
          ok(990, 3),
          failedRatio(990, 0.25),
        ),
        // The failed request's series took nothing new this second: k6 does not send it again.
        push(
          2000,
          latency(1990, [
            [-10, 5],
            [-9, 2],
          ]),
          ok(1990, 7),
          failedRatio(1990, 0.125),
        ),
      ],
      'http_req_duration',
    );
    assert.deepEqual(
      windows.map((w) => [w.push, w.startMs - T0, w.endMs - T0, w.judged, w.failures]),
      [
        [0, 980, 990, 4, 1],
        [1, 1000, 1990, 4, 0],
      ],
    );
    // Bucket -10 at schema 0 is (2^-11, 2^-10] s: its geometric middle is 2^-10.5 s, about 0.69 ms.
    assert.deepEqual(
      windows[1]!.latency.map((b) => [b.ms.toFixed(4), b.count]),
      [
        [(2 ** -10.5 * 1000).toFixed(4), 2],
        [(2 ** -9.5 * 1000).toFixed(4), 2],
      ],
    );
  });

  it("count a request once its verdict is in, not when its answer's latency was taken", () => {
    // Request 4's answer was timed before the first push; its verdict, a failure, came after it.
    const pushes = [
      push(1000, latency(990, [[-10, 4]]), ok(990, 3), failedRatio(990, 0)),
      push(2000, ok(1990, 3), failedRatio(1990, 0.25)),
    ];
    assert.deepEqual(judged(pushes), [
      [3, 0],
      [1, 1],
    ]);
  });

  it('count the requests of a phase in which every one failed from the latency histogram', () => {
    const pushes = [
      push(1000, latency(990, [[-10, 5]]), failedRatio(990, 1)),
      push(2000, latency(1990, [[-10, 9]]), failedRatio(1990, 1)),
    ];
    assert.deepEqual(judged(pushes), [
      [5, 5],
      [4, 4],
    ]);
  });

  it('give a timeline of every request and an outage to within a window', () => {
    const pushes: WindowPush[] = [];
    let requests = 0;
    let good = 0;
    // 10 requests a second; in seconds 3 to 5 every one fails.
    for (let s = 1; s <= 8; s++) {
      requests += 10;
      if (s < 3 || s > 5) good += 10;
      const t = s * 1000 - 5;
      pushes.push(push(s * 1000, latency(t, [[-10, requests]]), ok(t, good), failedRatio(t, 1 - good / requests)));
    }
    const outcomes = new WindowOutcomes();
    for (const w of windowsOf(pushes, 'http_req_duration')) outcomes.add(w);
    const t = timelineOfWindows(outcomes.list(), T0)!;
    assert.equal(
      t.seconds.reduce((n, x) => n + x.requests, 0),
      80,
    );
    assert.deepEqual(
      t.seconds.map((x) => x.failures),
      [0, 0, 10, 10, 10, 0, 0, 0],
    );
    assert.deepEqual(t.outages, [
      { startSec: 2, lastFailureSec: 4.995, failures: 30, recoveredAtSec: 5, timeToRecoverSec: 3 },
    ]);
  });

  it("give one timeline of several runners' windows, one runner's pushed later but begun earlier", () => {
    const outcome = (startMs: number, pushedMs: number, requests: number) => ({
      startMs: T0 + startMs,
      endMs: T0 + pushedMs - 10,
      pushedMs: T0 + pushedMs,
      requests,
      failures: 0,
    });
    // Runner 2's first window (its middle in second 1) arrives after runner 1's (its middle in second 2).
    const t = timelineOfWindows([outcome(1500, 2500, 5), outcome(0, 2600, 7), outcome(2600, 3600, 4)], T0)!;
    assert.deepEqual(
      t.seconds.map((x) => [x.tSec, x.requests]),
      [
        [1, 7],
        [2, 5],
        [3, 4],
      ],
      'each window in the second of its middle; the runners summed',
    );
  });

  it('fill latency windows with one entry per bucket, so drift and bands read them as requests', () => {
    const windows = windowsOf(
      [
        push(1000, latency(990, [[-10, 30]])),
        push(
          2000,
          latency(1990, [
            [-10, 30],
            [-5, 30],
          ]),
        ),
      ],
      'http_req_duration',
    );
    const timeline = new LatencyWindows();
    for (const w of windows) addWindowTo(timeline, w);
    assert.equal(timeline.total, 60);
    const thirds = timeline.thirds()!;
    assert.ok(thirds.last.percentile(95)! > 10 * thirds.first.percentile(95)!, 'the last third is slower');
  });
});
