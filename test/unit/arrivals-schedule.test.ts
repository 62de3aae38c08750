import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exponential, gammaUnitScale, standardNormal } from '../../src/core/arrivals/distributions.js';
import {
  arrivalSchedule,
  arrivalSpecText,
  parseArrivals,
  scheduleStats,
  type ArrivalSpec,
} from '../../src/core/arrivals/schedule.js';
import { ValidationError } from '../../src/core/errors/ValidationError.js';
import { seededRandom } from '../../src/core/workload/prompts.js';

const long = (spec: ArrivalSpec, seed = 1) => arrivalSchedule({ spec, count: 20_000, ratePerSec: 200, seed });
const draws = (n: number, draw: () => number): number[] => Array.from({ length: n }, draw);
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const variance = (xs: readonly number[]) => {
  const m = mean(xs);
  return xs.reduce((a, x) => a + (x - m) ** 2, 0) / xs.length;
};
const near = (actual: number | null, expected: number, within: number, what: string) =>
  assert.ok(
    actual !== null && Math.abs(actual - expected) <= within,
    `${what}: ${actual} is not within ${within} of ${expected}`,
  );

describe('an arrival spec (--arrivals)', () => {
  it('reads constant, poisson and gamma with its coefficient of variation', () => {
    assert.deepEqual(parseArrivals('--arrivals', 'constant'), { process: 'constant' });
    assert.deepEqual(parseArrivals('--arrivals', 'poisson'), { process: 'poisson' });
    assert.deepEqual(parseArrivals('--arrivals', 'gamma:2'), { process: 'gamma', cv: 2 });
    assert.deepEqual(parseArrivals('--arrivals', 'gamma:0.5'), { process: 'gamma', cv: 0.5 });
    assert.equal(arrivalSpecText(parseArrivals('--arrivals', 'gamma:1.5')), 'gamma:1.5');
  });

  for (const bad of [
    'uniform',
    'Poisson',
    '',
    'gamma',
    'gamma:',
    'gamma:0',
    'gamma:-1',
    'gamma:abc',
    'gamma:Infinity',
    'gamma:1e999',
    'gamma:0x10',
  ]) {
    it(`refuses '${bad}', naming the flag, what it takes and what it found`, () => {
      assert.throws(
        () => parseArrivals('--arrivals', bad),
        (err: unknown) =>
          err instanceof ValidationError &&
          err.source === '--arrivals' &&
          err.exitCode === 2 &&
          /gamma/.test(err.problems[0]!.expected) &&
          err.problems[0]!.found === `'${bad}'`,
      );
    });
  }
});

describe('a drawn schedule', () => {
  it('is the same for the same seed and another for another seed', () => {
    for (const spec of [{ process: 'poisson' }, { process: 'gamma', cv: 2 }, { process: 'gamma', cv: 0.5 }] as const) {
      const a = arrivalSchedule({ spec, count: 500, ratePerSec: 50, seed: 7 });
      assert.deepEqual(a, arrivalSchedule({ spec, count: 500, ratePerSec: 50, seed: 7 }));
      assert.notDeepEqual(a, arrivalSchedule({ spec, count: 500, ratePerSec: 50, seed: 8 }));
    }
  });

  it('starts at 0, never goes back and has one offset per request', () => {
    for (const spec of [{ process: 'constant' }, { process: 'poisson' }, { process: 'gamma', cv: 3 }] as const) {
      const s = arrivalSchedule({ spec, count: 1000, ratePerSec: 100, seed: 3 });
      assert.equal(s.length, 1000);
      assert.equal(s[0], 0);
      assert.ok(s.every((t, i) => i === 0 || t >= s[i - 1]!));
    }
    assert.deepEqual(arrivalSchedule({ spec: { process: 'poisson' }, count: 0, ratePerSec: 1, seed: 1 }), []);
  });

  it('constant is k6 constant-arrival-rate: request i at i * 1000/R ms', () => {
    assert.deepEqual(
      arrivalSchedule({ spec: { process: 'constant' }, count: 5, ratePerSec: 4, seed: 9 }),
      [0, 250, 500, 750, 1000],
    );
    const s = long({ process: 'constant' });
    const stats = scheduleStats(s, 100);
    assert.equal(s[19_999], 19_999 * 5);
    assert.ok(stats.gapCv! < 0.15, `CV ${stats.gapCv}`);
    near(stats.dispersion, 0, 0.05, 'dispersion of constant arrivals');
  });

  it('poisson has exponential gaps: mean 1000/R, CV 1, counts as dispersed as their mean', () => {
    for (const seed of [1, 2, 3]) {
      const stats = scheduleStats(long({ process: 'poisson' }, seed), 100);
      near(stats.meanGapMs, 5, 0.15, 'mean gap (3 %)');
      near(stats.gapCv, 1, 0.07, 'CV of gaps');
      near(stats.dispersion, 1, 0.2, 'index of dispersion in 100 ms windows');
    }
  });

  it('gamma:2 keeps the mean rate but is burstier: CV 2, counts four times as dispersed as Poisson', () => {
    for (const seed of [1, 2, 3]) {
      const stats = scheduleStats(long({ process: 'gamma', cv: 2 }, seed), 100);
      near(stats.meanGapMs, 5, 0.25, 'mean gap (5 %)');
      near(stats.gapCv, 2, 0.2, 'CV of gaps');
      near(stats.dispersion, 4, 1, 'index of dispersion in 100 ms windows');
    }
  });

  it('gamma below 1 is smoother than Poisson', () => {
    const stats = scheduleStats(long({ process: 'gamma', cv: 0.5 }), 100);
    near(stats.meanGapMs, 5, 0.15, 'mean gap');
    near(stats.gapCv, 0.5, 0.05, 'CV of gaps');
    assert.ok(stats.dispersion! < 0.5, `dispersion ${stats.dispersion}`);
  });

  it('refuses a rate or count that is no rate or count (a bug, not a user error)', () => {
    assert.throws(
      () => arrivalSchedule({ spec: { process: 'poisson' }, count: 10, ratePerSec: 0, seed: 1 }),
      RangeError,
    );
    assert.throws(
      () => arrivalSchedule({ spec: { process: 'poisson' }, count: 1.5, ratePerSec: 1, seed: 1 }),
      RangeError,
    );
  });
});

describe('schedule statistics', () => {
  it('are exact on a small schedule', () => {
    // Gaps 10, 10, 30, 50: mean 25, population SD sqrt(275); windows of 40 ms: [0,40) 3, [40,80) 1.
    const stats = scheduleStats([0, 10, 20, 50, 100], 40);
    assert.equal(stats.arrivals, 5);
    assert.equal(stats.meanGapMs, 25);
    assert.equal(stats.gapCv, Math.sqrt(275) / 25);
    assert.equal(stats.windows, 2);
    assert.equal(stats.dispersion, 2 / 2, 'sample variance 2 over mean 2');
  });

  it('say null where there is nothing to measure', () => {
    assert.deepEqual(scheduleStats([], 100), {
      arrivals: 0,
      meanGapMs: null,
      gapCv: null,
      windowMs: 100,
      windows: 0,
      dispersion: null,
    });
    assert.equal(scheduleStats([0, 0, 0], 100).gapCv, null);
    assert.equal(scheduleStats([0, 50], 100).dispersion, null);
  });
});

describe('the samplers', () => {
  it('standard normal draws have mean 0 and variance 1', () => {
    const random = seededRandom(11);
    const xs = draws(50_000, () => standardNormal(random));
    near(mean(xs), 0, 0.02, 'mean');
    near(variance(xs), 1, 0.03, 'variance');
  });

  it('exponential draws have the mean asked for and P(X < mean) = 1 - 1/e', () => {
    const random = seededRandom(12);
    const xs = draws(50_000, () => exponential(random, 5));
    near(mean(xs), 5, 0.1, 'mean');
    near(xs.filter((x) => x < 5).length / xs.length, 1 - Math.exp(-1), 0.01, 'P(X < mean)');
  });

  for (const shape of [0.1, 0.25, 0.5, 1, 2, 3, 10]) {
    it(`gamma draws of shape ${shape} have mean and variance ${shape}`, () => {
      const random = seededRandom(13);
      const xs = draws(60_000, () => gammaUnitScale(random, shape));
      assert.ok(xs.every((x) => x >= 0 && Number.isFinite(x)));
      near(mean(xs), shape, 0.03 * shape + 0.003, 'mean');
      near(variance(xs), shape, 0.1 * shape, 'variance');
    });
  }

  it('gamma draws follow the gamma law, not only its moments', () => {
    // Gamma(2): P(X < x) = 1 - e^-x (1 + x). Gamma(1/2) is Z²/2 for a standard normal Z: P(X < 1/2) = P(|Z| < 1).
    const random = seededRandom(14);
    const two = draws(60_000, () => gammaUnitScale(random, 2));
    near(two.filter((x) => x < 1).length / two.length, 1 - 2 * Math.exp(-1), 0.01, 'Gamma(2): P(X < 1)');
    near(two.filter((x) => x < 3).length / two.length, 1 - 4 * Math.exp(-3), 0.01, 'Gamma(2): P(X < 3)');
    const half = draws(60_000, () => gammaUnitScale(random, 0.5));
    near(half.filter((x) => x < 0.5).length / half.length, 0.682689, 0.01, 'Gamma(1/2): P(X < 1/2)');
  });

  it('refuses a shape that is not positive and finite', () => {
    for (const shape of [0, -1, Infinity, NaN]) assert.throws(() => gammaUnitScale(Math.random, shape), RangeError);
  });
});
