/**
 * npm run compare: regression detection between a baseline report and the current one (default
 * reports/latest), and --save-baseline to keep a run as the baseline. Reports are read and
 * validated here; the comparison itself is pure (src/core/commands/compare.ts). The two runs side by
 * side go to a page, compare.html (src/browser/compare-page.ts), in the current run's folder or --html.
 */
import { existsSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import {
  compareRuns,
  DEFAULT_COMPARE_OPTIONS,
  renderComparisonMarkdown,
  type CompareOptions,
} from '../../core/commands/compare.js';
import { pageReport } from '../../core/report/page.js';
import {
  DEFAULT_NOISE_OPTIONS,
  renderNoiseMarkdown,
  type NoiseOptions,
  type NoiseRow,
} from '../../core/commands/compare-noise.js';
import { EXIT } from '../../core/errors/exit-codes.js';
import type { Report } from '../../core/types.js';
import { validateReport } from '../../generated/file-validators.cjs';
import { readJsonFile } from '../files/json-file.js';
import { COMPARE } from '../flags/commands-side.js';
import { parseFlags, usageText } from '../flags/declare.js';
import { choice, invalid, whole } from '../flags/values.js';
import { noiseRows, readRunSamples } from './compare-samples.js';
import { shown } from '../files/paths.js';
import { writeAtomic } from '../files/report-files.js';
import { writeReportPage } from '../files/report-page.js';
import { RUN_CONTEXT_FILE } from '../files/run-files.js';

export const COMPARE_USAGE = usageText(COMPARE);

export interface CompareCommand {
  mode: 'compare' | 'save';
  files: string[];
  options: CompareOptions;
  noise: Omit<NoiseOptions, 'stat' | 'floorMs'>;
  /** How an inconclusive answer exits: its own code 3, or as a failure or a pass. */
  inconclusive: 'code' | 'fail' | 'pass';
  baselineFile: string;
  /** Where the side-by-side page goes; null: compare.html in the current run's folder, when it is one. */
  htmlFile: string | null;
  help: boolean;
}

export function parseCompareArgs(argv: readonly string[], cwd = process.cwd()): CompareCommand {
  const f = parseFlags(COMPARE, argv);
  const help = f.has('--help');
  const mode: CompareCommand['mode'] = f.has('--save-baseline') ? 'save' : 'compare';
  const atLeastZero = (flag: string, text: string): number => {
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n) || n < 0) invalid(flag, 'a number >= 0', text);
    return n;
  };
  const options: CompareOptions = {
    p95GrowthPct: f.value('--p95-growth', atLeastZero, DEFAULT_COMPARE_OPTIONS.p95GrowthPct),
    errorRateIncreasePts: f.value('--error-rate-increase', atLeastZero, DEFAULT_COMPARE_OPTIONS.errorRateIncreasePts),
    throughputDropPct: f.value('--throughput-drop', atLeastZero, DEFAULT_COMPARE_OPTIONS.throughputDropPct),
  };
  const noise = {
    ...DEFAULT_NOISE_OPTIONS,
    minChangePct: f.value('--min-change', atLeastZero, DEFAULT_NOISE_OPTIONS.minChangePct),
    seed: f.value('--seed', whole(2 ** 31, 0), DEFAULT_NOISE_OPTIONS.seed),
  };
  const inconclusive = f.value('--inconclusive', choice(['fail', 'pass'] as const)) ?? 'code';
  const baselineFile = path.resolve(cwd, f.text('--baseline-file') ?? path.join('baselines', 'baseline.json'));
  const html = f.text('--html');
  f.done();
  const files = f.positionals.map((p) => path.resolve(cwd, p));
  if (!help && mode === 'compare' && files.length < 1)
    invalid('compare', 'a baseline report and at most one current report', undefined);
  if (!help && mode === 'save' && files.length > 1) invalid('--save-baseline', 'at most one report', files.join(' '));
  return {
    mode,
    files,
    options,
    noise,
    inconclusive,
    baselineFile,
    htmlFile: html === undefined ? null : path.resolve(cwd, html),
    help,
  };
}

/** A report.json, or a run folder (its report.json). */
export async function readReport(file: string): Promise<Report> {
  const target = existsSync(file) && statSync(file).isDirectory() ? path.join(file, 'report.json') : file;
  return readJsonFile(target, validateReport, 'a report.json written by realizar-k6');
}

/** The page's file: --html, else compare.html in the current report's run folder (it holds run.json); null: none. */
export function comparePageFile(current: string, htmlFile: string | null): string | null {
  if (htmlFile !== null) return htmlFile;
  const dir = existsSync(current) && statSync(current).isDirectory() ? current : path.dirname(current);
  return existsSync(path.join(dir, RUN_CONTEXT_FILE)) ? path.join(dir, 'compare.html') : null;
}

/** A report made with --runs N holds each scenario N times: split it into N single-run reports. */
export function splitRuns(report: Report): Report[] {
  const repeats = [...new Set(report.scenarios.map((s) => s.repeat ?? 1))].sort((a, b) => a - b);
  return repeats.map((r) => ({ ...report, scenarios: report.scenarios.filter((s) => (s.repeat ?? 1) === r) }));
}

export async function runCompare(
  cmd: CompareCommand,
  defaultCurrent: string,
): Promise<{ exitCode: number; output: string }> {
  if (cmd.mode === 'save') {
    const source = cmd.files[0] ?? defaultCurrent;
    const report = await readReport(source);
    await mkdir(path.dirname(cmd.baselineFile), { recursive: true });
    await writeAtomic(cmd.baselineFile, `${JSON.stringify(report, null, 2)}\n`);
    return { exitCode: 0, output: `saved run ${report.runId} as the baseline: ${shown(cmd.baselineFile)}\n` };
  }
  const baseFile = cmd.files[0]!;
  const currentFile = cmd.files[1] ?? defaultCurrent;
  const baseline = await readReport(baseFile);
  const current = await readReport(currentFile);
  const comparison = compareRuns(splitRuns(baseline), splitRuns(current), cmd.options);
  const floorOf = (scenario: string, kind: 'ttft' | 'itl'): number =>
    Math.max(floorMs(baseline, scenario, kind), floorMs(current, scenario, kind));
  const rows = noiseRows(
    await readRunSamples(baseFile, baseline),
    await readRunSamples(currentFile, current),
    cmd.noise,
    floorOf,
  );
  const head =
    `baseline ${baseline.runId} (${comparison.baselineRuns} run(s)) ` +
    `vs current ${current.runId} (${comparison.currentRuns} run(s))\n\n`;
  const page = comparePageFile(currentFile, cmd.htmlFile);
  let tail = '';
  if (page !== null) {
    // The page is a view of the comparison, not its result: a failed write is said, never the exit code.
    tail = await writeReportPage(page, `realizar-k6 · ${baseline.runId} against ${current.runId}`, {
      kind: 'compare',
      baseline: pageReport(baseline),
      current: pageReport(current),
      comparison,
    }).then(
      () => `\nside by side: ${shown(page)}\n`,
      (err: Error) => `\nthe side-by-side page could not be written (${shown(page)}): ${err.message}\n`,
    );
  }
  const exitCode = compareExitCode(comparison.rows, rows, cmd.inconclusive);
  return {
    exitCode,
    output: [
      head + renderComparisonMarkdown(comparison) + superseded(comparison.rows, rows),
      renderNoiseMarkdown(rows, cmd.noise),
      `${answerLine(rows)}\n${tail}`,
    ].join('\n'),
  };
}

/** A note after the medians' table when the bootstrap answers, below, for a p95 the medians flag. */
function superseded(medianRows: ReturnType<typeof compareRuns>['rows'], rows: readonly NoiseRow[]): string {
  const answered = new Set(rows.map((r) => r.scenario));
  const flagged = medianRows.filter((r) => r.regression && r.metric === 'p95' && answered.has(r.scenario));
  if (flagged.length === 0) return '';
  const names = [...new Set(flagged.map((r) => r.scenario))].join(', ');
  return `(the medians' p95 rule does not decide for ${names}: the per-request bootstrap below does)\n`;
}

/** The worst answer over the bootstrap rows, in words: what the exit code stands for. */
function answerLine(rows: readonly NoiseRow[]): string {
  const count = (v: NoiseRow['verdict']): number => rows.filter((r) => r.verdict === v).length;
  if (rows.length === 0) return 'answer: medians only (no per-request samples on both sides)';
  const parts = (['regressed', 'inconclusive', 'improved', 'no change'] as const)
    .filter((v) => count(v) > 0)
    .map((v) => `${count(v)} ${v}`);
  return `answer: ${parts.join(', ')}`;
}

/**
 * Exit: 1 when the bootstrap says regressed, or a medians' rule regressed that the bootstrap does not
 * answer for (error rate, throughput; p95 of a scenario without samples); then 3 (or as
 * --inconclusive says) when some answer is inconclusive; else 0. Where the bootstrap answers for a
 * scenario's latency, the medians' p95 rule does not decide: one run against one cannot tell noise
 * from change, which is what the bootstrap is for.
 */
export function compareExitCode(
  medianRows: ReturnType<typeof compareRuns>['rows'],
  rows: readonly NoiseRow[],
  inconclusive: CompareCommand['inconclusive'],
): number {
  const answered = new Set(rows.map((r) => r.scenario));
  const medianRegressed = medianRows.some((r) => r.regression && !(r.metric === 'p95' && answered.has(r.scenario)));
  if (medianRegressed || rows.some((r) => r.verdict === 'regressed')) return EXIT.failed;
  if (rows.some((r) => r.verdict === 'inconclusive'))
    return inconclusive === 'code' ? EXIT.inconclusive : inconclusive === 'fail' ? EXIT.failed : EXIT.passed;
  return EXIT.passed;
}

/** The measurement floor a run recorded for a scenario (its p95 bias, ms); 0 when it measured none. */
function floorMs(report: Report, scenario: string, kind: 'ttft' | 'itl'): number {
  for (const s of report.scenarios) {
    if (s.name !== scenario) continue;
    const floor = s.measurementFloor?.[kind === 'ttft' ? 'ttftMs' : 'itlMs'];
    if (floor != null) return Math.abs(floor.p95);
  }
  return 0;
}
