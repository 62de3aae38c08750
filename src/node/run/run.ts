/**
 * One run, left to right: check the target, find the tools, start the server and wait for it, run
 * each scenario with k6, convert each summary, stop the server, decide the outcome, write the report.
 * Whatever happens after the run folder exists, a report is written with everything measured so far.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { dashboardPeriodMs, noDashboardNote, whyNoDashboard } from '../../core/report/dashboard.js';
import { describeK6Exit, K6_THRESHOLDS_CROSSED } from '../../core/errors/exit-codes.js';
import { decideOutcome } from '../../core/rules/outcome.js';
import type { Report, ScenarioPlan, ScenarioReport } from '../../core/types.js';
import { renderReport } from '../../core/report/render.js';
import type { RunConfig } from '../config/index.js';
import { NO_BROWSER, runK6, type K6RunOptions } from '../k6/k6.js';
import { K6_FILES } from '../../core/contract.js';
import { GeneratorSampler, generatorReport } from '../watch/generator.js';
import { loadServerProfile, ServerMonitor } from '../watch/monitor.js';
import { processExists, type SampleTarget } from '../watch/resources.js';
import { ValidationError } from '../../core/errors/ValidationError.js';
import { log } from '../process/log.js';
import { shown } from '../files/paths.js';
import { resolveRunPlans } from './plans.js';
import { stopChild, type Child } from '../process/processes.js';
import { createRunDir } from '../files/report-files.js';
import { keepRunReport, plannedDashboard, writeRunContext } from '../files/run-files.js';
import { scenarioFromOutput } from './scenario-output.js';
import { healthyNow, stopServer, type ManagedServer } from '../target/server.js';
import { bringUp, healthProbe, prepareTarget } from '../target/target.js';
import type { ResolvedTool } from '../tools/tools.js';
import { shapeEnv, targetEnv } from '../target/target-env.js';
import { argvLabel, machineNote, toolVersion } from './run-context.js';

/** Shared with the signal handler: a first Ctrl-C stops k6 gracefully, the run then winds down. */
export interface RunControl {
  interrupted: boolean;
  k6: Child | null;
}

export interface RunResult {
  report: Report;
  dir: string;
  text: string;
}

/** Said in the report of a run with --no-samples. */
export const NO_SAMPLES_NOTE =
  "Per-request samples were not written (--no-samples): k6's summary gives every figure above, but there is no drift or leak check, no latency bands or outage timeline, and no report could be rebuilt from them had k6 died.";

async function runScenario(
  name: string,
  script: string,
  dir: string,
  config: RunConfig,
  k6: ResolvedTool,
  control: RunControl,
  repeat: number,
  monitor: ServerMonitor,
  originMs: number,
  plan: ScenarioPlan,
): Promise<ScenarioReport> {
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
  };
  const warmNotes: string[] = [];
  if (config.warmupRequests > 0) {
    // Same bundle, same server, a short closed run whose figures nobody reads: caches, JIT and
    // connection pools are warm when the measured run starts.
    const warmDir = `${outDir}-warmup`;
    await mkdir(warmDir, { recursive: true });
    log.info(`warming up ${name} with ${config.warmupRequests} request(s) (not measured)`);
    const warm = await runK6({
      k6: k6.path,
      script,
      outDir: warmDir,
      baseUrl: config.baseUrl,
      gate: config.gate,
      scale: 1,
      mix: config.mix,
      timeoutSec: config.timeoutSec,
      dashboardFile: null,
      outputs: [],
      samples: config.samples,
      vars: { ...vars, WARMUP_REQUESTS: config.warmupRequests },
      onStart: (c) => (control.k6 = c),
    });
    control.k6 = null;
    warmNotes.push(
      `Warm-up: ${config.warmupRequests} request(s) sent before the measured run (${path.relative(dir, warmDir)}, k6 exit ${warm.code ?? warm.signal}), left out of every figure here.`,
    );
  }
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
    onStart: (child) => {
      control.k6 = child;
      // k6 and the browser it starts: what the generator itself cost, and whether it was starved.
      sampler.current = new GeneratorSampler(child.pid).start();
    },
  });
  control.k6 = null;
  const watched = await monitor.afterScenario(watch, outDir, dir);
  const generator = await generatorReport(sampler.current, outDir, watched.loadWindow);

  const code = exit.code;
  const status: ScenarioReport['status'] = control.interrupted ? 'interrupted' : code === 0 || code === K6_THRESHOLDS_CROSSED ? 'completed' : 'error';
  const k6Log = path.join(outDir, K6_FILES.log);
  const noBrowser = status === 'error' && NO_BROWSER.test(await readFile(k6Log, 'utf8').catch(() => ''));
  const error =
    status !== 'error'
      ? null
      : noBrowser
        ? `scenario ${name} reads streams in Chromium through k6's browser module, and k6 found no Chromium: install it (Debian: apt-get install chromium) or point K6_BROWSER_EXECUTABLE_PATH at one; see ${shown(k6Log)}`
        : `k6 exited with ${describeK6Exit(code, exit.signal)}; see ${shown(k6Log)}`;

  if (dashboardFile !== null && !existsSync(dashboardFile)) files.dashboard = null;
  // Every run has a dashboard, or a line saying why not.
  const dashboardNotes =
    files.dashboard != null
      ? []
      : [
          noDashboardNote(
            dashboardFile === null
              ? { why: 'turned-off' }
              : whyNoDashboard({ plan, durationSec: watched.loadSec, k6Completed: status === 'completed', k6Exit: describeK6Exit(code, exit.signal) }),
          ),
        ];
  if (watched.plots.length > 0) files.plots = watched.plots;
  const withRepeat = (s: ScenarioReport): ScenarioReport => (config.runs > 1 ? { ...s, repeat } : s);
  // k6's summary when it wrote one, else its per-request samples (marked partial): a k6 killed or
  // short of disk still leaves what it measured (src/node/run/scenario-output.ts).
  const { report } = await scenarioFromOutput({
    name,
    outDir,
    originMs,
    k6Exit: exit,
    samplesOff: !config.samples,
    ctx: {
      k6ExitCode: code,
      status,
      error,
      files,
      resources: watched.resources,
      prometheus: watched.prometheus,
      generator,
      notes: [...warmNotes, ...dashboardNotes, ...(config.samples ? [] : [NO_SAMPLES_NOTE])],
    },
  });
  return withRepeat(report);
}

/** `show` gets the report's text before any file of it is written (the terminal, for the CLI). */
export async function runLoadTest(
  config: RunConfig,
  control: RunControl,
  bundleDir: string,
  show: (text: string) => void = () => undefined,
): Promise<RunResult> {
  const startedAt = new Date();
  // The whole plan, prompt set included, checked before a tool is built or a server started.
  const plans = await resolveRunPlans(config);
  const { loopback, k6, command } = await prepareTarget(config);
  const profile = config.serverProfile === null ? null : await loadServerProfile(config.serverProfile);

  const label = config.scenarios.length === 1 ? config.scenarios[0]! : argvLabel(config.scenarios);
  const { runId, dir } = await createRunDir(config.outDir, label, startedAt);
  // What this run is, on disk before any load: `npm run report` rebuilds from it if the run dies.
  await writeRunContext(dir, {
    runVersion: 1,
    runId,
    startedAt: startedAt.toISOString(),
    scenarios: [...config.scenarios],
    runs: config.runs,
    gate: config.gate,
    tool: { name: 'realizar-k6', version: await toolVersion() },
    k6: { path: k6.path, version: k6.version, origin: k6.origin },
    server: { managed: config.manageServer, baseUrl: config.baseUrl, command },
    machine: machineNote(config.manageServer, loopback),
  });
  const errors: Report['errors'] = [];
  const scenarios: ScenarioReport[] = [];
  // Set by bringUp as soon as the server exists (in a callback, so the type is spelled out).
  let server = null as ManagedServer | null;
  let version: string | null = null;
  let healthyAfter: boolean | null = null;
  let monitor: ServerMonitor | null = null;

  try {
    version = (
      await bringUp(
        config,
        command,
        dir,
        () => control.interrupted,
        (started) => (server = started),
      )
    ).version;
    const target: SampleTarget | null =
      server !== null ? { kind: 'group', pgid: server.child.pid } : config.serverPid !== null ? { kind: 'pid', pid: config.serverPid } : null;
    if (target?.kind === 'pid' && !processExists(target.pid)) {
      throw new ValidationError('--server-pid', [{ path: '', expected: 'the pid of the running server', found: `${target.pid}, which is not running` }]);
    }
    monitor = new ServerMonitor(config.baseUrl, target, profile);

    // Repetitions are interleaved (every scenario once, then again), so a slow minute of the
    // machine spreads over scenarios instead of falling on all runs of one.
    for (let repeat = 1; repeat <= config.runs; repeat++) {
      for (const name of config.scenarios) {
        if (control.interrupted || server?.unexpectedExit) break;
        try {
          scenarios.push(
            await runScenario(
              name,
              path.join(bundleDir, `${name}.js`),
              dir,
              config,
              k6,
              control,
              repeat,
              monitor,
              startedAt.getTime(),
              plans[config.scenarios.indexOf(name)]!,
            ),
          );
        } catch (err) {
          errors.push({ scenario: name, message: (err as Error).message });
        }
      }
    }
    if (!control.interrupted && !server?.unexpectedExit) healthyAfter = await healthyNow(config.baseUrl, healthProbe(config));
  } catch (err) {
    errors.push({ scenario: null, message: (err as Error).message });
  } finally {
    monitor?.stop();
    if (control.k6 !== null) await stopChild(control.k6, 5_000, 'SIGINT');
    if (server !== null) await stopServer(server);
  }

  if (server?.unexpectedExit) {
    const e = server.unexpectedExit;
    errors.push({
      scenario: null,
      message: `the server exited during the run (${e.code !== null ? `exit code ${e.code}` : `signal ${e.signal ?? '?'}`}); see ${shown(server.logFile)}`,
    });
  }

  const { outcome, exitCode } = decideOutcome({ interrupted: control.interrupted, errors, scenarios });
  const report: Report = {
    reportVersion: 1,
    runId,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    outcome,
    exitCode,
    gate: config.gate,
    tool: { name: 'realizar-k6', version: await toolVersion() },
    k6: { path: k6.path, version: k6.version, origin: k6.origin },
    server: {
      managed: config.manageServer,
      baseUrl: config.baseUrl,
      command,
      version,
      exit:
        server?.unexpectedExit == null
          ? null
          : { code: server.unexpectedExit.code, signal: server.unexpectedExit.signal, atSec: (server.unexpectedExit.atMs - startedAt.getTime()) / 1000 },
      healthyAfter,
    },
    machine: machineNote(config.manageServer, loopback),
    errors,
    scenarios,
  };
  report.dashboard = plannedDashboard(scenarios);
  const text = renderReport(report);
  // Shown before anything is written: a full, read-only or vanished disk then costs files, never
  // the results (src/node/files/run-files.ts).
  show(text);
  await keepRunReport({ dir, outDir: config.outDir, report, text, shownAbove: true });
  return { report, dir, text };
}
