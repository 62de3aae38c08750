/**
 * The judgements over sampled series: an exact least-squares line, the memory-leak check on a planted
 * leak and on a flat, noisy RSS, warm-up exclusion, and latency drift around its bound. The noise is
 * a fixed pseudo-random sequence, so every run sees the same numbers.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BYTES_PER_MB,
  drift,
  leakVerdict,
  linearFit,
  type CompletedSample,
  type RssSample,
} from '../../src/core/watch/series.js';

/** Deterministic noise in [-1, 1) (a linear congruential generator), so the tests are reproducible. */
function noise(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 31 - 1;
  };
}

/** A load of 50 requests per second for `seconds`, sampled once a second. */
function steadyLoad(seconds: number): CompletedSample[] {
  return Array.from({ length: seconds + 1 }, (_, s) => ({ tMs: s * 1000, completed: s * 50 }));
}

/** RSS sampled at each second, as a function of the requests completed by then. */
function rssOf(load: readonly CompletedSample[], mb: (completed: number) => number): RssSample[] {
  return load.map((r) => ({ tMs: r.tMs, rssBytes: mb(r.completed) * BYTES_PER_MB }));
}

const close = (actual: number | null | undefined, expected: number, tolerance: number): void => {
  assert.ok(
    actual !== null && actual !== undefined && Math.abs(actual - expected) <= tolerance,
    `${String(actual)} is not within ${tolerance} of ${expected}`,
  );
};

describe('least-squares line', () => {
  it('recovers the exact slope and intercept of points on a line', () => {
    assert.deepEqual(linearFit([0, 1, 2, 3, 4].map((x) => ({ x, y: 2 * x + 1 }))), { slope: 2, intercept: 1, r2: 1 });
    assert.deepEqual(linearFit([10, 20, 30].map((x) => ({ x, y: 500 - 3 * x }))), { slope: -3, intercept: 500, r2: 1 });
  });

  it('fits scattered points as worked by hand: slope 0.8, intercept 1.3, r² 0.64', () => {
    const fit = linearFit([
      { x: 0, y: 1 },
      { x: 1, y: 3 },
      { x: 2, y: 2 },
      { x: 3, y: 4 },
    ]);
    close(fit?.slope, 0.8, 1e-12);
    close(fit?.intercept, 1.3, 1e-12);
    close(fit?.r2, 0.64, 1e-12);
  });

  it('keeps its digits on RSS-sized values', () => {
    const fit = linearFit([0, 1000, 2000, 3000].map((x) => ({ x, y: 4e8 + 10.5 * x })));
    assert.equal(fit?.slope, 10.5);
    assert.equal(fit?.intercept, 4e8);
  });

  it('gives r² 1 for a flat line and null when no line is determined', () => {
    assert.deepEqual(
      linearFit([
        { x: 1, y: 5 },
        { x: 2, y: 5 },
      ]),
      { slope: 0, intercept: 5, r2: 1 },
    );
    assert.equal(linearFit([]), null);
    assert.equal(linearFit([{ x: 1, y: 1 }]), null);
    assert.equal(
      linearFit([
        { x: 3, y: 1 },
        { x: 3, y: 9 },
      ]),
      null,
    );
  });
});

describe('memory-leak check', () => {
  const opts = { warmupFraction: 0.2, maxGrowthMbPer1000Requests: 5 };

  it('flags a planted leak of 1 MB per 100 requests (10 MB per 1000)', () => {
    const load = steadyLoad(60); // 3000 requests
    const jitter = noise(7);
    const v = leakVerdict(
      rssOf(load, (done) => 300 + done / 100 + 0.5 * jitter()),
      load,
      opts,
    );
    assert.equal(v.pass, false);
    close(v.slopeMbPer1000Requests, 10, 0.2);
    assert.ok((v.r2 ?? 0) > 0.99, String(v.r2));
    assert.match(
      v.reason,
      new RegExp(
        /^RSS grew (9\.9|10\.0)\d MB per 1000 requests \(above the bound of 5\.00\), /.source +
          /fitted over 49 samples from 600 to 3000 completed requests/.source,
      ),
    );
  });

  it('passes a flat RSS with noise of ±2 MB', () => {
    const load = steadyLoad(60);
    const jitter = noise(11);
    const v = leakVerdict(
      rssOf(load, () => 300 + 2 * jitter()),
      load,
      opts,
    );
    assert.equal(v.pass, true, v.reason);
    assert.ok(Math.abs(v.slopeMbPer1000Requests ?? Infinity) < 1, v.reason);
    assert.match(v.reason, /within the bound of 5\.00/);
  });

  it('excludes warm-up: a one-off growth in the first tenth of the requests is not a leak', () => {
    const load = steadyLoad(60);
    // +200 MB over the first 300 of 3000 requests (model pages, caches), flat afterwards.
    const mb = (done: number): number => 100 + Math.min(done, 300) * (200 / 300);
    const withWarmup = leakVerdict(rssOf(load, mb), load, opts);
    assert.equal(withWarmup.pass, true, withWarmup.reason);
    assert.equal(withWarmup.slopeMbPer1000Requests, 0);
    // Samples at 600, 650, ..., 3000 requests: 20 % of 3000 are warm-up.
    assert.equal(withWarmup.samples, 49);
    const withoutWarmup = leakVerdict(rssOf(load, mb), load, { ...opts, warmupFraction: 0 });
    assert.equal(withoutWarmup.pass, false, withoutWarmup.reason);
    assert.equal(withoutWarmup.samples, 61);
  });

  it('relates RSS to the requests interpolated at its own sampling times, ignoring samples outside the load', () => {
    const load = steadyLoad(10); // 0..500 requests over 0..10 s
    const rss: RssSample[] = [];
    // Sampled half a second out of step with the request counts, starting before the load and ending after it.
    for (let t = -1500; t <= 11500; t += 1000)
      rss.push({ tMs: t, rssBytes: (200 + (t / 1000) * 50 * 0.02) * BYTES_PER_MB });
    const v = leakVerdict(rss, load, { warmupFraction: 0, maxGrowthMbPer1000Requests: 50 });
    assert.equal(v.samples, 10);
    close(v.slopeMbPer1000Requests, 20, 1e-9);
    assert.equal(v.pass, true);
  });

  it('fails with a reason when it cannot judge', () => {
    const load = steadyLoad(10);
    const noRequests = leakVerdict(
      rssOf(load, () => 300),
      load.map((r) => ({ ...r, completed: 42 })),
      opts,
    );
    assert.deepEqual({ slope: noRequests.slopeMbPer1000Requests, pass: noRequests.pass }, { slope: null, pass: false });
    assert.match(noRequests.reason, /no request completed/);

    const tooFew = leakVerdict(rssOf(load, () => 300).slice(-2), load, opts);
    assert.equal(tooFew.pass, false);
    assert.equal(tooFew.samples, 2);
    assert.match(tooFew.reason, /fewer than the 3 a fit needs/);

    assert.equal(leakVerdict([], [], opts).pass, false);
  });

  it('refuses options outside their range', () => {
    assert.throws(() => leakVerdict([], [], { warmupFraction: 1, maxGrowthMbPer1000Requests: 5 }), /warmupFraction/);
    assert.throws(
      () => leakVerdict([], [], { warmupFraction: 0.1, maxGrowthMbPer1000Requests: -1 }),
      /maxGrowthMbPer1000Requests/,
    );
    assert.throws(() => leakVerdict([], [], { ...opts, minSamples: 1 }), /minSamples/);
  });
});

describe('latency drift', () => {
  it('passes below and at the ratio, fails above it', () => {
    assert.deepEqual(drift(100, 149, 1.5), {
      ratio: 1.49,
      pass: true,
      reason:
        'p95 went from 100.00 ms in the first third to 149.00 ms in the last: ' + '1.49× (within the bound of 1.50×)',
    });
    assert.equal(drift(100, 150, 1.5).pass, true);
    const slower = drift(100, 151, 1.5);
    assert.equal(slower.pass, false);
    assert.equal(slower.ratio, 1.51);
    assert.match(slower.reason, /above the bound of 1\.50×/);
  });

  it('passes a run that got faster', () => {
    assert.deepEqual({ ratio: drift(200, 50, 1.2).ratio, pass: drift(200, 50, 1.2).pass }, { ratio: 0.25, pass: true });
  });

  it('fails without a base to compare with', () => {
    assert.deepEqual({ ratio: drift(0, 10, 1.5).ratio, pass: drift(0, 10, 1.5).pass }, { ratio: null, pass: false });
    assert.equal(drift(Number.NaN, 10, 1.5).pass, false);
    assert.throws(() => drift(1, 1, 0), /maxRatio/);
  });
});
