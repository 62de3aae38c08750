/**
 * runner.json (schemas/runner.schema.json), written from handleSummary by a runner of a split run:
 * its execution segment as k6 resolved it (k6 gives it to the script only once the test runs, not
 * at init) and the run it belongs to (RUN_ID). A k6-operator runner Pod has no one else to write
 * it; a local runner's Node side wrote the same before k6 started (src/node/run/segmented-run.ts).
 */
import exec from 'k6/execution';
import { K6_FILES, runFile } from '../../core/contract.js';
import type { RunnerRecord } from '../../core/types.js';
import type { K6Env } from './env.js';

/** The file to add to handleSummary's output; none unless the run was given a RUN_ID. */
export function runnerRecordFile(env: K6Env, scenario: string): Record<string, string> {
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
