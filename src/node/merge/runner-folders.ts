/**
 * The runner folders a merge is given, found and read. A path may be a runner's folder (what one k6
 * wrote: samples.csv.gz or windows.jsonl, summary.json, plan.json, runner.json, k6.log), a file in one, or a folder
 * holding runner folders: the shared volume of a cluster's runners (one folder per runner Pod), the
 * scenario folder of a local split run (k6/<scenario>/runner-<i>/), or the run folder itself.
 * Reading never judges: what each holds goes to the pure checks (src/core/merge/runners.ts).
 */
import { existsSync, statSync } from 'node:fs';
import { readdir, readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { K6_FILES } from '../../core/contract.js';
import { ValidationError } from '../../core/errors/ValidationError.js';
import type { RunnerFolder } from '../../core/merge/runners.js';
import { assertValid } from '../../core/errors/schema-errors.js';
import type { K6Summary, RunnerRecord } from '../../core/types.js';
import { readScenarioOutput } from '../files/json-file.js';
import { shown } from '../files/paths.js';
import { planFromFile, planFromLog, whyNoSummary } from '../run/scenario-output.js';
import type { K6Exit } from '../run/k6-result.js';
import { K6_METRICS } from '../../core/rules/metric-table.js';
import { metric, value } from '../../core/summary/summary-read.js';

const MARKS = [K6_FILES.samples, K6_FILES.windows, K6_FILES.summary, K6_FILES.runner, K6_FILES.plan] as const;

export const isRunnerFolder = (dir: string): boolean => MARKS.some((f) => existsSync(path.join(dir, f)));

async function subfolders(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isDirectory() && !e.name.endsWith('-warmup'))
    .map((e) => path.join(dir, e.name))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

/** The runner folders under `dir`: its own subfolders, or those of a run folder's scenarios (k6/<scenario>/). */
async function runnersUnder(dir: string): Promise<string[]> {
  const direct = (await subfolders(dir)).filter(isRunnerFolder);
  if (direct.length > 0) return direct;
  const k6 = path.join(dir, 'k6');
  const scenarios = existsSync(k6) ? await subfolders(k6) : await subfolders(dir);
  const nested = await Promise.all(scenarios.map(async (s) => (await subfolders(s)).filter(isRunnerFolder)));
  return nested.flat();
}

/** Every runner folder the paths stand for, each once, in the order given. */
export async function resolveRunnerFolders(paths: readonly string[], cwd = process.cwd()): Promise<string[]> {
  const found: string[] = [];
  for (const given of paths) {
    const p = path.resolve(cwd, given);
    if (!existsSync(p))
      throw new ValidationError(given, [
        { path: '', expected: 'a runner folder or a file in one', found: 'no such file or folder' },
      ]);
    const dir = statSync(p).isDirectory() ? p : path.dirname(p);
    const dirs = isRunnerFolder(dir) ? [dir] : await runnersUnder(dir);
    if (dirs.length === 0)
      throw new ValidationError(given, [
        {
          path: '',
          expected:
            `a runner's folder (${MARKS.join(', ')}) or a folder of them (one per runner Pod on the shared ` +
            `volume, or k6/<scenario>/ of a split run)`,
          found: 'none of those files in it or in its subfolders',
        },
      ]);
    for (const d of dirs) {
      const real = await realpath(d);
      if (!found.includes(real)) found.push(real);
    }
  }
  return found;
}

async function readRecord(dir: string): Promise<RunnerRecord | null> {
  const file = path.join(dir, K6_FILES.runner);
  if (!existsSync(file)) return null;
  const { validateRunnerRecord } = await import('../../generated/file-validators.cjs');
  try {
    return assertValid(validateRunnerRecord, JSON.parse(await readFile(file, 'utf8')), shown(file));
  } catch {
    // Cut short by a k6 killed while writing it: as good as absent.
    return null;
  }
}

export interface ReadRunner extends RunnerFolder {
  dir: string;
  /** Why it has no summary, when it has none. */
  noSummary: string | null;
}

/** Requests its k6 summary counts; null when it wrote none. */
export function summarySent(r: ReadRunner): number | null {
  if (r.summary === null) return null;
  const m = metric(r.summary, K6_METRICS.requestFailed);
  return value(m, 'passes') + value(m, 'fails');
}

function k6StoppedBy(logText: string): string | null {
  return /test run was aborted because k6 received a '([^']+)' signal/.exec(logText)?.[1] ?? null;
}

/** What one runner's folder holds; `exit` is how its k6 ended when the caller ran it (null: not known). */
export async function readRunnerFolder(dir: string, exit: K6Exit | null = null): Promise<ReadRunner> {
  const summaryFile = path.join(dir, K6_FILES.summary);
  const planFile = path.join(dir, K6_FILES.plan);
  let summary: K6Summary | null = null;
  let summaryProblem: string | null = null;
  if (existsSync(summaryFile) && existsSync(planFile)) {
    try {
      summary = (await readScenarioOutput(summaryFile, planFile)).summary;
    } catch (err) {
      summaryProblem = (err as Error).message.split('\n')[0]!;
    }
  }
  const plan = (await planFromFile(dir)) ?? (await planFromLog(dir));
  let k6Exit = exit;
  if (k6Exit === null) {
    const log = await readFile(path.join(dir, K6_FILES.log), 'utf8').catch(() => '');
    const signal = k6StoppedBy(log);
    k6Exit = signal === null ? null : { code: null, signal, tail: log.slice(-16_384) };
  }
  return {
    dir,
    folder: shown(dir),
    record: await readRecord(dir),
    plan,
    summary,
    samples: existsSync(path.join(dir, K6_FILES.samples)),
    windows: existsSync(path.join(dir, K6_FILES.windows)),
    noSummary: summary === null ? whyNoSummary(k6Exit, summaryProblem) : null,
  };
}
