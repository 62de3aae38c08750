import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { convertScenario } from '../../src/core/summary/convert.js';
import type { K6Summary, Report, ScenarioPlan } from '../../src/core/types.js';
import { decideOutcome } from '../../src/core/rules/outcome.js';
import { assertValid } from '../../src/core/errors/schema-errors.js';
import { validateK6Summary, validateReport, validateScenarioPlan } from '../../src/generated/file-validators.cjs';

const FIXTURES = path.resolve(import.meta.dirname, '..', 'fixtures');

function fixture(name: string): { summary: K6Summary; plan: ScenarioPlan } {
  const read = (f: string): unknown => JSON.parse(readFileSync(path.join(FIXTURES, name, f), 'utf8'));
  return {
    summary: assertValid(validateK6Summary, read('summary.json'), `${name}/summary.json`),
    plan: assertValid(validateScenarioPlan, read('plan.json'), `${name}/plan.json`),
  };
}

function convert(name: string, planOverride: Partial<ScenarioPlan> = {}) {
  const { summary, plan } = fixture(name);
  const report = convertScenario({ ...plan, ...planOverride }, summary, {
    k6ExitCode: 0,
    status: 'completed',
    error: null,
    files: { summary: 'k6/x/summary.json', plan: 'k6/x/plan.json' },
  });
  return { report, summary, plan };
}

const count = (s: K6Summary, key: string, stat: string): number => s.metrics[key]?.values[stat] ?? NaN;

describe('converting a real k6 summary into the house report', () => {
  for (const name of [
    'realizar-health',
    'realizar-generate',
    'realizar-sustained',
    'realizar-spike',
    'fault-tokenize-bad-bodies',
    'fault-spike-dropped',
  ]) {
    it(`${name}: successes plus failures equal the requests, and requests are sent plus dropped plus unsent`, () => {
      const { report, summary } = convert(name);
      const t = report.totals;
      assert.equal(t.successes + t.failures, t.requests);
      assert.equal(t.sent + t.dropped + t.unsent, t.requests);
      assert.equal(t.sent, count(summary, 'http_reqs', 'count'), 'every request k6 sent is counted once');
      assert.equal(t.dropped, count(summary, 'dropped_iterations', 'count') || 0);
    });
  }

  it('a real Realizar health run reports the 100 requests of the seed and the latency k6 measured', () => {
    const { report, summary } = convert('realizar-health');
    assert.equal(report.totals.requests, 100);
    assert.equal(report.latencyMs?.p95, count(summary, 'http_req_duration', 'p(95)'));
    assert.equal(report.latencyMs?.max, count(summary, 'http_req_duration', 'max'));
    assert.equal(report.durationSec, summary.state.testRunDurationMs / 1000);
    assert.equal(report.throughputRps, report.totals.successes / report.durationSec);
  });

  it('a 200 whose body breaks the schema counts as a failure in the error rate', () => {
    const { report } = convert('fault-tokenize-bad-bodies');
    // The fault server broke every 5th body of 50.
    assert.equal(report.totals.requests, 50);
    assert.equal(report.totals.failures, 10);
    assert.equal(report.errorRatePct, 20);
    const check = report.checks.find((c) => c.name === 'tokenize body matches its schema');
    assert.deepEqual(check && { passes: check.passes, fails: check.fails }, { passes: 40, fails: 10 });
    const errors = report.verdicts.find((v) => v.id === 'errors.acceptable');
    assert.equal(errors?.pass, false);
    assert.equal(errors?.gating, true);
    assert.equal(errors?.k6Ok, false, 'k6 itself crossed the error-rate threshold');
  });

  it('dropped requests count as failures, per phase and in total, and the notes say so', () => {
    const { report, summary } = convert('fault-spike-dropped');
    assert.ok(report.totals.dropped > 0, 'the fixture has dropped iterations');
    for (const phase of report.phases) {
      assert.equal(phase.totals.dropped, count(summary, `dropped_iterations{scenario:${phase.name}}`, 'count'));
    }
    assert.equal(
      report.phases.reduce((n, p) => n + p.totals.failures, 0),
      report.totals.failures,
    );
    assert.ok(
      report.notes.some((n) => n.includes(`${report.totals.dropped} request(s) were due but found no free client`)),
    );
  });

  it('the endpoints of a mix add up to every request sent', () => {
    const { report } = convert('realizar-sustained');
    assert.deepEqual(
      report.endpoints.map((e) => e.name),
      ['health', 'tokenize', 'generate'],
    );
    assert.equal(
      report.endpoints.reduce((n, e) => n + e.totals.requests, 0),
      report.totals.sent,
    );
  });

  it('the spike report judges recovery against the baseline phase', () => {
    const { report, plan } = convert('realizar-spike');
    const rec = plan.thresholds.recovery!;
    const baseline = report.phases.find((p) => p.name === 'baseline')!;
    const latency = report.verdicts.find((v) => v.id === 'recovery.latency.acceptable')!;
    assert.equal(latency.bound, baseline.latencyMs!.p95 * rec.p95Ratio + rec.p95SlackMs);
    assert.equal(latency.measured, report.phases.find((p) => p.name === 'recovery')!.latencyMs!.p95);
    assert.ok(report.verdicts.some((v) => v.id === 'recovery.errors.acceptable'));
  });

  it('the target tier is reported without gating, unless the gate is target', () => {
    const acceptable = convert('realizar-health').report.verdicts.filter((v) => v.tier === 'target');
    assert.ok(acceptable.length > 0);
    assert.ok(acceptable.every((v) => !v.gating && v.k6Threshold === null));
    const target = convert('realizar-health', { gate: 'target' }).report.verdicts.filter((v) => v.tier === 'target');
    assert.ok(target.every((v) => v.gating));
  });

  it('a verdict with nothing measured fails rather than passing silently', () => {
    const { summary, plan } = fixture('realizar-health');
    const empty: K6Summary = { ...summary, metrics: {} };
    const report = convertScenario(plan, empty, {
      k6ExitCode: 0,
      status: 'completed',
      error: null,
      files: { summary: null, plan: null },
    });
    assert.equal(report.latencyMs, null);
    assert.ok(report.verdicts.filter((v) => v.metric.includes('latency')).every((v) => v.measured === null && !v.pass));
  });

  it('a whole report built from real runs validates against schemas/report.schema.json', () => {
    const scenarios = ['realizar-health', 'realizar-spike', 'fault-spike-dropped'].map((n) => convert(n).report);
    const { outcome, exitCode } = decideOutcome({ interrupted: false, errors: [], scenarios });
    const report: Report = {
      reportVersion: 1,
      runId: 'test',
      startedAt: '2026-11-27T00:00:00.000Z',
      finishedAt: '2026-11-27T00:01:00.000Z',
      outcome,
      exitCode,
      gate: 'acceptable',
      tool: { name: 'realizar-k6', version: '0.0.0' },
      k6: { path: '/bin/k6', version: 'v1.8.1', origin: 'cache' },
      server: {
        managed: true,
        baseUrl: 'http://127.0.0.1:8080',
        command: 'realizar serve --demo',
        version: '0.8.6',
        exit: null,
        healthyAfter: true,
      },
      machine: { cpus: 2, note: 'shared' },
      errors: [],
      scenarios,
    };
    assert.equal(validateReport(report), true, JSON.stringify(validateReport.errors));
    assert.equal(outcome, 'failed', 'the fault run fails its gates');
    assert.equal(exitCode, 1);
  });
});

describe('deciding the outcome', () => {
  const { report: passing } = convert('realizar-health');
  const { report: failing } = convert('fault-tokenize-bad-bodies');
  const cases: Array<[string, Parameters<typeof decideOutcome>[0], number]> = [
    ['every gate passed gives exit 0', { interrupted: false, errors: [], scenarios: [passing] }, 0],
    ['a crossed gate gives exit 1', { interrupted: false, errors: [], scenarios: [passing, failing] }, 1],
    [
      'k6 exit code 99 alone gives exit 1',
      { interrupted: false, errors: [], scenarios: [{ ...passing, k6ExitCode: 99 }] },
      1,
    ],
    [
      'an infrastructure error gives exit 2 even when gates failed',
      { interrupted: false, errors: [{ scenario: null, message: 'x' }], scenarios: [failing] },
      2,
    ],
    [
      'an interruption gives exit 130 over everything',
      { interrupted: true, errors: [{ scenario: null, message: 'x' }], scenarios: [failing] },
      130,
    ],
  ];
  for (const [name, input, code] of cases) it(name, () => assert.equal(decideOutcome(input).exitCode, code));
});
