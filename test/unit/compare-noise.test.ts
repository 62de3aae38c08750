import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareWithNoise, DEFAULT_NOISE_OPTIONS, percentileOf } from '../../src/core/commands/compare-noise.js';
import { percentile } from '../../src/core/stats.js';
import { seededRandom } from '../../src/core/workload/prompts.js';
import { compareExitCode } from '../../src/node/commands/compare.js';

/** n latencies around `ms`, spread ±`noise` %, from a seed. */
function latencies(n: number, ms: number, noise: number, seed: number): number[] {
  const r = seededRandom(seed);
  return Array.from({ length: n }, () => ms * (1 + ((r() * 2 - 1) * noise) / 100));
}
const o = { ...DEFAULT_NOISE_OPTIONS, stat: 50, floorMs: 0 };

describe('compare that knows its noise', () => {
  it("computes k6's percentile by selection", () => {
    const xs = latencies(101, 100, 50, 3);
    const sorted = [...xs].sort((a, b) => a - b);
    for (const p of [0, 50, 95, 99, 100])
      assert.equal(percentileOf(Float64Array.from(xs), xs.length, p), percentile(sorted, p));
  });

  it('says no change for two samples of the same server, and never regressed', () => {
    const r = compareWithNoise([latencies(400, 100, 5, 1)], [latencies(400, 100, 5, 2)], o)!;
    assert.equal(r.verdict, 'no change');
    assert.ok(r.ci.lo < 0 && r.ci.hi > 0, `interval ${r.ci.lo}..${r.ci.hi} holds 0`);
  });

  it('says regressed for a server 30 % slower, and improved the other way round', () => {
    const base = [latencies(200, 100, 10, 1)];
    const slow = [latencies(200, 130, 10, 2)];
    assert.equal(compareWithNoise(base, slow, o)!.verdict, 'regressed');
    assert.equal(compareWithNoise(slow, base, o)!.verdict, 'improved');
  });

  it('says inconclusive for a 3 % change under larger noise', () => {
    const r = compareWithNoise([latencies(60, 100, 40, 1)], [latencies(60, 103, 40, 2)], o)!;
    assert.equal(r.verdict, 'inconclusive');
  });

  it('gives the same interval for the same seed, and never a margin below the measurement floor', () => {
    const b = [latencies(100, 100, 20, 1)];
    const c = [latencies(100, 104, 20, 2)];
    assert.deepEqual(compareWithNoise(b, c, o), compareWithNoise(b, c, o));
    assert.equal(compareWithNoise(b, c, { ...o, floorMs: 30 })!.marginMs, 30);
    assert.equal(compareWithNoise(b, c, { ...o, floorMs: 30 })!.verdict, 'no change');
  });

  it('resamples runs when both sides have several, and has nothing to say without samples', () => {
    const runs = (ms: number, seed: number): number[][] => [0, 1, 2].map((i) => latencies(50, ms, 10, seed + i));
    assert.equal(compareWithNoise(runs(100, 1), runs(100, 10), o)!.unit, 'runs');
    assert.equal(compareWithNoise([[]], [latencies(5, 1, 1, 1)], o), null);
  });
});

describe("compare's exit code", () => {
  const row = (verdict: 'regressed' | 'improved' | 'no change' | 'inconclusive') =>
    ({ verdict, scenario: 's' }) as Parameters<typeof compareExitCode>[1][number];
  it('is 1 on a regression, 3 (or as --inconclusive says) when inconclusive, else 0', () => {
    assert.equal(compareExitCode([], [row('no change'), row('regressed')], 'code'), 1);
    assert.equal(compareExitCode([], [row('no change'), row('inconclusive')], 'code'), 3);
    assert.equal(compareExitCode([], [row('inconclusive')], 'fail'), 1);
    assert.equal(compareExitCode([], [row('inconclusive')], 'pass'), 0);
    assert.equal(compareExitCode([], [row('improved'), row('no change')], 'code'), 0);
  });
  it("lets the bootstrap, not the medians' p95 rule, decide a scenario it answers for", () => {
    const p95 = { scenario: 's', metric: 'p95', regression: true } as Parameters<typeof compareExitCode>[0][number];
    assert.equal(compareExitCode([p95], [row('no change')], 'code'), 0);
    assert.equal(compareExitCode([p95], [], 'code'), 1);
    assert.equal(compareExitCode([{ ...p95, metric: 'error rate' }], [row('no change')], 'code'), 1);
  });
});
