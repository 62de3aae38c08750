/**
 * A sweep step's (or level's) figures, read as a run reads a scenario (src/node/run/k6-result.ts):
 * k6's summary, or else its per-request samples, marked partial. A partial step is kept with its
 * figures, and its problem ends the sweep in error, as a partial scenario ends a run; a step of
 * which nothing could be read is that error alone.
 */
import path from 'node:path';
import type { GeneratorReport, ScenarioReport } from '../../core/types.js';
import { K6_FILES } from '../../core/contract.js';
import { K6RunError } from '../errors/K6RunError.js';
import { shown } from '../files/paths.js';
import { readK6Result, type K6Exit } from '../run/k6-result.js';

export interface StepRead {
  /** The scenario k6 ran (its plan's name). */
  name: string;
  /** What k6 was running, for the error: 'the 40 req/s step'. */
  what: string;
  outDir: string;
  exit: K6Exit;
  generator?: GeneratorReport | null;
}

export interface StepResult {
  report: ScenarioReport;
  /** k6 ended without its summary: the figures are partial, and the sweep stops in error. */
  problem: K6RunError | null;
}

export async function readStep(o: StepRead): Promise<StepResult> {
  const { report, partial, measured } = await readK6Result({
    name: o.name,
    outDir: o.outDir,
    originMs: null,
    exit: o.exit,
    ctx: { files: { summary: null, plan: null }, generator: o.generator ?? null },
  });
  const { code, signal } = o.exit;
  const logFile = shown(path.join(o.outDir, K6_FILES.log));
  const problem = partial ? new K6RunError({ what: o.what, k6ExitCode: code, signal, logFile }) : null;
  if (!measured) throw problem!;
  return { report, problem };
}
