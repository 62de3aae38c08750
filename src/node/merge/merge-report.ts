/**
 * `npm run report -- --merge DIR...`: the report of a split run from its runners' folders, wherever
 * they ran (several k6 processes here with --segments, or the k6-operator's runner Pods, whose
 * folders a merge Job reads on their shared volume or kubectl copies here). One scenario, its
 * verdicts judged on the whole, marked as built afterwards from those folders (and partial when a
 * runner is missing or ended early); the same exit codes as a run.
 */
import os from 'node:os';
import type { Report } from '../../core/types.js';
import { decideOutcome } from '../../core/rules/outcome.js';
import { renderReport } from '../../core/report/render.js';
import { toolVersion } from '../run/run-context.js';
import { MERGED_FILES, mergeRunners } from './merge.js';
import { resolveRunnerFolders } from './runner-folders.js';

export interface MergedReport {
  report: Report;
  text: string;
  /** The scenario merged, for the run folder's name. */
  scenario: string;
}

/**
 * The merged report of the runner folders `paths` stand for; `runId` names the report (the folder
 * it is written to). A ValidationError (exit 2) when they are not runners of one run of one scenario.
 */
export async function mergedReport(
  paths: readonly string[],
  runId: (scenario: string) => Promise<string>,
): Promise<MergedReport> {
  const dirs = await resolveRunnerFolders(paths);
  const now = new Date();
  const merged = await mergeRunners({ dirs, originMs: null, ctx: { files: MERGED_FILES } });
  const { plan } = merged.layout;
  const scenarios = [merged.report];
  const errors: Report['errors'] = [];
  const { outcome, exitCode } = decideOutcome({ interrupted: false, errors, scenarios });
  const report: Report = {
    reportVersion: 1,
    runId: await runId(plan.scenario),
    startedAt: new Date(merged.firstMs ?? now.getTime()).toISOString(),
    finishedAt: now.toISOString(),
    outcome,
    exitCode,
    gate: plan.gate,
    tool: { name: 'realizar-k6', version: await toolVersion().catch(() => 'unknown') },
    k6: null,
    server: {
      managed: false,
      baseUrl: plan.baseUrl,
      command: null,
      version: null,
      exit: null,
      healthyAfter: null,
    },
    machine: {
      cpus: os.availableParallelism(),
      note:
        `merged on this machine from ${merged.layout.runners.length} runner folder(s); the machines the ` +
        `runners ran on are not recorded.`,
    },
    errors,
    scenarios,
    dashboard: null,
    rebuilt: {
      at: now.toISOString(),
      partial: merged.partial,
      sources: [
        `merged by npm run report -- --merge from the folders of ${merged.layout.runners.length} ` +
          `runner(s)${merged.layout.runId === null ? '' : ` of run ${merged.layout.runId}`}:`,
        ...merged.sources,
      ],
    },
  };
  return { report, text: renderReport(report), scenario: plan.scenario };
}
