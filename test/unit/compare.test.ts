/**
 * Regression detection between real reports: injected regressions are flagged, unchanged figures
 * are not, and several runs are compared by their medians with the run-to-run spread in view.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  compareReports,
  compareRuns,
  DEFAULT_COMPARE_OPTIONS,
  renderComparisonMarkdown,
} from '../../src/core/commands/compare.js';
import type { Report, ScenarioReport } from '../../src/core/types.js';
import { assertValid } from '../../src/core/errors/schema-errors.js';
import { validateReport } from '../../src/generated/file-validators.cjs';

const REPORTS = path.resolve(import.meta.dirname, '..', 'fixtures', 'reports');

function report(name: string): Report {
  const file = path.join(REPORTS, `${name}.json`);
  return assertValid(validateReport, JSON.parse(readFileSync(file, 'utf8')), file);
}

/** A clone of the report with every scenario changed by `change`. */
function altered(base: Report, change: (s: ScenarioReport) => void): Report {
  const r = structuredClone(base);
  for (const s of r.scenarios) change(s);
  return r;
}

const scaleP95 = (base: Report, factor: number): Report =>
  altered(base, (s) => {
    if (s.latencyMs !== null) s.latencyMs.p95 *= factor;
  });

const base = report('realizar-all');

describe('comparing a report with a baseline', () => {
  it('finds no regression when the report is compared with itself', () => {
    const c = compareReports(base, structuredClone(base));
    assert.equal(c.regressions, 0);
    assert.equal(c.rows.length, base.scenarios.length * 3);
    assert.deepEqual(c.missing, []);
    for (const r of c.rows) {
      assert.equal(r.regression, false);
      assert.equal(r.reason, null);
      assert.equal(r.changePct, 0);
    }
  });

  it('says so when the two sides did not send the same load, aspect by aspect, and not when they did', () => {
    assert.deepEqual(compareReports(base, structuredClone(base)).loadDifferences, []);
    const heavier = altered(base, (s) => {
      if (s.name !== 'generate') return;
      s.phases[0]!.plannedRequests *= 2;
      s.description += '; this run: --requests 50';
    });
    const c = compareReports(base, heavier);
    assert.deepEqual(
      c.loadDifferences.map((d) => [d.scenario, d.aspect]),
      [
        ['generate', 'shape'],
        ['generate', 'phases'],
      ],
    );
    assert.match(c.loadDifferences[1]!.current, /generate: closed, 5 clients, 50 requests/);
    assert.match(renderComparisonMarkdown(c), /^\*\*Not the same load\*\*[^\n]*\n\n- generate, shape: baseline /);
  });

  it('flags a 30% p95 growth in every scenario with the default 20% limit', () => {
    const c = compareReports(base, scaleP95(base, 1.3));
    assert.equal(c.regressions, base.scenarios.length);
    const p95 = c.rows.filter((r) => r.metric === 'p95');
    assert.ok(p95.every((r) => r.regression));
    for (const r of p95) {
      assert.ok(Math.abs(r.changePct! - 30) < 1e-9, `${r.scenario} change ${r.changePct}`);
      assert.match(r.reason ?? '', /more than 20% above the baseline/);
    }
    assert.ok(c.rows.filter((r) => r.metric !== 'p95').every((r) => !r.regression));
  });

  it('does not flag the 30% p95 growth when the limit is 40%', () => {
    const c = compareReports(base, scaleP95(base, 1.3), { ...DEFAULT_COMPARE_OPTIONS, p95GrowthPct: 40 });
    assert.equal(c.regressions, 0);
  });

  it('flags an error rate 2 points above the baseline but not one half a point above', () => {
    const worse = compareReports(
      base,
      altered(base, (s) => (s.errorRatePct = (s.errorRatePct ?? 0) + 2)),
    );
    const rows = worse.rows.filter((r) => r.metric === 'error rate');
    assert.ok(rows.every((r) => r.regression && r.delta === 2));
    assert.equal(worse.regressions, base.scenarios.length);
    const slightly = compareReports(
      base,
      altered(base, (s) => (s.errorRatePct = (s.errorRatePct ?? 0) + 0.5)),
    );
    assert.equal(slightly.regressions, 0);
  });

  it('flags a 30% throughput drop but not a 10% one', () => {
    const dropped = compareReports(
      base,
      altered(base, (s) => (s.throughputRps *= 0.7)),
    );
    assert.ok(dropped.rows.filter((r) => r.metric === 'throughput').every((r) => r.regression));
    assert.equal(dropped.regressions, base.scenarios.length);
    assert.equal(
      compareReports(
        base,
        altered(base, (s) => (s.throughputRps *= 0.9)),
      ).regressions,
      0,
    );
  });

  it('compares only scenarios present in both and lists those missing from the current run', () => {
    const current = structuredClone(base);
    current.scenarios = current.scenarios.filter((s) => s.name !== 'spike');
    const c = compareReports(base, current);
    assert.deepEqual(c.missing, ['spike']);
    assert.ok(!c.rows.some((r) => r.scenario === 'spike'));
    assert.equal(c.rows.length, (base.scenarios.length - 1) * 3);
    // The failing fixture holds only spike: matched by name, the other six are missing.
    const other = compareReports(base, report('fault-spike-failed'));
    assert.deepEqual([...new Set(other.rows.map((r) => r.scenario))], ['spike']);
    assert.equal(other.missing.length, base.scenarios.length - 1);
  });

  it('shows a figure that is null without counting it as a regression', () => {
    const current = altered(base, (s) => {
      s.latencyMs = null;
      s.errorRatePct = null;
    });
    const c = compareReports(base, current);
    assert.equal(c.regressions, 0);
    const p95 = c.rows.find((r) => r.metric === 'p95')!;
    assert.equal(p95.current, null);
    assert.equal(p95.changePct, null);
    assert.match(p95.reason ?? '', /not compared/);
  });

  it('flags the real failing spike run against the passing one on p95, error rate and throughput', () => {
    const c = compareReports(base, report('fault-spike-failed'));
    const flagged = c.rows.filter((r) => r.regression).map((r) => r.metric);
    assert.deepEqual(flagged, ['p95', 'error rate', 'throughput']);
  });

  it('refuses a negative limit instead of flagging everything', () => {
    assert.throws(() => compareReports(base, base, { p95GrowthPct: -5 }), /p95GrowthPct/);
  });
});

describe('comparing several runs', () => {
  const spikeP95 = (r: Report): number => r.scenarios.find((s) => s.name === 'spike')!.latencyMs!.p95;

  it('compares medians and gives the min..max spread of each side', () => {
    const baselines = [scaleP95(base, 1.0), scaleP95(base, 1.5), scaleP95(base, 1.1)];
    const currents = [scaleP95(base, 1.2), scaleP95(base, 1.0)];
    const c = compareRuns(baselines, currents);
    const row = c.rows.find((r) => r.scenario === 'spike' && r.metric === 'p95')!;
    const p = spikeP95(base);
    assert.ok(Math.abs(row.baseline! - p * 1.1) < 1e-9, 'baseline median of three runs');
    assert.ok(Math.abs(row.current! - p * 1.1) < 1e-9, 'current median of two runs is their mean');
    assert.deepEqual(row.baselineSpread, { min: p, max: p * 1.5 });
    assert.deepEqual(row.currentSpread, { min: p, max: p * 1.2 });
    assert.equal(row.withinSpread, true);
    assert.equal(row.regression, false);
    assert.equal(c.baselineRuns, 3);
    assert.equal(c.currentRuns, 2);
  });

  it('still flags a regression inside the run-to-run spread, and says so in its reason', () => {
    const baselines = [scaleP95(base, 1.0), scaleP95(base, 1.5), scaleP95(base, 1.1)];
    const currents = [scaleP95(base, 1.4), scaleP95(base, 1.4), scaleP95(base, 1.35)];
    const row = compareRuns(baselines, currents).rows.find((r) => r.scenario === 'spike' && r.metric === 'p95')!;
    assert.equal(row.regression, true);
    assert.equal(row.withinSpread, true);
    assert.match(row.reason ?? '', /inside the run-to-run spread/);
  });

  it('flags a regression beyond the spread without calling it noise', () => {
    const baselines = [scaleP95(base, 1.0), scaleP95(base, 1.1), scaleP95(base, 0.9)];
    const currents = [scaleP95(base, 2), scaleP95(base, 2.1), scaleP95(base, 1.9)];
    const c = compareRuns(baselines, currents);
    const row = c.rows.find((r) => r.scenario === 'spike' && r.metric === 'p95')!;
    assert.equal(row.regression, true);
    assert.equal(row.withinSpread, false);
    assert.doesNotMatch(row.reason ?? '', /spread/);
    assert.equal(c.regressions, base.scenarios.length);
  });

  it('gives the same answer as compareReports for one run on each side', () => {
    const current = scaleP95(base, 1.3);
    assert.deepEqual(compareRuns([base], [current]), compareReports(base, current));
  });

  it('counts each repetition of a --runs report as one run', () => {
    const repeated = (factors: number[]): Report => {
      const r = structuredClone(base);
      r.scenarios = factors.map((f, i) => ({
        ...scaleP95(base, f).scenarios.find((s) => s.name === 'spike')!,
        repeat: i + 1,
      }));
      return r;
    };
    const c = compareReports(repeated([1.0, 1.5, 1.1]), repeated([1.4, 1.4, 1.35]));
    assert.equal(c.baselineRuns, 3);
    assert.equal(c.currentRuns, 3);
    assert.equal(c.rows.length, 3, 'one scenario, three metrics, whatever the repetitions');
    const row = c.rows.find((r) => r.metric === 'p95')!;
    const p = spikeP95(base);
    assert.ok(Math.abs(row.baseline! - p * 1.1) < 1e-9);
    assert.deepEqual(row.baselineSpread, { min: p, max: p * 1.5 });
    assert.equal(row.regression, true);
    assert.equal(row.withinSpread, true);
  });

  it('ignores the figures of a run in which the scenario did not complete', () => {
    const broken = altered(base, (s) => {
      s.status = 'error';
      s.throughputRps = 0;
    });
    const c = compareRuns([base], [broken, structuredClone(base)]);
    assert.equal(c.regressions, 0);
  });
});

describe('the Markdown of a comparison', () => {
  it('has a row per scenario and metric and ends with the regression count', () => {
    const md = renderComparisonMarkdown(compareReports(base, scaleP95(base, 1.3)));
    const lines = md.trimEnd().split('\n');
    assert.ok(lines.includes('| scenario | metric | baseline | current | change | status |'));
    assert.equal(
      lines.filter((l) => /^\| [a-z-]+ \| (p95|error rate|throughput) \|/.test(l)).length,
      base.scenarios.length * 3,
    );
    assert.match(md, /\| health \| p95 \| 18\.07 ms \| 23\.49 ms \| \+30\.00% \| 🔺 regression \|/);
    assert.equal(lines[lines.length - 1], `${base.scenarios.length} regressions`);
  });

  it('ends with "no regression" when nothing regressed and names missing scenarios', () => {
    const current = structuredClone(base);
    current.scenarios = current.scenarios.filter((s) => s.name !== 'sustained');
    const md = renderComparisonMarkdown(compareReports(base, current));
    assert.match(md, /Missing from the current run\(s\): sustained\./);
    assert.equal(md.trimEnd().split('\n').pop(), 'no regression');
  });

  it('shows error-rate changes in points and the spread when several runs are compared', () => {
    const md = renderComparisonMarkdown(
      compareRuns([base, scaleP95(base, 1.5)], [altered(base, (s) => (s.errorRatePct = 3))]),
    );
    assert.match(
      md,
      new RegExp(
        /\| health \| error rate \| 0\.00% \(0\.00%\.\.0\.00%\) /.source +
          /\| 3\.00% \(3\.00%\.\.3\.00%\) \| \+3\.00 pts \| 🔺 regression \|/.source,
      ),
    );
    assert.match(md, /^Medians of 2 baseline run\(s\) and 1 current run\(s\)/);
  });
});
