/**
 * One run, left to right: check the target, find the tools, start the server and wait for it, run
 * each scenario with k6, convert each summary, stop the server, decide the outcome, write the report.
 * Whatever happens after the run folder exists, a report is written with everything measured so far.
 */
import type { Report, ScenarioReport } from '../../core/types.js';
import { renderReport } from '../../core/report/render.js';
import type { RunConfig } from '../config/index.js';
import { loadServerProfile, ServerMonitor } from '../watch/monitor.js';
import { processExists, type SampleTarget } from '../watch/resources.js';
import { ValidationError } from '../../core/errors/ValidationError.js';
import { planScripts, resolveRunPlans } from './plans.js';
import { stopChild, type Child } from '../process/processes.js';
import { createRunDir } from '../files/report-files.js';
import { keepRunReport, writeRunContext } from '../files/run-files.js';
import { healthyNow, stopServer, type ManagedServer } from '../target/server.js';
import { bringUp, healthProbe, prepareTarget } from '../target/target.js';
import { argvLabel, machineNote, toolVersion } from './run-context.js';
import { runReport } from './run-report.js';
import { runScenario } from './scenario-run.js';

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
  const scripts = await planScripts(config, plans, bundleDir);
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
    const cancelled = (): boolean => control.interrupted;
    version = (await bringUp({ config, command, dir, cancelled, onStart: (s) => (server = s) })).version;
    const target: SampleTarget | null =
      server !== null
        ? { kind: 'group', pgid: server.child.pid }
        : config.serverPid !== null
          ? { kind: 'pid', pid: config.serverPid }
          : null;
    if (target?.kind === 'pid' && !processExists(target.pid)) {
      throw new ValidationError('--server-pid', [
        { path: '', expected: 'the pid of the running server', found: `${target.pid}, which is not running` },
      ]);
    }
    monitor = new ServerMonitor(config.baseUrl, target, profile, {
      intervalSec: config.scrapeIntervalSec,
      originMs: startedAt.getTime(),
    });

    // Repetitions are interleaved (every scenario once, then again), so a slow minute of the
    // machine spreads over scenarios instead of falling on all runs of one.
    for (let repeat = 1; repeat <= config.runs; repeat++) {
      for (const name of config.scenarios) {
        if (control.interrupted || server?.unexpectedExit) break;
        try {
          scenarios.push(
            await runScenario({
              name,
              script: scripts[config.scenarios.indexOf(name)]!,
              dir,
              config,
              k6,
              control,
              repeat,
              monitor,
              originMs: startedAt.getTime(),
              plan: plans[config.scenarios.indexOf(name)]!,
            }),
          );
        } catch (err) {
          errors.push({ scenario: name, message: (err as Error).message });
        }
      }
    }
    if (!control.interrupted && !server?.unexpectedExit)
      healthyAfter = await healthyNow(config.baseUrl, healthProbe(config));
  } catch (err) {
    errors.push({ scenario: null, message: (err as Error).message });
  } finally {
    monitor?.stop();
    if (control.k6 !== null) await stopChild(control.k6, 5_000, 'SIGINT');
    if (server !== null) await stopServer(server);
  }

  const report = await runReport({
    runId,
    startedAt,
    config,
    k6,
    command,
    version,
    server,
    healthyAfter,
    loopback,
    interrupted: control.interrupted,
    errors,
    scenarios,
  });
  const text = renderReport(report);
  // Shown before anything is written: a full, read-only or vanished disk then costs files, never
  // the results (src/node/files/run-files.ts).
  show(text);
  await keepRunReport({ dir, outDir: config.outDir, report, text, shownAbove: true });
  return { report, dir, text };
}
