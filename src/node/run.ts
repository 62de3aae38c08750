/**
 * One run, left to right: check the target, find the tools, start the server and wait for it, run
 * each scenario with k6, convert each summary, stop the server, decide the outcome, write the report.
 * Whatever happens after the run folder exists, a report is written with everything measured so far.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { convertScenario, failedScenario } from '../core/convert.js';
import { decideOutcome, K6_THRESHOLDS_CROSSED } from '../core/outcome.js';
import type { Report, ScenarioReport } from '../core/model.js';
import { parsePromptSet } from '../core/prompts.js';
import { renderReport } from '../core/render.js';
import type { RunConfig } from './config.js';
import { readScenarioOutput } from './json-file.js';
import { NO_BROWSER, runK6 } from './k6.js';
import { loadServerProfile, ServerMonitor } from './monitor.js';
import { processExists, type SampleTarget } from './resources.js';
import { ValidationError } from '../core/errors/ValidationError.js';
import { log } from './log.js';
import { ROOT, shown } from './paths.js';
import { stopChild, type Child } from './processes.js';
import { createRunDir, linkLatest, writeAtomic, writeReport } from './report-files.js';
import { healthyNow, stopServer, type ManagedServer } from './server.js';
import { SEED_ORDER } from './scenarios.js';
import { bringUp, healthProbe, prepareTarget } from './target.js';
import type { ResolvedTool } from './tools.js';

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

const K6_EXIT_MEANING: Record<number, string> = {
  97: 'cloud test run failed',
  98: 'cloud test run aborted',
  99: 'thresholds crossed',
  100: 'generic error',
  103: 'invalid k6 invocation',
  104: 'invalid configuration (options)',
  105: 'aborted by a signal',
  107: 'exception in the script',
  108: 'aborted by the script (test.abort)',
  110: 'thresholds crossed with abortOnFail',
};

async function toolVersion(): Promise<string> {
  const pkg = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

function machineNote(manageServer: boolean, loopback: boolean): { cpus: number; note: string } {
  const cpus = os.availableParallelism();
  const note =
    manageServer || loopback
      ? `k6 and the server share this machine's ${cpus} CPU core(s): load generation takes CPU from the server, so latency and throughput are lower bounds of what the server does alone.`
      : `k6 ran on this machine (${cpus} CPU core(s)); the server is elsewhere.`;
  return { cpus, note };
}


/** Run folder label for several scenarios: 'seed' for the seed's seven, else 'all'. */
function argvLabel(scenarios: readonly string[]): string {
  return scenarios.length === SEED_ORDER.length && scenarios.every((s, i) => s === SEED_ORDER[i]) ? 'seed' : 'all';
}

/**
 * reports/<run-id>/dashboard.html: the scenario's own dashboard when there is one, else a small
 * index page linking each scenario's.
 */
async function writeRunDashboard(dir: string, scenarios: readonly ScenarioReport[]): Promise<string | null> {
  const boards = scenarios.filter((s) => typeof s.files.dashboard === 'string');
  if (boards.length === 0) return null;
  const target = path.join(dir, 'dashboard.html');
  if (boards.length === 1) {
    await copyFile(path.join(dir, boards[0]!.files.dashboard!), target);
  } else {
    const items = boards
      .map((s) => {
        const label = `${s.name}${s.repeat === undefined ? '' : ` (run ${s.repeat})`}`;
        return `<li><a href="${encodeURI(s.files.dashboard!)}">${escapeHtml(label)}</a> — ${escapeHtml(s.description)}</li>`;
      })
      .join('\n');
    await writeAtomic(target, `<!doctype html><html><head><meta charset="utf-8"><title>k6 dashboards</title></head><body><h1>k6 dashboards of this run</h1><ul>\n${items}\n</ul></body></html>\n`);
  }
  return 'dashboard.html';
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}


async function runScenario(
  name: string,
  script: string,
  dir: string,
  config: RunConfig,
  k6: ResolvedTool,
  control: RunControl,
  repeat: number,
  monitor: ServerMonitor,
): Promise<ScenarioReport> {
  const outDir = path.join(dir, 'k6', config.runs > 1 ? `${name}-${repeat}` : name);
  await mkdir(outDir, { recursive: true });
  const dashboardFile = config.dashboard ? path.join(outDir, 'dashboard.html') : null;
  const files: ScenarioReport['files'] = {
    summary: path.relative(dir, path.join(outDir, 'summary.json')),
    plan: path.relative(dir, path.join(outDir, 'plan.json')),
    dashboard: dashboardFile === null ? null : path.relative(dir, dashboardFile),
  };
  const which = config.runs > 1 ? ` (run ${repeat} of ${config.runs})` : '';
  const apiEnv: Record<string, string> = {
    ...(config.api === 'openai' ? { API: 'openai', MODEL: config.model } : {}),
    ...(config.promptsFile === null ? {} : { PROMPTS_FILE: config.promptsFile }),
  };
  const warmNotes: string[] = [];
  if (config.warmupRequests > 0) {
    // Same bundle, same server, a short closed run whose figures nobody reads: caches, JIT and
    // connection pools are warm when the measured run starts.
    const warmDir = `${outDir}-warmup`;
    await mkdir(warmDir, { recursive: true });
    log.info(`warming up ${name} with ${config.warmupRequests} request(s) (not measured)`);
    const warm = await runK6({ k6: k6.path, script, outDir: warmDir, baseUrl: config.baseUrl, gate: config.gate, scale: 1, mix: config.mix, timeoutSec: config.timeoutSec, dashboardFile: null, outputs: [], extraEnv: { ...apiEnv, WARMUP_REQUESTS: String(config.warmupRequests) }, onStart: (c) => (control.k6 = c) });
    control.k6 = null;
    warmNotes.push(
      `Warm-up: ${config.warmupRequests} request(s) sent before the measured run (${path.relative(dir, warmDir)}, k6 exit ${warm.code ?? warm.signal}), left out of every figure here.`,
    );
  }
  log.info(`running scenario ${name}${which} with k6 ${k6.version} against ${config.baseUrl}`);
  const watch = await monitor.beforeScenario();
  const exit = await runK6({
    k6: k6.path,
    script,
    outDir,
    baseUrl: config.baseUrl,
    gate: config.gate,
    scale: config.scale,
    mix: config.mix,
    timeoutSec: config.timeoutSec,
    extraEnv: apiEnv,
    dashboardFile,
    outputs: config.k6Outputs,
    onStart: (child) => {
      control.k6 = child;
    },
  });
  control.k6 = null;
  const watched = await monitor.afterScenario(watch, outDir, dir);

  const code = exit.code;
  const status: ScenarioReport['status'] = control.interrupted
    ? 'interrupted'
    : code === 0 || code === K6_THRESHOLDS_CROSSED
      ? 'completed'
      : 'error';
  const k6Log = path.join(outDir, 'k6.log');
  const noBrowser = status === 'error' && NO_BROWSER.test(await readFile(k6Log, 'utf8').catch(() => ''));
  const error =
    status !== 'error'
      ? null
      : noBrowser
        ? `scenario ${name} reads streams in Chromium through k6's browser module, and k6 found no Chromium: install it (Debian: apt-get install chromium) or point K6_BROWSER_EXECUTABLE_PATH at one; see ${shown(k6Log)}`
        : `k6 exited with ${code === null ? `signal ${exit.signal ?? '?'}` : `code ${code}${K6_EXIT_MEANING[code] ? ` (${K6_EXIT_MEANING[code]})` : ''}`}; see ${shown(k6Log)}`;

  const summaryFile = path.join(outDir, 'summary.json');
  const planFile = path.join(outDir, 'plan.json');
  if (dashboardFile !== null && !existsSync(dashboardFile)) files.dashboard = null;
  if (watched.plots.length > 0) files.plots = watched.plots;
  const withRepeat = (s: ScenarioReport): ScenarioReport => (config.runs > 1 ? { ...s, repeat } : s);
  if (!existsSync(summaryFile) || !existsSync(planFile)) {
    return withRepeat(
      failedScenario(name, name, {
        k6ExitCode: code,
        status: status === 'completed' ? 'error' : status,
        error: error ?? 'k6 wrote no summary',
        files: { summary: null, plan: null, dashboard: files.dashboard },
      }),
    );
  }
  const { summary, plan } = await readScenarioOutput(summaryFile, planFile);
  return withRepeat(convertScenario(plan, summary, { k6ExitCode: code, status, error, files, resources: watched.resources, prometheus: watched.prometheus, notes: warmNotes }));
}

export async function runLoadTest(config: RunConfig, control: RunControl, bundleDir: string): Promise<RunResult> {
  const startedAt = new Date();
  if (config.promptsFile !== null) {
    // Checked here, before anything starts, so a bad line is named at once (k6 checks it again).
    const { readFile: read } = await import('node:fs/promises');
    const text = await read(config.promptsFile, 'utf8').catch(() => {
      throw new ValidationError(shown(config.promptsFile!), [{ path: '', expected: 'a JSONL prompt set', found: 'no such file' }]);
    });
    parsePromptSet(text, shown(config.promptsFile));
  }
  const { loopback, k6, command } = await prepareTarget(config);
  const profile = config.serverProfile === null ? null : await loadServerProfile(config.serverProfile);

  const label = config.scenarios.length === 1 ? config.scenarios[0]! : argvLabel(config.scenarios);
  const { runId, dir } = await createRunDir(config.outDir, label, startedAt);
  const errors: Report['errors'] = [];
  const scenarios: ScenarioReport[] = [];
  // Set by bringUp as soon as the server exists (in a callback, so the type is spelled out).
  let server = null as ManagedServer | null;
  let version: string | null = null;
  let healthyAfter: boolean | null = null;
  let monitor: ServerMonitor | null = null;

  try {
    version = (await bringUp(config, command, dir, () => control.interrupted, (started) => (server = started))).version;
    const target: SampleTarget | null = server !== null ? { kind: 'group', pgid: server.child.pid } : config.serverPid !== null ? { kind: 'pid', pid: config.serverPid } : null;
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
          scenarios.push(await runScenario(name, path.join(bundleDir, `${name}.js`), dir, config, k6, control, repeat, monitor));
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
  report.dashboard = await writeRunDashboard(dir, scenarios);
  const text = renderReport(report);
  await writeReport(dir, report, text);
  await linkLatest(config.outDir, runId);
  return { report, dir, text };
}
