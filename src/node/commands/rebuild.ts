/**
 * `npm run report -- <run-dir>`: the report of a run rebuilt from what it left on disk, for a run
 * cut short — the runner killed (no report at all), its disk full or read-only (some report files
 * missing). Written by the run, report.json is the truth and the other files are rendered from it
 * again. Otherwise each scenario folder (k6/<scenario>/) is read by the same code the runner uses
 * (src/node/run/scenario-output.ts): k6's summary when it wrote one, else its per-request samples
 * against the plan it logged at start, marked partial. run.json (written when the run started)
 * gives the header and the scenarios that never started; a scenario split over several k6 processes
 * (--segments) is its runners' folders merged (src/node/merge/merge.ts). A run that wrote no report
 * of its own is an error (exit 2) whatever its figures say: its verdicts are shown, but a cut-short
 * run never passes.
 */
import { existsSync, statSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { K6_FILES, type K6FileName } from '../../core/contract.js';
import { ValidationError } from '../../core/errors/ValidationError.js';
import type { Report, RunContext, ScenarioReport } from '../../core/types.js';
import { decideOutcome } from '../../core/rules/outcome.js';
import { renderReport } from '../../core/report/render.js';
import { assertValid } from '../../core/errors/schema-errors.js';
import type { GeneratedValidator } from '../../generated/validator.js';
import { shown } from '../files/paths.js';
import { RUN_CONTEXT_FILE } from '../files/run-files.js';
import { scenarioFromOutput } from '../run/scenario-output.js';
import { MERGED_FILES, mergeRunners } from '../merge/merge.js';
import { isRunnerFolder } from '../merge/runner-folders.js';

/** The runners' folders of a split run's scenario (k6/<scenario>/runner-<i>/), none for one k6. */
async function splitRunners(outDir: string): Promise<string[]> {
  if (isRunnerFolder(outDir)) return [];
  const entries = await readdir(outDir, { withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isDirectory() && /^runner-\d+$/.test(e.name) && isRunnerFolder(path.join(outDir, e.name)))
    .map((e) => path.join(outDir, e.name));
}

export interface Rebuilt {
  report: Report;
  text: string;
}

async function readValid<T>(file: string, validate: GeneratedValidator<T>): Promise<T | null> {
  if (!existsSync(file)) return null;
  try {
    return assertValid(validate, JSON.parse(await readFile(file, 'utf8')), shown(file));
  } catch {
    return null;
  }
}

/** reports/2026-11-28T06-36-26Z-sustained → 2026-11-28T06:36:26Z, the run's start (to the second). */
export function startFromRunId(runId: string): Date | null {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})Z/.exec(runId);
  return m === null ? null : new Date(`${m[1]}T${m[2]}:${m[3]}:${m[4]}Z`);
}

/** Scenario folders in the order the run made them (warm-ups are not measured runs). */
async function scenarioFolders(
  k6Dir: string,
  context: RunContext | null,
): Promise<Array<{ name: string; folder: string; repeat: number | null }>> {
  const present = existsSync(k6Dir)
    ? (await readdir(k6Dir, { withFileTypes: true }))
        .filter((e) => e.isDirectory() && !e.name.endsWith('-warmup'))
        .map((e) => e.name)
    : [];
  if (context !== null) {
    const planned: Array<{ name: string; folder: string; repeat: number | null }> = [];
    for (let repeat = 1; repeat <= context.runs; repeat++) {
      for (const name of context.scenarios)
        planned.push({
          name,
          folder: context.runs > 1 ? `${name}-${repeat}` : name,
          repeat: context.runs > 1 ? repeat : null,
        });
    }
    return planned;
  }
  const withTimes = await Promise.all(
    present.map(async (folder) => ({ folder, t: (await stat(path.join(k6Dir, folder))).mtimeMs })),
  );
  return withTimes.sort((a, b) => a.t - b.t).map(({ folder }) => ({ name: folder, folder, repeat: null }));
}

function k6Stopped(logText: string): string | null {
  return /test run was aborted because k6 received a '([^']+)' signal/.exec(logText)?.[1] ?? null;
}

export async function rebuildReport(runDir: string): Promise<Rebuilt> {
  const dir = path.resolve(runDir);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new ValidationError(runDir, [
      {
        path: '',
        expected: 'a run folder (reports/<run-id>/, as the runner prints it)',
        found: existsSync(dir) ? 'a file' : 'no such folder',
      },
    ]);
  }
  const { validateReport, validateRunContext } = await import('../../generated/file-validators.cjs');
  const now = new Date().toISOString();
  const written = await readValid<Report>(path.join(dir, 'report.json'), validateReport);
  if (written !== null && written.rebuilt == null) {
    const report: Report = {
      ...written,
      rebuilt: {
        at: now,
        partial: false,
        sources: [`report.json, as the run wrote it: ${shown(path.join(dir, 'report.json'))}`],
      },
    };
    return { report, text: renderReport(report) };
  }

  const context = await readValid<RunContext>(path.join(dir, RUN_CONTEXT_FILE), validateRunContext);
  const k6Dir = path.join(dir, 'k6');
  const folders = await scenarioFolders(k6Dir, context);
  const runId = context?.runId ?? path.basename(dir);
  const startedAt = context?.startedAt ?? startFromRunId(runId)?.toISOString() ?? null;
  if (folders.length === 0 || !folders.some((f) => existsSync(path.join(k6Dir, f.folder)))) {
    throw new ValidationError(shown(dir), [
      {
        path: '',
        expected: 'a run folder with at least one scenario folder (k6/<scenario>/) that k6 wrote into',
        found: 'none: the run ended before any scenario started, or this is not a run folder',
      },
    ]);
  }

  const errors: Report['errors'] = [
    {
      scenario: null,
      message:
        'the run ended before it wrote its report (its runner was killed, or its disk failed): ' +
        'this report is rebuilt from what it left on disk',
    },
  ];
  const scenarios: ScenarioReport[] = [];
  const sources: string[] = [];
  let partial = context === null;
  if (context === null)
    sources.push(
      `no ${RUN_CONTEXT_FILE}: the run's settings, k6 and the server are not known, ` +
        'and scenarios that never started cannot be listed',
    );
  let firstMs: number | null = null;
  for (const f of folders) {
    const outDir = path.join(k6Dir, f.folder);
    if (!existsSync(outDir)) {
      const which = `${f.name}${f.repeat === null ? '' : ` (run ${f.repeat})`}`;
      errors.push({
        scenario: f.name,
        message: `scenario ${which} never started: the run ended first`,
      });
      partial = true;
      continue;
    }
    const runners = await splitRunners(outDir);
    if (runners.length > 0) {
      // A split run (--segments): its runners' folders, merged as the run merged them.
      const merged = await mergeRunners({
        dirs: runners,
        originMs: startedAt === null ? null : Date.parse(startedAt),
        ctx: { files: MERGED_FILES },
      });
      scenarios.push(f.repeat === null ? merged.report : { ...merged.report, repeat: f.repeat });
      sources.push(...merged.sources.map((line) => `${f.folder} ${line}`));
      partial ||= merged.partial;
      continue;
    }
    const logText = await readFile(path.join(outDir, K6_FILES.log), 'utf8').catch(() => '');
    const signal = k6Stopped(logText);
    const rel = (name: K6FileName): string => path.relative(dir, path.join(outDir, name));
    const out = await scenarioFromOutput({
      name: f.name,
      outDir,
      originMs: startedAt === null ? null : Date.parse(startedAt),
      k6Exit: signal === null ? null : { code: null, signal, tail: logText.slice(-16_384) },
      ctx: {
        k6ExitCode: null,
        status: signal === null ? 'completed' : 'interrupted',
        error: null,
        files: {
          summary: rel(K6_FILES.summary),
          plan: rel(K6_FILES.plan),
          dashboard: existsSync(path.join(outDir, K6_FILES.dashboard)) ? rel(K6_FILES.dashboard) : null,
        },
        notes: signal === null ? [] : [`k6 was stopped by a ${signal} signal before the end of the scenario (k6.log).`],
      },
    });
    if (startedAt === null && out.report.timeline != null) firstMs ??= Date.parse(out.report.timeline.originAt);
    scenarios.push(f.repeat === null ? out.report : { ...out.report, repeat: f.repeat });
    sources.push(`${f.folder}: ${out.source}`);
    partial ||= out.partial;
  }

  const { outcome, exitCode } = decideOutcome({ interrupted: false, errors, scenarios });
  const report: Report = {
    reportVersion: 1,
    runId,
    startedAt: startedAt ?? new Date(firstMs ?? Date.now()).toISOString(),
    finishedAt: now,
    outcome,
    exitCode,
    gate: context?.gate ?? 'acceptable',
    tool: context?.tool ?? { name: 'realizar-k6', version: 'unknown' },
    k6: context?.k6 ?? null,
    server: {
      managed: context?.server.managed ?? false,
      baseUrl: context?.server.baseUrl ?? 'unknown',
      command: context?.server.command ?? null,
      version: null,
      exit: null,
      healthyAfter: null,
    },
    machine: context?.machine ?? {
      cpus: os.availableParallelism(),
      note: 'rebuilt without run.json: the machine the run used is not known.',
    },
    errors,
    scenarios,
    dashboard: existsSync(path.join(dir, 'dashboard.html')) ? 'dashboard.html' : null,
    rebuilt: { at: now, partial, sources },
  };
  return { report, text: renderReport(report) };
}
