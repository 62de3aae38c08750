import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/core/errors/ValidationError.js';
import { phaseOffsets } from '../../src/core/plan/arrivals.js';
import { resolvePlan, type ScenarioDefinition } from '../../src/core/plan/plan.js';
import { parseGoodput } from '../../src/core/rules/goodput.js';
import { info, settings } from '../support/plan-settings.js';

const rules = (extra: object[] = []) => ({
  scenario: 's',
  rules: [{ id: 'errors', metric: 'error_rate', acceptable: 5, source: 's' }, ...extra],
});
const open: ScenarioDefinition = {
  name: 's',
  description: 'd',
  thresholds: rules(),
  mixable: false,
  mix: [{ endpoint: 'generate', weight: 1 }],
  phases: [
    { name: 'baseline', model: 'open', clients: 4, requests: 100, durationSec: 10, timeoutSec: 30 },
    { name: 'spike', model: 'open', clients: 8, requests: 200, durationSec: 10, timeoutSec: 30 },
  ],
};
const closed: ScenarioDefinition = {
  ...open,
  phases: [{ name: 'main', model: 'closed', clients: 4, requests: 40, timeoutSec: 30 }],
};
const poisson = { spec: { process: 'poisson' as const }, seed: 7, trace: null };

describe('arrivals in the plan', () => {
  it('gives every open phase the process and a seed of its own, and a window that holds its last due time', () => {
    const plan = resolvePlan(open, { ...settings, arrivals: poisson }, info);
    assert.deepEqual(
      plan.phases.map((p) => [p.arrivals, p.seed]),
      [
        ['poisson', 7],
        ['poisson', 8],
      ],
    );
    for (const p of plan.phases) {
      const offsets = phaseOffsets(p);
      assert.equal(offsets.length, p.requests);
      assert.ok(p.maxDurationSec >= offsets[offsets.length - 1]! / 1000 + p.timeoutSec);
    }
    // The spike starts once the baseline's last request was due.
    const lastBaseline = phaseOffsets(plan.phases[0]!).at(-1)! / 1000;
    assert.ok(plan.phases[1]!.startSec >= Math.min(10, lastBaseline));
    assert.equal(plan.arrivals, 'poisson, seed 7');
  });

  it('draws the same due times from the same seed, and others from another', () => {
    const a = resolvePlan(open, { ...settings, arrivals: poisson }, info);
    const b = resolvePlan(open, { ...settings, arrivals: poisson }, info);
    const c = resolvePlan(open, { ...settings, arrivals: { ...poisson, seed: 8 } }, info);
    assert.deepEqual(phaseOffsets(a.phases[0]!), phaseOffsets(b.phases[0]!));
    assert.notDeepEqual(phaseOffsets(a.phases[0]!), phaseOffsets(c.phases[0]!));
  });

  it("keeps k6's even beat for constant arrivals: no schedule of ours", () => {
    const plan = resolvePlan(open, settings, info);
    assert.equal(plan.phases[0]!.arrivals, undefined);
    assert.equal(plan.arrivals, null);
  });

  it('refuses a drawn process on a closed scenario, naming --arrivals', () => {
    assert.throws(
      () => resolvePlan(closed, { ...settings, arrivals: poisson }, info),
      (e) => e instanceof ValidationError && /--arrivals/.test(e.message) && /open/.test(e.message),
    );
  });

  it("replaces the one phase's shape with a trace's: its requests, its window, the clients given", () => {
    const trace = { source: 't.jsonl', offsets: [0, 5, 5, 120, 2000], timeScale: 10 };
    const plan = resolvePlan(
      closed,
      {
        ...settings,
        arrivals: { ...poisson, spec: { process: 'constant' }, trace },
        shape: { clients: 50, requests: null, rate: null, durationSec: null },
      },
      info,
    );
    const p = plan.phases[0]!;
    assert.equal(p.model, 'open');
    assert.equal(p.requests, 5);
    assert.equal(p.clients, 50);
    assert.equal(p.durationSec, 2);
    assert.equal(p.arrivals, 'trace');
    assert.equal(plan.arrivals, 'trace t.jsonl replayed at 10x');
  });

  it('refuses a rule on goodput without --goodput, naming the thresholds file', () => {
    const withRule = { ...open, thresholds: rules([{ id: 'g', metric: 'goodput', acceptable: 90, source: 's' }]) };
    assert.throws(
      () => resolvePlan(withRule, { ...settings, thresholdsSource: 'my/s.json' }, info),
      (e) => e instanceof ValidationError && /my\/s\.json/.test(e.message) && /--goodput/.test(e.message),
    );
    const plan = resolvePlan(withRule, { ...settings, goodput: parseGoodput('--goodput', 'latency<200') }, info);
    assert.equal(plan.goodput, 'latency<200ms');
  });

  it('refuses stream objectives on a scenario that does not stream', () => {
    assert.throws(
      () => resolvePlan(open, { ...settings, goodput: parseGoodput('--goodput', 'ttft<500') }, info),
      (e) => e instanceof ValidationError && /--goodput/.test(e.message),
    );
  });
});
