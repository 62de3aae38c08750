/**
 * A one-phase, one-endpoint run asks k6 for no sub-metrics (each would copy the whole metric); the
 * report's phase and endpoint figures then come from the whole metrics, and are the same.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { convertScenario } from '../../src/core/summary/convert.js';
import type { K6Summary, ScenarioPlan } from '../../src/core/types.js';

const FIXTURE = path.resolve(import.meta.dirname, '..', 'fixtures', 'realizar-health');
const plan = JSON.parse(readFileSync(path.join(FIXTURE, 'plan.json'), 'utf8')) as ScenarioPlan;
const summary = JSON.parse(readFileSync(path.join(FIXTURE, 'summary.json'), 'utf8')) as K6Summary;
const ctx = { k6ExitCode: 0, status: 'completed' as const, error: null, files: { summary: null, plan: null } };

describe('a run with one phase and one endpoint', () => {
  it('reports the same phase and endpoint figures without k6 sub-metrics as with them', () => {
    const withSub = convertScenario(plan, summary, ctx);
    const wholeOnly: K6Summary = {
      ...summary,
      metrics: Object.fromEntries(Object.entries(summary.metrics).filter(([k]) => !k.includes('{'))),
    };
    const without = convertScenario(plan, wholeOnly, ctx);
    assert.equal(plan.phases.length, 1);
    assert.equal(plan.mix.length, 1);
    assert.deepEqual(without.phases, withSub.phases);
    assert.deepEqual(without.endpoints, withSub.endpoints);
    assert.deepEqual(without.totals, withSub.totals);
    assert.ok(without.totals.requests > 0);
  });
});
