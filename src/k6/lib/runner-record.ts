/**
 * runner.json (schemas/runner.schema.json), written from handleSummary by a runner of a split run:
 * its execution segment as k6 resolved it (k6 gives it to the script only once the test runs, not
 * at init) and the run it belongs to (RUN_ID). A k6-operator runner Pod has no one else to write
 * it; a local runner's Node side wrote the same before k6 started (src/node/run/segmented-run.ts).
 */
import exec from 'k6/execution';
import { K6_FILES, runFile } from '../../core/contract.js';
import type { RunnerRecord, ScenarioPlan } from '../../core/types.js';
import type { ClientEnv } from './env.js';

/** The file to add to handleSummary's output; none unless the run was given a RUN_ID. */
function runnerRecordFile(env: Pick<ClientEnv, 'outDir' | 'runId'>, scenario: string): Record<string, string> {
  if (env.outDir === null || env.runId === null) return {};
  const options = exec.test.options;
  const record: RunnerRecord = {
    runnerVersion: 1,
    scenario,
    runId: env.runId,
    executionSegment: options.executionSegment ?? null,
    executionSegmentSequence: options.executionSegmentSequence ?? null,
  };
  return { [runFile(env.outDir, K6_FILES.runner)]: JSON.stringify(record, null, 2) };
}

/**
 * handleSummary's files in a run with an output folder: the raw summary as k6 gives it (not
 * --summary-export, whose threshold flags are inverted), the plan it was produced under, and a split
 * run's runner.json; the Node runner turns them into the house report. Only the init handleSummary runs
 * in (VU 0) needs it: in the runner's build it comes from the init file beside the script (./init-once.ts).
 */
export function summaryFiles(
  outDir: string,
  env: Pick<ClientEnv, 'outDir' | 'runId'>,
  plan: ScenarioPlan,
  data: unknown,
): Record<string, string> {
  return {
    [runFile(outDir, K6_FILES.summary)]: JSON.stringify(data, null, 2),
    [runFile(outDir, K6_FILES.plan)]: JSON.stringify(plan, null, 2),
    ...runnerRecordFile(env, plan.scenario),
  };
}
