/**
 * An open phase's totals are its plan, even when k6's scheduler runs late at the phase's end: an
 * iteration k6 counts as dropped past the planned number is not a request of the plan, and a
 * planned request k6 never started is unsent (a failure), so requests always equal the plan.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { convertScenario } from '../../src/core/summary/convert.js';
import type { K6Summary, ScenarioPlan } from '../../src/core/types.js';

const FIXTURE = path.resolve(import.meta.dirname, '..', 'fixtures', 'realizar-sustained');
const plan = JSON.parse(readFileSync(path.join(FIXTURE, 'plan.json'), 'utf8')) as ScenarioPlan;
const summary = JSON.parse(readFileSync(path.join(FIXTURE, 'summary.json'), 'utf8')) as K6Summary;
const phase = plan.phases[0]!;
const key = (metric: string): string => `${metric}{scenario:${phase.name}}`;

/** The fixture's summary with the phase's sent requests and k6's dropped count set. */
function withCounts(sent: number, dropped: number): K6Summary {
  const metrics = structuredClone(summary.metrics);
  metrics[key('request_failed')] = {
    type: 'rate',
    contains: 'default',
    values: { rate: 0, passes: 0, fails: sent },
  } as K6Summary['metrics'][string];
  metrics[key('dropped_iterations')] = {
    type: 'counter',
    contains: 'default',
    values: { count: dropped, rate: 0 },
  } as K6Summary['metrics'][string];
  return { ...summary, metrics };
}

function phaseTotals(s: K6Summary) {
  return convertScenario(plan, s, {
    k6ExitCode: 0,
    status: 'completed',
    error: null,
    files: { summary: null, plan: null },
  }).phases[0]!.totals;
}

describe("an open phase's totals equal its plan", () => {
  it('leaves out a dropped iteration that fell due after the phase ended', () => {
    const t = phaseTotals(withCounts(phase.requests - 10, 11));
    assert.deepEqual([t.requests, t.sent, t.dropped, t.unsent], [phase.requests, phase.requests - 10, 10, 0]);
  });

  it('counts a planned request k6 never started as unsent, a failure', () => {
    const t = phaseTotals(withCounts(phase.requests - 3, 0));
    assert.deepEqual([t.requests, t.unsent, t.failures], [phase.requests, 3, 3]);
  });
});
