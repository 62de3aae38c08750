import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { crossCheck } from '../../src/core/scrape/crosscheck.js';
import type { EndpointReport, K6Summary, ServerProfile } from '../../src/core/types.js';
import { LatencyWindows } from '../../src/core/watch/latency-windows.js';
import { percentile } from '../../src/core/stats.js';
import { summarizeResources, type ProcessSample } from '../../src/core/watch/resources.js';

const MB = 1024 * 1024;

/** One sample every 250 ms: RSS from `rss(i)` MB, CPU time growing by `cpuPerSample` s. */
function samples(n: number, rss: (i: number) => number, cpuPerSample: number, t0 = 0): ProcessSample[] {
  return Array.from({ length: n }, (_, i) => ({
    tMs: t0 + i * 250,
    rssBytes: rss(i) * MB,
    cpuSec: i * cpuPerSample,
    processes: 1,
  }));
}

describe('summarizing the server process over a scenario', () => {
  const base = { target: 'pid 1', intervalMs: 250, cores: 2, warmupFraction: 0.2 };

  it('takes the baseline just before the load, the peak during it, and CPU as time used over time passed', () => {
    // Idle at 100 MB for 1 s, then 4 s of load rising to 150 MB, using half a core.
    const all = samples(21, (i) => (i <= 4 ? 100 : 100 + (i - 4) * 2.5), 0.125);
    const r = summarizeResources({ ...base, samples: all, window: { startMs: 1000, endMs: 5000 }, timeline: null });
    assert.equal(r.baselineRssMb, 100);
    assert.equal(r.peakRssMb, 140);
    assert.equal(r.overheadMb, 40);
    assert.equal(r.cpuAvgPctOfOneCore, 50);
    assert.equal(r.cpuAvgPctOfAllCores, 25);
    assert.equal(r.samples, 17);
    assert.equal(r.leak, null, 'no request timeline, no leak check');
  });

  it('fits RSS against completed requests and measures p95 drift between the first and last thirds', () => {
    const all = samples(41, (i) => 100 + i * 0.5, 0.05);
    // 100 requests over 10 s; the last third is 30 ms slower.
    const timeline = new LatencyWindows();
    for (let i = 0; i < 99; i++) timeline.add(i * 100 + 50, i >= 66 ? 40 : 10, 'health');
    const r = summarizeResources({ ...base, samples: all, window: { startMs: 0, endMs: 10_000 }, timeline });
    // 0.5 MB per 250 ms while 2.5 requests complete: 200 MB per 1000 requests.
    assert.ok(Math.abs(r.leak!.slopeMbPer1000Requests! - 200) < 1, String(r.leak?.slopeMbPer1000Requests));
    assert.doesNotMatch(r.leak!.reason, /bound/);
    assert.deepEqual([r.drift?.firstP95Ms, r.drift?.lastP95Ms, r.drift?.growthMs, r.drift?.requests], [10, 40, 30, 99]);
  });

  it('computes percentiles the way k6 does (linear between ranks)', () => {
    assert.equal(percentile([1, 2, 3, 4], 50), 2.5);
    assert.equal(percentile([], 95), null);
  });
});

describe('cross-checking server counters with k6', () => {
  const profile: ServerProfile = {
    name: 'x',
    metricsPath: '/metrics',
    counters: [
      { name: 'req_total', endpoints: ['generate'], counts: 'requests', note: 'rejected requests are not counted' },
      { name: 'tokens', endpoints: ['generate'], counts: 'tokens' },
    ],
    source: 'test',
  };
  const endpoints: EndpointReport[] = [
    {
      name: 'generate',
      totals: { requests: 10, sent: 10, successes: 9, failures: 1, dropped: 0, unsent: 0 },
      errorRatePct: 10,
      latencyMs: null,
    },
    {
      name: 'health',
      totals: { requests: 10, sent: 10, successes: 10, failures: 0, dropped: 0, unsent: 0 },
      errorRatePct: 0,
      latencyMs: null,
    },
  ];
  const summary = {
    metrics: { 'tokens_generated{endpoint:generate}': { type: 'counter', values: { count: 45 } } },
    state: { testRunDurationMs: 1 },
    root_group: { checks: [], groups: [] },
  } as K6Summary;

  it('agrees where the counts match and says what the server counts differently where they do not', () => {
    const rows = crossCheck(profile, { req_total: 9, tokens: 45 }, endpoints, summary);
    assert.deepEqual(
      rows.map((r) => [r.serverMetric, r.serverDelta, r.k6Count, r.agree]),
      [
        ['req_total', 9, 10, false],
        ['tokens', 45, 45, true],
      ],
    );
    assert.match(rows[0]!.note, /the server counted 9, k6 10: rejected requests are not counted/);
  });

  it('a counter the server did not export is not taken as agreeing, and is named', () => {
    const [row] = crossCheck(profile, { req_total: null }, endpoints, summary);
    assert.equal(row?.agree, false);
    assert.match(row!.note, /did not export req_total/);
  });
});
