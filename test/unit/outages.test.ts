/**
 * Outages in the per-second timeline: a run of consecutive failures long enough to be one, when it
 * started, when the first success came back and how long that took; scattered errors are not one.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OutcomeLog, secondsAroundOutages, timelineOf, type RequestOutcome } from '../../src/core/watch/outages.js';
import { outageLines } from '../../src/core/report/render-outages.js';
import type { ScenarioReport } from '../../src/core/types.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');

/** A request every `stepMs` from `fromMs` to `toMs` (ms after T0), failing where `fails` says. */
function requests(fromMs: number, toMs: number, stepMs: number, fails: (t: number) => boolean): RequestOutcome[] {
  const out: RequestOutcome[] = [];
  for (let t = fromMs; t < toMs; t += stepMs) out.push({ tMs: T0 + t, failed: fails(t) });
  return out;
}

describe('the per-second timeline', () => {
  it('counts requests and failures per second of the run, empty seconds included', () => {
    const t = timelineOf(
      OutcomeLog.of([
        { tMs: T0 + 500, failed: false },
        { tMs: T0 + 2100, failed: true },
        { tMs: T0 + 2900, failed: false },
      ]),
      T0,
    )!;
    assert.deepEqual(t.seconds, [
      { tSec: 0, requests: 1, failures: 0 },
      { tSec: 1, requests: 0, failures: 0 },
      { tSec: 2, requests: 2, failures: 1 },
    ]);
    assert.deepEqual(t.outages, []);
  });

  it('finds a server restart: every request failing from 3.0 s to 5.4 s, first success at 5.5 s', () => {
    const log = OutcomeLog.of(requests(0, 8000, 100, (t) => t >= 3000 && t < 5500));
    const t = timelineOf(log, T0)!;
    assert.equal(t.outages.length, 1);
    assert.deepEqual(t.outages[0], {
      startSec: 3,
      lastFailureSec: 5.4,
      failures: 25,
      recoveredAtSec: 5.5,
      timeToRecoverSec: 2.5,
    });
    assert.deepEqual(
      t.seconds.find((s) => s.tSec === 4),
      { tSec: 4, requests: 10, failures: 10 },
    );
    assert.deepEqual(
      secondsAroundOutages(t).map((s) => s.tSec),
      [1, 2, 3, 4, 5, 6, 7],
      'two seconds either side',
    );
  });

  it('does not call scattered errors or a short blip an outage', () => {
    const scattered = timelineOf(OutcomeLog.of(requests(0, 5000, 100, (t) => t % 700 === 0)), T0)!;
    assert.deepEqual(scattered.outages, []);
    const blip = timelineOf(OutcomeLog.of(requests(0, 5000, 100, (t) => t >= 2000 && t < 2500)), T0)!;
    assert.deepEqual(blip.outages, [], 'half a second of failures');
  });

  it('says when the server never came back before the end', () => {
    const t = timelineOf(OutcomeLog.of(requests(0, 4000, 100, (t) => t >= 2000)), T0)!;
    assert.equal(t.outages.length, 1);
    assert.equal(t.outages[0]!.recoveredAtSec, null);
    assert.equal(t.outages[0]!.timeToRecoverSec, null);
    const text = outageLines({ timeline: t } as ScenarioReport).join('\n');
    assert.match(
      text,
      new RegExp(
        /2\.00 s to 3\.90 s of the run, 20 request\(s\) failed and none succeeded; /.source +
          /not recovered before the scenario ended/.source,
      ),
    );
  });

  it('reads the order of completion, not the order of arrival', () => {
    const shuffled = requests(0, 4000, 100, (t) => t >= 1000 && t < 2500).reverse();
    assert.equal(timelineOf(OutcomeLog.of(shuffled), T0)!.outages[0]!.timeToRecoverSec, 1.5);
  });
});
