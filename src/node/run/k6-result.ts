/**
 * What one k6 run of a scenario left, read the same way wherever it ran (a run's scenario, a sweep's
 * step or level): how k6 ended gives the status and the error; k6's summary, or else its per-request
 * samples read against the plan it logged (marked partial), give the figures (scenario-output.ts).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describeK6Exit, K6_THRESHOLDS_CROSSED } from '../../core/errors/exit-codes.js';
import type { ConvertContext } from '../../core/summary/convert.js';
import type { ScenarioReport } from '../../core/types.js';
import { shown } from '../files/paths.js';
import { NO_BROWSER } from '../k6/k6.js';
import { K6_FILES } from '../../core/contract.js';
import { scenarioFromOutput, type ScenarioOutput, type ScenarioOutputInput } from './scenario-output.js';

export type K6Exit = NonNullable<ScenarioOutputInput['k6Exit']>;

export interface K6ResultInput {
  /** The scenario k6 ran (its plan's name). */
  name: string;
  /** Where k6 wrote: summary.json, plan.json, samples.csv.gz, k6.log. */
  outDir: string;
  /** Second 0 of the timeline, ms since the epoch (null: not known). */
  originMs: number | null;
  exit: K6Exit;
  /** The run was interrupted (Ctrl-C) while k6 ran. */
  interrupted?: boolean;
  /** The run wrote no per-request samples (--no-samples). */
  samplesOff?: boolean;
  /** What the caller knows besides: files, server resources, the generator's cost, notes. */
  ctx: Omit<ConvertContext, 'k6ExitCode' | 'status' | 'error'>;
}

/** k6 ran its course when it exited 0 or said a threshold was crossed. */
export function k6Status(exit: K6Exit, interrupted = false): ScenarioReport['status'] {
  if (interrupted) return 'interrupted';
  return exit.code === 0 || exit.code === K6_THRESHOLDS_CROSSED ? 'completed' : 'error';
}

async function k6Error(name: string, outDir: string, exit: K6Exit): Promise<string> {
  const k6Log = path.join(outDir, K6_FILES.log);
  if (NO_BROWSER.test(await readFile(k6Log, 'utf8').catch(() => ''))) {
    return (
      `scenario ${name} reads streams in Chromium through k6's browser module, and k6 found no Chromium: ` +
      `install it (Debian: apt-get install chromium) or point K6_BROWSER_EXECUTABLE_PATH at one; see ${shown(k6Log)}`
    );
  }
  return `k6 exited with ${describeK6Exit(exit.code, exit.signal)}; see ${shown(k6Log)}`;
}

/** The scenario's report from what k6 left in `outDir`, after k6 ended as `exit` says. */
export async function readK6Result(input: K6ResultInput): Promise<ScenarioOutput> {
  const { name, outDir, exit } = input;
  const status = k6Status(exit, input.interrupted);
  const error = status === 'error' ? await k6Error(name, outDir, exit) : null;
  return scenarioFromOutput({
    name,
    outDir,
    originMs: input.originMs,
    k6Exit: exit,
    samplesOff: input.samplesOff === true,
    ctx: { ...input.ctx, k6ExitCode: exit.code, status, error },
  });
}
