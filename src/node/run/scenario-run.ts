/**
 * One scenario of a run: its warm-up when asked for, k6 against the server with the server and the
 * generator watched, then the scenario's report from what k6 left (k6-result.ts).
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { describeK6Exit } from '../../core/errors/exit-codes.js';
import { dashboardPeriodMs, noDashboardNote, whyNoDashboard } from '../../core/report/dashboard.js';
import type { ScenarioPlan, ScenarioReport } from '../../core/types.js';
import type { RunConfig } from '../config/index.js';
import { shown } from '../files/paths.js';
import { runK6, type K6RunOptions } from '../k6/k6.js';
import { arrivalVars } from './arrivals.js';
import { workloadVars } from '../workload/materialise.js';
import { K6_FILES } from '../../core/contract.js';
import { log } from '../process/log.js';
import { shapeEnv, targetEnv } from '../target/target-env.js';
import type { ResolvedTool } from '../tools/tools.js';
import { GeneratorSampler, generatorReport } from '../watch/generator.js';
import type { ServerMonitor } from '../watch/monitor.js';
import { k6Status, readK6Result, type K6Exit } from './k6-result.js';
import type { RunControl } from './run.js';
import { runSegmented } from './segmented-run.js';
import { NO_SAMPLES_NOTE } from '../../core/windows/feed.js';
import { warmUp } from './warmup.js';
import { calibrate, withFloor } from './calibrate.js';

export interface ScenarioRun {
  name: string;
  /** The scenario's bundle. */
  script: string;
  /** The run folder. */
  dir: string;
  config: RunConfig;
  k6: ResolvedTool;
  control: RunControl;
  /** Which repetition of the scenario (--runs), from 1. */
  repeat: number;
  monitor: ServerMonitor;
  /** When the run started, ms since the epoch: second 0 of the timeline. */
  originMs: number;
  plan: ScenarioPlan;
}

interface DashboardOutcome {
  /** Where the dashboard was asked for (null: --no-dashboard). */
  file: string | null;
  /** k6 wrote it. */
  kept: boolean;
  plan: ScenarioPlan;
  /** How long the load lasted, from the samples (null: not known). */
  loadSec: number | null;
  exit: K6Exit;
  completed: boolean;
}

/** Every run has a dashboard, or a line saying why not. */
function dashboardNotes(o: DashboardOutcome): string[] {
  if (o.kept) return [];
  if (o.file === null) return [noDashboardNote({ why: 'off' })];
  const k6Exit = describeK6Exit(o.exit.code, o.exit.signal);
  return [noDashboardNote(whyNoDashboard({ plan: o.plan, durationSec: o.loadSec, k6Completed: o.completed, k6Exit }))];
}

export async function runScenario(o: ScenarioRun): Promise<ScenarioReport> {
  const { name, script, dir, config, k6, control, repeat, monitor, plan } = o;
  const outDir = path.join(dir, 'k6', config.runs > 1 ? `${name}-${repeat}` : name);
  await mkdir(outDir, { recursive: true });
  const dashboardFile = config.dashboard ? path.join(outDir, K6_FILES.dashboard) : null;
  // From the planned length: a short period costs k6 CPU taken from the server (src/core/report/dashboard.ts).
  const dashboardPeriod = dashboardPeriodMs(plan);
  const files: ScenarioReport['files'] = {
    summary: path.relative(dir, path.join(outDir, K6_FILES.summary)),
    plan: path.relative(dir, path.join(outDir, K6_FILES.plan)),
    dashboard: dashboardFile === null ? null : path.relative(dir, dashboardFile),
  };
  const which = config.runs > 1 ? ` (run ${repeat} of ${config.runs})` : '';
  const vars: K6RunOptions['vars'] = {
    ...targetEnv(config),
    ...shapeEnv(config.shape),
    THRESHOLDS_SOURCE: config.thresholdsDir === null ? null : shown(path.join(config.thresholdsDir, `${name}.json`)),
    PROMPTS_FILE: config.promptsFile,
    ...(await arrivalVars(config, dir)),
    ...(await workloadVars(config, plan, dir)),
  };
  const warmNotes = await warmUp({ name, script, dir, outDir, config, k6, control, vars });
  if (config.segments > 1) {
    const merged = await runSegmented({ ...o, outDir, vars, notes: warmNotes });
    return config.runs > 1 ? { ...merged, repeat } : merged;
  }
  const floor = await calibrate({ config, plan, k6: k6.path, script, outDir, control });
  log.info(`running scenario ${name}${which} with k6 ${k6.version} against ${config.baseUrl}`);
  const watch = await monitor.beforeScenario();
  const sampler: { current: GeneratorSampler | null } = { current: null };
  const exit = await runK6({
    k6: k6.path,
    script,
    outDir,
    baseUrl: config.baseUrl,
    gate: config.gate,
    scale: config.scale,
    mix: config.mix,
    timeoutSec: config.timeoutSec,
    vars,
    dashboardFile,
    dashboardPeriodMs: dashboardPeriod,
    outputs: config.k6Outputs,
    samples: config.samples,
    clients: Math.max(...plan.phases.map((p) => p.clients)),
    onStart: (child) => {
      control.k6 = child;
      // k6 and the browser it starts: what the generator itself cost, and whether it was starved.
      sampler.current = new GeneratorSampler(child.pid).start();
    },
  });
  control.k6 = null;
  const watched = await monitor.afterScenario(watch, outDir, dir, { latencyMetric: plan.latencyMetric });
  const generator = await generatorReport(sampler.current, outDir, watched.loadWindow);

  if (dashboardFile !== null && !existsSync(dashboardFile)) files.dashboard = null;
  const completed = k6Status(exit, control.interrupted) === 'completed';
  const noDashboard = dashboardNotes({
    file: dashboardFile,
    kept: files.dashboard != null,
    plan,
    loadSec: watched.loadSec,
    exit,
    completed,
  });
  if (watched.plots.length > 0) files.plots = watched.plots;
  // k6's summary when it wrote one, else its per-request samples (marked partial): a k6 killed or
  // short of disk still leaves what it measured.
  const { report } = await readK6Result({
    name,
    outDir,
    originMs: o.originMs,
    exit,
    interrupted: control.interrupted,
    samplesOff: !config.samples,
    ctx: {
      files,
      resources: watched.resources,
      telemetry: watched.telemetry,
      prometheus: watched.prometheus,
      generator,
      notes: [...warmNotes, ...noDashboard, ...(config.samples ? [] : [NO_SAMPLES_NOTE])],
    },
  });
  const floored = await withFloor(report, floor, outDir);
  // Second 0 of the server's resource series, so report.html lays them on the run's time axis.
  const started = { ...floored, startedAt: new Date(watched.startMs).toISOString() };
  return config.runs > 1 ? { ...started, repeat } : started;
}
