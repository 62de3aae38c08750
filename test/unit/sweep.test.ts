import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SweepStep } from '../../src/core/types.js';
import { parseSweepConfig } from '../../src/node/config/index.js';
import { judgeStep, nextRate } from '../../src/node/sweep/steps.js';

const latency = (p95: number) => ({
  samples: 10,
  min: 1,
  avg: p95 / 2,
  p50: p95 / 2,
  p90: p95,
  p95,
  p99: p95,
  max: p95,
});
const step = (rateRps: number, meetsSlo: boolean): SweepStep => ({
  rateRps,
  requests: 10,
  failures: 0,
  dropped: 0,
  errorRatePct: 0,
  latencyMs: latency(1),
  meetsSlo,
  reason: '',
});
const config = { startRate: 1, maxRate: 64, refine: 2 };

describe('the capacity sweep', () => {
  it('doubles the rate while the SLO holds, up to --max-rate', () => {
    assert.equal(nextRate([], config), 1);
    assert.equal(nextRate([step(1, true), step(2, true)], config), 4);
    assert.equal(nextRate([step(32, true)], config), 64);
    assert.equal(nextRate([step(64, true)], config), null);
  });

  it('bisects between the last good and the first bad rate --refine times, then stops', () => {
    const steps = [step(1, true), step(2, true), step(4, true), step(8, false)];
    assert.equal(nextRate(steps, config), 6);
    assert.equal(nextRate([...steps, step(6, true)], config), 7);
    assert.equal(nextRate([...steps, step(6, true), step(7, false)], config), null);
  });

  it('stops at once when even the first rate breaks the SLO', () => {
    assert.equal(nextRate([step(1, false)], config), null);
  });

  it('judges a step on the SLO percentile and on the error budget, dropped requests included', () => {
    const slo = {
      slos: [{ metric: 'latency' as const, stat: 'p95' as const, boundMs: 100, text: 'p95<100ms' }],
      errorBudgetPct: 1,
    };
    const base = { rateRps: 5, requests: 100, failures: 0, dropped: 0, errorRatePct: 0, latencyMs: latency(50) };
    assert.equal(judgeStep(base, slo).meetsSlo, true);
    assert.match(judgeStep({ ...base, latencyMs: latency(100) }, slo).reason, /p95 100\.00 ms breaks p95<100ms/);
    assert.match(
      judgeStep({ ...base, failures: 2, dropped: 2, errorRatePct: 2 }, slo).reason,
      /over the budget of 1% \(2 dropped\)/,
    );
    assert.equal(judgeStep({ ...base, latencyMs: null }, slo).meetsSlo, false);
  });

  it('reads its options, naming a bad SLO', () => {
    const c = parseSweepConfig(
      ['--slo', 'p99<250', '--endpoint', 'tokenize', '--max-rate', '32'],
      { HOME: '/h' },
      '/w',
    );
    assert.deepEqual(
      [c.slos[0]!.stat, c.slos[0]!.boundMs, c.endpoint, c.maxRate, c.baseUrl],
      ['p99', 250, 'tokenize', 32, 'http://127.0.0.1:8080'],
    );
    assert.throws(() => parseSweepConfig(['--slo', 'p95>500'], {}, '/w'), /--slo: expected objectives like p95<500/);
    assert.throws(() => parseSweepConfig([], {}, '/w'), /--slo: expected an objective when sweeping over rate/);
  });

  it('reads the workload options and the seed, and refuses conversations over rate', () => {
    const c = parseSweepConfig(['--slo', 'p95<500', '--input-tokens', '256', '--seed', '7'], {}, '/w');
    assert.deepEqual([c.workload?.input, c.seed, c.trace], [{ kind: 'fixed', tokens: 256 }, 7, null]);
    assert.equal(parseSweepConfig(['--slo', 'p95<500'], {}, '/w').workload, null);
    assert.throws(
      () => parseSweepConfig(['--slo', 'p95<500', '--turns', '3'], {}, '/w'),
      /--turns: expected conversations over concurrency/,
    );
    const talk = parseSweepConfig(['--endpoint', 'stream', '--turns', '3', '--think-time', '1'], {}, '/w');
    assert.deepEqual([talk.over, talk.workload?.turns, talk.workload?.thinkTimeSec], ['concurrency', 3, 1]);
  });
});

describe("a rate sweep's arrivals", () => {
  it('times its steps by --arrivals, drawn from --seed, evenly by default', () => {
    const c = parseSweepConfig(['--slo', 'p95<500', '--arrivals', 'gamma:2', '--seed', '9'], {}, '/w');
    assert.deepEqual([c.arrivals, c.seed], [{ process: 'gamma', cv: 2 }, 9]);
    assert.deepEqual(parseSweepConfig(['--slo', 'p95<500'], {}, '/w').arrivals, { process: 'constant' });
    assert.throws(
      () => parseSweepConfig(['--slo', 'p95<500', '--arrivals', 'bursty'], {}, '/w'),
      /--arrivals: expected .*poisson.*found 'bursty'/,
    );
  });

  it('refuses an arrival process over concurrency, where each client sends when its last request ends', () => {
    assert.throws(
      () => parseSweepConfig(['--endpoint', 'stream', '--arrivals', 'poisson'], {}, '/w'),
      /--arrivals: expected an arrival process over rate only \(--over rate\), found 'poisson'/,
    );
  });
});
