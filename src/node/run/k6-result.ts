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
import { scriptErrors, scriptErrorsNote, type ScriptErrors } from '../../core/summary/k6-log.js';
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
  /** The run wrote no per-request samples (the default; --samples writes them). */
  samplesOff?: boolean;
  /** What the caller knows besides: files, server resources, the generator's cost, notes. */
  ctx: Omit<ConvertContext, 'k6ExitCode' | 'status' | 'error'>;
}

/** k6 ran its course when it exited 0 or said a threshold was crossed. */
export function k6Status(exit: K6Exit, interrupted = false): ScenarioReport['status'] {
  if (interrupted) return 'interrupted';
  return exit.code === 0 || exit.code === K6_THRESHOLDS_CROSSED ? 'completed' : 'error';
}

function k6Error(name: string, k6Log: string, logText: string, exit: K6Exit): string {
  if (NO_BROWSER.test(logText)) {
    return (
      `scenario ${name} reads streams in Chromium through k6's browser module, and k6 found no Chromium: ` +
      `install it (Debian: apt-get install chromium) or point K6_BROWSER_EXECUTABLE_PATH at one; see ${shown(k6Log)}`
    );
  }
  return `k6 exited with ${describeK6Exit(exit.code, exit.signal)}; see ${shown(k6Log)}`;
}

/**
 * A phase whose own code threw and that sent no request did not run, though k6 went on and exited 0:
 * the scenario is an error, named by what was thrown.
 */
function withScriptErrors(out: ScenarioOutput, thrown: readonly ScriptErrors[]): ScenarioOutput {
  const r = out.report;
  if (r.status !== 'completed') return out;
  const stopped = thrown.find((e) => r.phases.some((p) => p.name === e.phase && p.totals.sent === 0));
  if (stopped === undefined) return out;
  const error = `phase ${stopped.phase} sent no request: its code threw ${stopped.first}`;
  return { ...out, report: { ...r, status: 'error', error } };
}

/** The scenario's report from what k6 left in `outDir`, after k6 ended as `exit` says. */
export async function readK6Result(input: K6ResultInput): Promise<ScenarioOutput> {
  const { name, outDir, exit } = input;
  const k6Log = path.join(outDir, K6_FILES.log);
  const logText = await readFile(k6Log, 'utf8').catch(() => '');
  const status = k6Status(exit, input.interrupted);
  const error = status === 'error' ? k6Error(name, k6Log, logText, exit) : null;
  const thrown = scriptErrors(logText);
  const notes = [...(input.ctx.notes ?? []), ...thrown.map((e) => scriptErrorsNote(e, shown(k6Log)))];
  const out = await scenarioFromOutput({
    name,
    outDir,
    originMs: input.originMs,
    k6Exit: exit,
    samplesOff: input.samplesOff === true,
    ctx: { ...input.ctx, notes, k6ExitCode: exit.code, status, error },
  });
  return withScriptErrors(out, thrown);
}
