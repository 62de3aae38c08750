/**
 * --segments N: one scenario as N k6 processes on this machine against one server, each run with
 * the execution segment and sequence the k6-operator gives its N runner Pods (equal slices of one
 * sequence), each into its own folder (k6/<scenario>/runner-<i>/), then merged into one scenario of
 * the report exactly as `npm run report -- --merge` merges a cluster's runners
 * (src/node/merge/merge.ts). It is the test of the merge that needs no cluster, and a way past one
 * k6 process's core on a big machine.
 */
import { writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { K6_FILES } from '../../core/contract.js';
import { describeK6Exit } from '../../core/errors/exit-codes.js';
import { equalSegments } from '../../core/merge/segments.js';
import type { RunnerRecord, ScenarioPlan, ScenarioReport } from '../../core/types.js';
import type { RunConfig } from '../config/index.js';
import { shown } from '../files/paths.js';
import { runK6, type K6RunOptions } from '../k6/k6.js';
import { mergeRunners, MERGED_FILES } from '../merge/merge.js';
import { log } from '../process/log.js';
import type { ResolvedTool } from '../tools/tools.js';
import type { ServerMonitor } from '../watch/monitor.js';
import { k6Status, type K6Exit } from './k6-result.js';
import { NO_SAMPLES_NOTE } from '../../core/windows/feed.js';
import type { RunControl } from './run.js';

export interface SegmentedRun {
  name: string;
  script: string;
  /** The run folder, and the scenario's folder in it (k6/<scenario>/), the runners' folders under it. */
  dir: string;
  outDir: string;
  config: RunConfig;
  k6: ResolvedTool;
  control: RunControl;
  monitor: ServerMonitor;
  originMs: number;
  /** Its latency metric is the time the timeline, drift and leak follow. */
  plan: Pick<ScenarioPlan, 'latencyMetric'>;
  /** The -e variables of the scenario (the target, its shape, thresholds, prompts). */
  vars: K6RunOptions['vars'];
  /** Lines for the notes already known (the warm-up's). */
  notes: string[];
}

/** Said in the report of a split run, in place of the dashboard's and the generator's lines. */
export const SEGMENTED_NOTES = [
  "k6's web dashboard is one k6 process's view, so a split run exports none (--segments).",
  "The load generator's own cost is not measured for a split run: it is several k6 processes.",
];

export async function runSegmented(o: SegmentedRun): Promise<ScenarioReport> {
  const { name, config, control } = o;
  const { segments, sequence } = equalSegments(config.segments);
  const runId = path.basename(o.dir);
  const dirs = segments.map((_, i) => path.join(o.outDir, `runner-${i + 1}`));
  // The share each runner holds is on disk before its k6 starts: a runner killed before its end
  // still says which one it was (k6 writes the same file from handleSummary).
  await Promise.all(
    dirs.map(async (d, i) => {
      await mkdir(d, { recursive: true });
      const record: RunnerRecord = {
        runnerVersion: 1,
        scenario: name,
        runId,
        executionSegment: segments[i]!,
        executionSegmentSequence: sequence,
      };
      await writeFile(path.join(d, K6_FILES.runner), `${JSON.stringify(record, null, 2)}\n`);
    }),
  );
  log.info(
    `running scenario ${name} as ${segments.length} k6 processes (execution segments of ${sequence}) with k6 ` +
      `${o.k6.version} against ${config.baseUrl}`,
  );
  const watch = await o.monitor.beforeScenario();
  const exits: K6Exit[] = await Promise.all(
    dirs.map((d, i) =>
      runK6({
        k6: o.k6.path,
        script: o.script,
        outDir: d,
        baseUrl: config.baseUrl,
        gate: config.gate,
        scale: config.scale,
        mix: config.mix,
        timeoutSec: config.timeoutSec,
        vars: { ...o.vars, RUN_ID: runId },
        dashboardFile: null,
        outputs: config.k6Outputs,
        samples: config.samples,
        segment: { segment: segments[i]!, sequence },
        // Ctrl-C reaches the first as SIGINT and the others as SIGTERM: k6 stops gracefully on both.
        onStart: (child) => (control.k6 ??= child),
      }),
    ),
  );
  control.k6 = null;
  const watched = await o.monitor.afterScenario(watch, o.outDir, o.dir, {
    k6Dirs: dirs,
    latencyMetric: o.plan.latencyMetric,
  });

  const failed = exits.flatMap((e, i) =>
    k6Status(e) === 'error'
      ? [
          `runner ${segments[i]} exited with ${describeK6Exit(e.code, e.signal)}; see ` +
            `${shown(path.join(dirs[i]!, K6_FILES.log))}`,
        ]
      : [],
  );
  const status: ScenarioReport['status'] = control.interrupted
    ? 'interrupted'
    : failed.length > 0
      ? 'error'
      : 'completed';
  const merged = await mergeRunners({
    dirs,
    exits,
    originMs: o.originMs,
    ctx: {
      files: { ...MERGED_FILES, ...(watched.plots.length > 0 ? { plots: watched.plots } : {}) },
      resources: watched.resources,
      prometheus: watched.prometheus,
      generator: null,
      notes: [...o.notes, ...SEGMENTED_NOTES, ...(config.samples ? [] : [NO_SAMPLES_NOTE])],
      status,
      ...(failed.length > 0 ? { error: `${failed.join('; ')}.` } : {}),
    },
  });
  return merged.report;
}
