/**
 * Regression detection between runs, as the load-testing chapter asks ("if current p95 > baseline
 * p95 * 1.2: regression"): p95 latency, error rate and throughput of each scenario present in both.
 *
 * One run against one run mistakes noise for a regression on a busy machine, so several runs can be
 * given on each side: their medians are compared, and each row says whether the current median
 * still lies inside the run-to-run spread of the baseline runs. A report made with --runs holds each
 * scenario once per repetition (`repeat`); every repetition counts as one run.
 */
import type { Report, ScenarioReport } from '../types.js';
import { f2 } from '../report/render.js';
import { loadDifferenceLines, loadDifferences, type LoadDifference } from './compare-load.js';

export interface CompareOptions {
  /** p95 regresses when current > baseline × (1 + this / 100). */
  p95GrowthPct: number;
  /** Error rate regresses when current > baseline + this many percentage points. */
  errorRateIncreasePts: number;
  /** Throughput regresses when current < baseline × (1 − this / 100). */
  throughputDropPct: number;
}

/** 20 % is the chapter's p95 rule; the other two follow the same spirit. */
export const DEFAULT_COMPARE_OPTIONS: Readonly<CompareOptions> = Object.freeze({
  p95GrowthPct: 20,
  errorRateIncreasePts: 1,
  throughputDropPct: 20,
});

export type CompareMetric = 'p95' | 'error rate' | 'throughput';

/** min..max of one side's runs; null when no run of that side has the figure. */
export interface Spread {
  min: number;
  max: number;
}

export interface ComparisonRow {
  scenario: string;
  metric: CompareMetric;
  unit: 'ms' | '%' | 'req/s';
  /** Median over the baseline runs (and repetitions) that have the figure; the figure itself for one run. */
  baseline: number | null;
  current: number | null;
  /** (current − baseline) / baseline × 100; null when either is null or the baseline is 0 and current is not. */
  changePct: number | null;
  /** current − baseline in the metric's unit (percentage points for the error rate). */
  delta: number | null;
  regression: boolean;
  /** Why it regressed, or why it could not be compared; null for a plain pass. */
  reason: string | null;
  baselineSpread: Spread | null;
  currentSpread: Spread | null;
  /** The current median lies inside the baseline runs' min..max (inclusive). */
  withinSpread: boolean;
}

export interface Comparison {
  rows: ComparisonRow[];
  /** Scenarios of the baseline that no current run has. */
  missing: string[];
  /** Scenarios of the current runs that no baseline run has (nothing to compare them with). */
  added: string[];
  regressions: number;
  /** What the two sides sent differently, scenario by scenario (compare-load.ts); empty: the same load. */
  loadDifferences: LoadDifference[];
  /** Runs on each side: one per report, or its repetitions when it was made with --runs. */
  baselineRuns: number;
  currentRuns: number;
}

interface MetricSpec {
  metric: CompareMetric;
  unit: ComparisonRow['unit'];
  value: (s: ScenarioReport) => number | null;
  regressed: (baseline: number, current: number, o: CompareOptions) => boolean;
  limit: (o: CompareOptions) => string;
}

const METRICS: readonly MetricSpec[] = [
  {
    metric: 'p95',
    unit: 'ms',
    value: (s) => s.latencyMs?.p95 ?? null,
    regressed: (b, c, o) => c > b * (1 + o.p95GrowthPct / 100),
    limit: (o) => `more than ${o.p95GrowthPct}% above the baseline`,
  },
  {
    metric: 'error rate',
    unit: '%',
    value: (s) => s.errorRatePct,
    regressed: (b, c, o) => c > b + o.errorRateIncreasePts,
    limit: (o) => `more than ${o.errorRateIncreasePts} point(s) above the baseline`,
  },
  {
    metric: 'throughput',
    unit: 'req/s',
    value: (s) => s.throughputRps,
    regressed: (b, c, o) => c < b * (1 - o.throughputDropPct / 100),
    limit: (o) => `more than ${o.throughputDropPct}% below the baseline`,
  },
];

function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  // noUncheckedIndexedAccess: indices are in range because xs is not empty.
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function spread(xs: readonly number[]): Spread | null {
  return xs.length === 0 ? null : { min: Math.min(...xs), max: Math.max(...xs) };
}

/**
 * The figure of a scenario in one run. A scenario that errored or was interrupted measured only part
 * of its load; its figures would flag or hide regressions at random, so it counts as not measured.
 */
function figures(runs: readonly Report[], scenario: string, spec: MetricSpec): number[] {
  const out: number[] = [];
  for (const r of runs) {
    for (const s of r.scenarios) {
      if (s.name !== scenario || s.status !== 'completed') continue;
      const v = spec.value(s);
      if (v !== null && Number.isFinite(v)) out.push(v);
    }
  }
  return out;
}

/** Runs a set of reports stands for: one per report, or its number of repetitions (--runs). */
function runCount(reports: readonly Report[]): number {
  let total = 0;
  for (const r of reports) {
    const perName = new Map<string, number>();
    for (const s of r.scenarios) perName.set(s.name, (perName.get(s.name) ?? 0) + 1);
    total += Math.max(1, ...perName.values());
  }
  return total;
}

function scenarioNames(runs: readonly Report[]): string[] {
  const names: string[] = [];
  for (const r of runs) for (const s of r.scenarios) if (!names.includes(s.name)) names.push(s.name);
  return names;
}

function fmt(v: number, unit: ComparisonRow['unit']): string {
  return unit === '%' ? `${f2(v)}%` : `${f2(v)} ${unit}`;
}

function fmtSpread(s: Spread, unit: ComparisonRow['unit']): string {
  return `${fmt(s.min, unit)}..${fmt(s.max, unit)}`;
}

function resolveOptions(opts: Partial<CompareOptions> | undefined): CompareOptions {
  const o = { ...DEFAULT_COMPARE_OPTIONS, ...opts };
  for (const [k, v] of Object.entries(o)) {
    // A negative or NaN limit would flag every run or none without saying so.
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new RangeError(`compare option ${k}: expected a finite number >= 0, found ${String(v)}`);
    }
  }
  return o;
}

function compareRow(
  scenario: string,
  spec: MetricSpec,
  baselines: readonly Report[],
  currents: readonly Report[],
  o: CompareOptions,
): ComparisonRow {
  const bs = figures(baselines, scenario, spec);
  const cs = figures(currents, scenario, spec);
  const baseline = median(bs);
  const current = median(cs);
  const baselineSpread = spread(bs);
  const currentSpread = spread(cs);
  const row: ComparisonRow = {
    scenario,
    metric: spec.metric,
    unit: spec.unit,
    baseline,
    current,
    changePct: null,
    delta: null,
    regression: false,
    reason: null,
    baselineSpread,
    currentSpread,
    withinSpread: false,
  };
  if (baseline === null || current === null) {
    const side =
      baseline === null && current === null ? 'either side' : baseline === null ? 'the baseline' : 'the current run(s)';
    row.reason =
      `not compared: no ${spec.metric} figure in ${side} ` + `(nothing measured, or the scenario did not complete)`;
    return row;
  }
  row.delta = current - baseline;
  row.changePct = baseline !== 0 ? ((current - baseline) / baseline) * 100 : current === 0 ? 0 : null;
  row.withinSpread = baselineSpread !== null && current >= baselineSpread.min && current <= baselineSpread.max;
  if (spec.regressed(baseline, current, o)) {
    row.regression = true;
    const several = bs.length > 1 || cs.length > 1;
    const what = several ? `median ${spec.metric}` : spec.metric;
    row.reason = `${what} ${fmt(current, spec.unit)} vs ${fmt(baseline, spec.unit)}: ${spec.limit(o)}`;
    // Still flagged: the spread of a few runs is a hint of noise, not proof of it.
    if (row.withinSpread && baselineSpread !== null) {
      const spread = fmtSpread(baselineSpread, spec.unit);
      row.reason += `; inside the run-to-run spread of the baseline runs (${spread}), so it may be noise`;
    }
  }
  return row;
}

/**
 * Compare the medians of several runs per scenario and metric. Scenarios are matched by name and
 * taken in the baseline's order; only those present on both sides get rows.
 */
export function compareRuns(
  baselines: readonly Report[],
  currents: readonly Report[],
  opts?: Partial<CompareOptions>,
): Comparison {
  if (baselines.length === 0) throw new RangeError('compareRuns: expected at least one baseline report, found none');
  if (currents.length === 0) throw new RangeError('compareRuns: expected at least one current report, found none');
  const o = resolveOptions(opts);
  const baseNames = scenarioNames(baselines);
  const currentNames = scenarioNames(currents);
  const both = baseNames.filter((n) => currentNames.includes(n));
  const rows = both.flatMap((name) => METRICS.map((spec) => compareRow(name, spec, baselines, currents, o)));
  return {
    rows,
    missing: baseNames.filter((n) => !currentNames.includes(n)),
    added: currentNames.filter((n) => !baseNames.includes(n)),
    regressions: rows.filter((r) => r.regression).length,
    loadDifferences: loadDifferences(baselines, currents, both),
    baselineRuns: runCount(baselines),
    currentRuns: runCount(currents),
  };
}

export function compareReports(baseline: Report, current: Report, opts?: Partial<CompareOptions>): Comparison {
  return compareRuns([baseline], [current], opts);
}

const escapeCell = (t: string): string => t.replace(/\|/g, '\\|').replace(/\r?\n|\r/g, ' ');

function changeCell(r: ComparisonRow): string {
  // A percent change of a percentage misleads (0 % → 2 % is "infinite"); points say what happened.
  if (r.metric === 'error rate') return r.delta === null ? '–' : `${r.delta >= 0 ? '+' : ''}${f2(r.delta)} pts`;
  return r.changePct === null ? '–' : `${r.changePct >= 0 ? '+' : ''}${f2(r.changePct)}%`;
}

export function renderComparisonMarkdown(c: Comparison): string {
  const several = c.baselineRuns > 1 || c.currentRuns > 1;
  const value = (v: number | null, s: Spread | null, unit: ComparisonRow['unit']): string => {
    if (v === null) return 'n/a';
    return several && s !== null ? `${fmt(v, unit)} (${fmtSpread(s, unit)})` : fmt(v, unit);
  };
  const status = (r: ComparisonRow): string => {
    if (r.regression) return r.withinSpread ? '🔺 regression (within spread)' : '🔺 regression';
    return r.baseline === null || r.current === null ? 'n/a' : 'ok';
  };
  const lines: string[] = [...loadDifferenceLines(c.loadDifferences, escapeCell)];
  if (several) {
    lines.push(
      `Medians of ${c.baselineRuns} baseline run(s) and ${c.currentRuns} current run(s); ` +
        'min..max of the runs in parentheses.',
      '',
    );
  }
  if (c.rows.length === 0) {
    lines.push('No scenario is present in both the baseline and the current run(s).');
  } else {
    lines.push(
      '| scenario | metric | baseline | current | change | status |',
      '| --- | --- | ---: | ---: | ---: | --- |',
    );
    for (const r of c.rows) {
      lines.push(
        `| ${escapeCell(r.scenario)} | ${r.metric} | ${value(r.baseline, r.baselineSpread, r.unit)} | ` +
          `${value(r.current, r.currentSpread, r.unit)} | ${changeCell(r)} | ${status(r)} |`,
      );
    }
  }
  const reasons = c.rows.filter((r) => r.regression && r.reason !== null);
  if (reasons.length > 0) lines.push('', ...reasons.map((r) => `- **${escapeCell(r.scenario)}** ${r.reason ?? ''}`));
  if (c.missing.length > 0) lines.push('', `Missing from the current run(s): ${c.missing.map(escapeCell).join(', ')}.`);
  if (c.added.length > 0)
    lines.push('', `New in the current run(s), no baseline: ${c.added.map(escapeCell).join(', ')}.`);
  lines.push(
    '',
    c.regressions === 0 ? 'no regression' : `${c.regressions} regression${c.regressions === 1 ? '' : 's'}`,
  );
  return lines.join('\n') + '\n';
}
