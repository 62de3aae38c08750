/**
 * npm run compare: regression detection between a baseline report and the current one (default
 * reports/latest), and --save-baseline to keep a run as the baseline. Reports are read and
 * validated here; the comparison itself is pure (src/core/compare.ts).
 */
import { existsSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { compareRuns, DEFAULT_COMPARE_OPTIONS, renderComparisonMarkdown, type CompareOptions } from '../core/compare.js';
import { describeValue } from '../core/describe.js';
import { ValidationError } from '../core/errors/ValidationError.js';
import type { Report } from '../core/model.js';
import { validateReport } from '../generated/file-validators.cjs';
import { readJsonFile } from './json-file.js';
import { shown } from './paths.js';
import { writeAtomic } from './report-files.js';

export const COMPARE_USAGE = `usage: npm run compare -- <baseline> [<current>] [options]
       npm run compare -- --save-baseline [<report>] [--baseline-file FILE]

  <baseline>, <current>, <report>   a report.json or a run folder (default current: reports/latest)
  --p95-growth PCT            p95 regresses when it grows more than PCT % (default ${DEFAULT_COMPARE_OPTIONS.p95GrowthPct})
  --error-rate-increase PTS   error rate regresses when it rises more than PTS points (default ${DEFAULT_COMPARE_OPTIONS.errorRateIncreasePts})
  --throughput-drop PCT       throughput regresses when it drops more than PCT % (default ${DEFAULT_COMPARE_OPTIONS.throughputDropPct})
  --save-baseline             copy <report> (default reports/latest) to the baseline file
  --baseline-file FILE        where --save-baseline writes (default baselines/baseline.json)

exit codes: 0 no regression · 1 a regression · 2 bad input`;

export interface CompareCommand {
  mode: 'compare' | 'save';
  files: string[];
  options: CompareOptions;
  baselineFile: string;
  help: boolean;
}

function invalid(source: string, expected: string, found: unknown): never {
  throw new ValidationError(source, [{ path: '', expected, found: describeValue(found) }]);
}

export function parseCompareArgs(argv: readonly string[], cwd = process.cwd()): CompareCommand {
  const files: string[] = [];
  const options: CompareOptions = { ...DEFAULT_COMPARE_OPTIONS };
  let mode: CompareCommand['mode'] = 'compare';
  let baselineFile = path.resolve(cwd, 'baselines', 'baseline.json');
  let help = false;
  const numeric: Record<string, keyof CompareOptions> = {
    '--p95-growth': 'p95GrowthPct',
    '--error-rate-increase': 'errorRateIncreasePts',
    '--throughput-drop': 'throughputDropPct',
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help') help = true;
    else if (arg === '--save-baseline') mode = 'save';
    else if (arg === '--baseline-file') {
      const v = argv[++i];
      if (v === undefined) invalid(arg, 'a file path after the flag', v);
      baselineFile = path.resolve(cwd, v);
    } else if (arg in numeric) {
      const v = argv[++i];
      const n = Number(v);
      if (v === undefined || v.trim() === '' || !Number.isFinite(n) || n < 0) invalid(arg, 'a number >= 0', v);
      options[numeric[arg]!] = n;
    } else if (arg.startsWith('--')) invalid(arg, `a known option (${['--save-baseline', '--baseline-file', ...Object.keys(numeric)].join(', ')})`, arg);
    else files.push(path.resolve(cwd, arg));
  }
  if (!help && mode === 'compare' && (files.length < 1 || files.length > 2)) invalid('compare', 'a baseline report and at most one current report', files.length === 0 ? undefined : files.join(' '));
  if (!help && mode === 'save' && files.length > 1) invalid('--save-baseline', 'at most one report', files.join(' '));
  return { mode, files, options, baselineFile, help };
}

/** A report.json, or a run folder (its report.json). */
export async function readReport(file: string): Promise<Report> {
  const target = existsSync(file) && statSync(file).isDirectory() ? path.join(file, 'report.json') : file;
  return readJsonFile(target, validateReport, 'a report.json written by realizar-k6');
}

/** A report made with --runs N holds each scenario N times: split it into N single-run reports. */
export function splitRuns(report: Report): Report[] {
  const repeats = [...new Set(report.scenarios.map((s) => s.repeat ?? 1))].sort((a, b) => a - b);
  return repeats.map((r) => ({ ...report, scenarios: report.scenarios.filter((s) => (s.repeat ?? 1) === r) }));
}

export async function runCompare(cmd: CompareCommand, defaultCurrent: string): Promise<{ exitCode: number; output: string }> {
  if (cmd.mode === 'save') {
    const source = cmd.files[0] ?? defaultCurrent;
    const report = await readReport(source);
    await mkdir(path.dirname(cmd.baselineFile), { recursive: true });
    await writeAtomic(cmd.baselineFile, `${JSON.stringify(report, null, 2)}\n`);
    return { exitCode: 0, output: `saved run ${report.runId} as the baseline: ${shown(cmd.baselineFile)}\n` };
  }
  const baseline = await readReport(cmd.files[0]!);
  const current = await readReport(cmd.files[1] ?? defaultCurrent);
  const comparison = compareRuns(splitRuns(baseline), splitRuns(current), cmd.options);
  const head = `baseline ${baseline.runId} (${comparison.baselineRuns} run(s)) vs current ${current.runId} (${comparison.currentRuns} run(s))\n\n`;
  return { exitCode: comparison.regressions > 0 ? 1 : 0, output: head + renderComparisonMarkdown(comparison) };
}
