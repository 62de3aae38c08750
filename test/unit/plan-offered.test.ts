import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { offeredRate, unmeetableThroughput } from '../../src/core/plan/offered.js';
import { resolvePlan, type ScenarioDefinition } from '../../src/core/plan/plan.js';
import { k6Thresholds } from '../../src/core/rules/thresholds.js';
import type { PlanPhase } from '../../src/core/types.js';
import { info, settings } from '../support/plan-settings.js';

const open = (name: string, requests: number, durationSec: number): PlanPhase => ({
  name,
  model: 'open',
  clients: 10,
  requests,
  ratePerSec: requests / durationSec,
  durationSec,
  timeoutSec: 30,
  startSec: 0,
  maxDurationSec: durationSec + 30,
});
const closed: PlanPhase = {
  name: 'load',
  model: 'closed',
  clients: 10,
  requests: 100,
  timeoutSec: 30,
  startSec: 0,
  maxDurationSec: 305,
};
const mix = [
  { endpoint: 'health' as const, weight: 1 },
  { endpoint: 'generate' as const, weight: 3 },
];

describe('the rate an open run offers', () => {
  it('is its requests over its windows, in every phase or the one a rule names', () => {
    const phases = [open('baseline', 10, 5), open('spike', 100, 5)];
    assert.equal(offeredRate(phases, mix, {}), 11);
    assert.equal(offeredRate(phases, mix, { phase: 'spike' }), 20);
  });

  it("is an endpoint's share of the mix for a rule on that endpoint", () => {
    assert.equal(offeredRate([open('load', 40, 10)], mix, { endpoint: 'generate' }), 3);
    assert.equal(offeredRate([open('load', 40, 10)], mix, { endpoint: 'health' }), 1);
  });

  it('is unknown where a closed phase is in scope: its clients send as fast as the server answers', () => {
    assert.equal(offeredRate([closed], mix, {}), null);
    assert.equal(offeredRate([open('warm', 10, 5), { ...closed, name: 'load' }], mix, {}), null);
    assert.equal(offeredRate([open('warm', 10, 5), { ...closed, name: 'load' }], mix, { phase: 'warm' }), 2);
  });
});

describe('a throughput rule against what the run offers', () => {
  const rule = { id: 'throughput', metric: 'throughput' as const, acceptable: 5, source: 's' };
  const at = (rate: number, gate: 'acceptable' | 'target' = 'acceptable') => ({
    phases: [open('load', rate * 10, 10)],
    mix: [{ endpoint: 'health' as const, weight: 1 }],
    gate,
  });

  it('is left out with a note when the run offers no more than its bound: no server could meet it', () => {
    const u = unmeetableThroughput(rule, at(2));
    assert.equal(u?.drop, true);
    assert.match(u!.note, /^Rule 'throughput' \(throughput > 5 req\/s\) was not judged: this run offers 2 req\/s,/);
    assert.equal(unmeetableThroughput(rule, at(5))?.drop, true);
  });

  it('is judged when the run offers more, when a closed phase sets the rate, and for other metrics', () => {
    assert.equal(unmeetableThroughput(rule, at(6)), null);
    assert.equal(unmeetableThroughput(rule, { ...at(2), phases: [closed] }), null);
    assert.equal(unmeetableThroughput({ ...rule, metric: 'error_rate' }, at(2)), null);
  });

  it('keeps a rule whose target tier alone is out of reach, saying so, and whether that tier gates', () => {
    const tiered = { ...rule, target: 10 };
    const u = unmeetableThroughput(tiered, at(7));
    assert.equal(u?.drop, false);
    assert.match(u!.note, /target tier \(throughput > 10 req\/s\) cannot be met: this run offers 7 req\/s\./);
    assert.match(unmeetableThroughput(tiered, at(7, 'target'))!.note, /--gate target fails the run on it/);
  });
});

describe("a plan whose --rate is below the scenario's throughput rule", () => {
  const sustained: ScenarioDefinition = {
    name: 'sustained',
    description: 'd',
    thresholds: {
      scenario: 'sustained',
      rules: [
        { id: 'errors', metric: 'error_rate', acceptable: 5, source: 's' },
        { id: 'throughput', metric: 'throughput', acceptable: 5, source: 's' },
      ],
    },
    mixable: true,
    mix: [{ endpoint: 'health', weight: 1 }],
    phases: [{ name: 'sustained', model: 'open', clients: 10, requests: 200, durationSec: 30, timeoutSec: 30 }],
  };
  const shape = (rate: number) => ({ clients: null, requests: null, rate, durationSec: 3 });

  it('leaves the rule and its k6 threshold out and says why; at a rate above it, both stay', () => {
    const low = resolvePlan(sustained, { ...settings, shape: shape(2) }, info);
    assert.deepEqual(
      low.thresholds.rules.map((r) => r.id),
      ['errors'],
    );
    assert.ok(!Object.keys(k6Thresholds(low)).some((k) => k.startsWith('requests_ok')), 'no requests_ok threshold');
    assert.ok(low.notes.some((n) => n.startsWith("Rule 'throughput'") && n.includes('offers 2 req/s')));
    const high = resolvePlan(sustained, { ...settings, shape: shape(8) }, info);
    assert.deepEqual(
      high.thresholds.rules.map((r) => r.id),
      ['errors', 'throughput'],
    );
  });
});
