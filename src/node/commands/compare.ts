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
import type { Report } from '../../core/types.js';
import { validateReport } from '../../generated/file-validators.cjs';
import { readJsonFile } from '../files/json-file.js';
import { COMPARE } from '../flags/commands.js';
import { parseFlags, usageText } from '../flags/declare.js';
import { invalid } from '../flags/values.js';
import { shown } from '../files/paths.js';
import { writeAtomic } from '../files/report-files.js';
import { writeReportPage } from '../files/report-page.js';
import { RUN_CONTEXT_FILE } from '../files/run-files.js';

export const COMPARE_USAGE = usageText(COMPARE);

export interface CompareCommand {
  mode: 'compare' | 'save';
  files: string[];
  options: CompareOptions;
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
  const baselineFile = path.resolve(cwd, f.text('--baseline-file') ?? path.join('baselines', 'baseline.json'));
  const html = f.text('--html');
  f.done();
  const files = f.positionals.map((p) => path.resolve(cwd, p));
  if (!help && mode === 'compare' && files.length < 1)
    invalid('compare', 'a baseline report and at most one current report', undefined);
  if (!help && mode === 'save' && files.length > 1) invalid('--save-baseline', 'at most one report', files.join(' '));
  return { mode, files, options, baselineFile, htmlFile: html === undefined ? null : path.resolve(cwd, html), help };
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
  const currentFile = cmd.files[1] ?? defaultCurrent;
  const baseline = await readReport(cmd.files[0]!);
  const current = await readReport(currentFile);
  const comparison = compareRuns(splitRuns(baseline), splitRuns(current), cmd.options);
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
  return {
    exitCode: comparison.regressions > 0 ? 1 : 0,
    output: head + renderComparisonMarkdown(comparison) + tail,
  };
}
