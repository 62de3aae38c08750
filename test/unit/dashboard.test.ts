import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  dashboardPeriodMs,
  DASHBOARD_POINTS,
  K6_DASHBOARD_MAX_POINTS,
  noDashboardNote,
  plannedLengthSec,
  whyNoDashboard,
} from '../../src/core/report/dashboard.js';
import type { PlanPhase } from '../../src/core/types.js';

const open = (durationSec: number, startSec = 0, timeoutSec = 30): PlanPhase => ({
  name: `p${startSec}`,
  model: 'open',
  clients: 50,
  requests: Math.round(durationSec * 500),
  ratePerSec: 500,
  durationSec,
  timeoutSec,
  startSec,
  maxDurationSec: durationSec + timeoutSec,
});
const closed = (requests: number, clients: number, timeoutSec = 30): PlanPhase => ({
  name: 'c',
  model: 'closed',
  clients,
  requests,
  timeoutSec,
  startSec: 0,
  maxDurationSec: Math.ceil(requests / clients) * timeoutSec + 5,
});

describe("the dashboard's period, chosen from the run's planned length", () => {
  it('gives about DASHBOARD_POINTS points whatever the length, never more', () => {
    for (const seconds of [1, 5, 15, 30, 120, 1000, 3600]) {
      const period = dashboardPeriodMs({ phases: [open(seconds)] });
      const points = (seconds * 1000) / period;
      assert.ok(points <= DASHBOARD_POINTS, `${seconds} s: ${period} ms gives ${points} points`);
      assert.ok(points >= 2, `${seconds} s: ${period} ms still draws a graph`);
    }
    assert.equal(dashboardPeriodMs({ phases: [open(30)] }), 500, 'a 30 s run: 60 points of 500 ms, not 300 of 100 ms');
    assert.ok(
      dashboardPeriodMs({ phases: [open(1000)] }) > dashboardPeriodMs({ phases: [open(30)] }),
      'longer runs get longer periods',
    );
  });

  it('reads the length of several phases from the last one’s end', () => {
    const phases = [open(5, 0), open(5, 5), open(5, 10)];
    assert.equal(plannedLengthSec({ phases }), 15);
    assert.equal(dashboardPeriodMs({ phases }), 250);
  });

  it('uses the shortest period for a closed run, whose length nobody knows, unless k6 would raise it', () => {
    assert.equal(plannedLengthSec({ phases: [closed(100, 10)] }), null);
    assert.equal(dashboardPeriodMs({ phases: [closed(10, 10)] }), 100);
    // 100 requests on 10 clients may last 335 s by their timeouts: k6 itself raises 100 ms to 200 ms.
    assert.equal(dashboardPeriodMs({ phases: [closed(100, 10)] }), 200);
    // 20,000 requests on 10 clients may last 60,005 s by their timeouts: k6 raises the period so
    // that the run has at most K6_DASHBOARD_MAX_POINTS snapshots, and the period said is k6's.
    const big = dashboardPeriodMs({ phases: [closed(20_000, 10)] });
    assert.ok(big % 100 === 0 && big >= ((60_005 + 30) * 1000) / K6_DASHBOARD_MAX_POINTS, String(big));
  });
});

describe('the report line for a run without a dashboard', () => {
  it('says the run was shorter than two periods, with both figures and where the period came from', () => {
    const why = whyNoDashboard({
      plan: { phases: [closed(100, 10)] },
      durationSec: 0.02,
      k6Completed: true,
      k6Exit: 'code 0',
    });
    assert.deepEqual(why, { why: 'too-short', periodMs: 200, durationSec: 0.02, known: false });
    assert.match(
      noDashboardNote(why),
      /lasted 0\.02 s.*two snapshots, one per 200 ms period \(a closed run's length is not known/,
    );
    const open1 = whyNoDashboard({
      plan: { phases: [open(1)] },
      durationSec: 0.15,
      k6Completed: true,
      k6Exit: 'code 0',
    });
    assert.match(noDashboardNote(open1), /one per 100 ms period \(set from the run's planned length\)/);
  });

  it('names --dashboard, a failed k6, or k6.log when nothing else explains it', () => {
    assert.match(noDashboardNote({ why: 'off' }), /off by default.*--dashboard exports/);
    assert.match(
      noDashboardNote(
        whyNoDashboard({
          plan: { phases: [open(30)] },
          durationSec: null,
          k6Completed: false,
          k6Exit: 'signal SIGKILL',
        }),
      ),
      /k6 ended \(signal SIGKILL\)/,
    );
    assert.match(
      noDashboardNote(
        whyNoDashboard({ plan: { phases: [open(30)] }, durationSec: 30, k6Completed: true, k6Exit: 'code 0' }),
      ),
      /k6\.log/,
    );
  });
});
