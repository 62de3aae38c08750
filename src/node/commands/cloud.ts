/**
 * npm run k6:cloud -- <upload|run> <scenario>: one scenario to Grafana Cloud k6 with the real
 * `k6 cloud` commands. Bundle, `k6 archive` into a run folder (reports/cloud/<run-id>/archive.tar),
 * then `k6 cloud upload` or `k6 cloud run` on that archive, so what the cloud gets is exactly the
 * file kept here.
 *
 * The token (K6_CLOUD_TOKEN) reaches only `k6 cloud ...`, through its environment — never a command
 * line, a message or a file of ours; the archive is made by a k6 that never sees it, and everything
 * k6 prints is redacted before it is shown or logged. Exit codes: 0 success, 1 a cloud or local run
 * crossed a threshold, 2 any failure (a refused upload names the HTTP status and what to check),
 * 130 interrupted.
 */
import path from 'node:path';
import { K6_FILES, k6CloudArgv } from '../../core/contract.js';
import { EXIT, K6_THRESHOLDS_CROSSED } from '../../core/errors/exit-codes.js';
import { createArchive } from '../k6/archive.js';
import { classifyCloudFailure, hintFor, problemOf } from '../k6/cloud-failure.js';
import { CloudError } from '../errors/CloudError.js';
import { RemoteTargetError } from '../errors/RemoteTargetError.js';
import { failWith, onInterrupt } from './exit.js';
import { endLog, keepFiles, openLog } from '../files/keep-files.js';
import { log } from '../process/log.js';
import { shown } from '../files/paths.js';
import { shellJoin, signalGroup, spawnGroup, stopChild, type Child, type ExitInfo } from '../process/processes.js';
import { createRedactor } from '../process/redact.js';
import { isLoopback } from '../../core/target/loopback.js';
import { CLOUD_USAGE, parseCloudConfig, readCloudEnv, type CloudConfig, type CloudEnv } from '../config/index.js';
import { childEnv } from '../process/child-env.js';
import { createRunDir, writeAtomic } from '../files/report-files.js';
import { bundledScript } from '../own/own-scenario.js';
import { listScenarios } from '../run/scenarios.js';
import { resolveK6 } from '../tools/tools.js';
import { archiveVars, checkArchivePlan } from '../k6/archive-load.js';

/** The run folder's cloud.json: what was sent where, and how it ended. No secret in it. */
interface CloudRecord {
  command: string;
  scenario: string;
  name: string;
  baseUrl: string;
  localExecution: boolean;
  projectId: number | null;
  stackId: number | null;
  host: string | null;
  archive: string;
  archiveBytes: number;
  k6: { path: string; version: string };
  k6ExitCode: number | null;
  referenceId: string | null;
  url: string | null;
  testStatus: string | null;
  exitCode: number;
  error: string | null;
}

interface Control {
  interrupted: boolean;
  k6: Child | null;
}

/** Where a target is, and whether this command may load it. */
function checkTarget(config: CloudConfig): void {
  const local = isLoopback(config.baseHost);
  if (config.command === 'upload') {
    if (local)
      log.warn(
        `the uploaded test targets ${config.baseUrl}: when it runs in the cloud, ` +
          `the load generators cannot reach ${config.baseHost} on this machine (a loopback address); ` +
          'pass --base-url with an address they can reach',
      );
    return;
  }
  if (!local && !config.allowRemote) throw new RemoteTargetError(config.baseHost);
  if (local && !config.localExecution) {
    log.warn(
      `a cloud run's load generators cannot reach ${config.baseUrl} (a loopback address of this machine): ` +
        'every request will fail; use --local-execution to run here and stream to the cloud, ' +
        'or --base-url with a reachable address and --allow-remote',
    );
  }
}

function k6CloudArgs(config: CloudConfig, archive: string): string[] {
  // Local execution is a `k6 run` underneath, with every local k6's flags.
  return k6CloudArgv({
    command: config.command,
    archive,
    vars: { BASE_URL: config.baseUrl },
    localExecution: config.localExecution,
  });
}

function k6CloudEnv(config: CloudConfig, env: CloudEnv, name: string): NodeJS.ProcessEnv {
  const out = childEnv({
    K6_NO_COLOR: 'true',
    // The only child that gets the token: `k6 cloud`, through its environment (a command line is
    // visible to every user of the machine); k6 sends it as `Authorization: Token ...`.
    K6_CLOUD_TOKEN: env.token.reveal(),
    K6_CLOUD_NAME: name,
    // An upload has no logs to tail; without this k6 would open a websocket to the cloud's log service.
    ...(config.command === 'upload' ? { K6_SHOW_CLOUD_LOGS: 'false' } : {}),
  });
  const set = (key: string, value: number | string | null): void => {
    if (value === null) delete out[key];
    else out[key] = String(value);
  };
  set('K6_CLOUD_PROJECT_ID', env.projectId);
  set('K6_CLOUD_STACK_ID', env.stackId);
  set('K6_CLOUD_HOST', env.host);
  return out;
}

async function runK6Cloud(o: {
  k6: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  dir: string;
  secrets: string[];
  control: Control;
}): Promise<{ exit: ExitInfo; stdout: string; stderr: string; logFile: string }> {
  const logFile = path.join(o.dir, K6_FILES.log);
  const logStream = openLog(logFile);
  const child = spawnGroup('k6', shellJoin(o.k6, o.args), { env: o.env, cwd: o.dir });
  o.control.k6 = child;
  const redactors = { stdout: createRedactor(o.secrets), stderr: createRedactor(o.secrets) };
  // Kept per stream: the redactors hold text back, so the two streams interleave mid-line in k6.log.
  const text = { stdout: '', stderr: '' };
  const emit = (chunk: string, stream: 'stdout' | 'stderr'): void => {
    if (chunk === '') return;
    text[stream] += chunk;
    if (!logStream.destroyed) logStream.write(chunk);
    (stream === 'stdout' ? process.stdout : process.stderr).write(chunk);
  };
  child.onOutput((chunk, stream) => emit(redactors[stream].push(chunk), stream));
  let exit: ExitInfo;
  try {
    exit = await child.exited;
  } finally {
    await stopChild(child);
    o.control.k6 = null;
    // What the redactors held back (a possible split secret) is complete now.
    emit(redactors.stdout.end(), 'stdout');
    emit(redactors.stderr.end(), 'stderr');
    await endLog(logStream);
  }
  return { exit, stdout: text.stdout, stderr: text.stderr, logFile };
}

export async function main(argv: readonly string[]): Promise<number> {
  const control: Control = { interrupted: false, k6: null };
  const stopHandling = onInterrupt((signal) => {
    control.interrupted = true;
    // k6 handles SIGINT by asking the cloud to stop the test run, then exits.
    log.warn(`${signal}: stopping k6 (a cloud test run is asked to stop; press Ctrl-C again to kill k6)`);
    if (control.k6 !== null) signalGroup(control.k6.pid, 'SIGINT');
  });

  try {
    const available = await listScenarios();
    const config = parseCloudConfig(argv, available);
    if (config.help) {
      process.stdout.write(
        `${CLOUD_USAGE}\n\nscenarios: ${available.join(', ')}, ` +
          `or a scenario file of your own (./loadtests/my-chat.ts)\n`,
      );
      return EXIT.passed;
    }
    // Before anything is built: a missing or malformed token is exit 2 right away.
    const cloudEnv = readCloudEnv();
    checkTarget(config);
    const plan = await checkArchivePlan(config);

    const script = await bundledScript(config.scenario, config.scenarioFile);
    const k6 = await resolveK6({ flagPath: config.k6Path, cacheDir: config.cacheDir });
    const { dir } = await createRunDir(config.outDir, config.scenario);
    log.info(`run folder: ${shown(dir)}`);
    const archive = await createArchive({
      k6: k6.path,
      script,
      dir,
      baseUrl: config.baseUrl,
      vars: await archiveVars(config, plan, dir),
    });
    log.info(`archive: ${shown(archive.file)} (${archive.bytes} bytes, made without the cloud token)`);

    const name = config.name ?? cloudEnv.name ?? `realizar-k6-${config.scenario}`;
    const operation = `k6 cloud ${config.command}${config.localExecution ? ' --local-execution' : ''}`;
    log.info(`${operation}: ${config.scenario} as '${name}' with ${k6.path} (${k6.version}), target ${config.baseUrl}`);
    const { exit, stdout, stderr, logFile } = await runK6Cloud({
      k6: k6.path,
      args: k6CloudArgs(config, archive.file),
      env: k6CloudEnv(config, cloudEnv, name),
      dir,
      secrets: [cloudEnv.token.reveal()],
      control,
    });

    // `output: https://app.k6.io/runs/<id>` (cloud run, upload) or `output: cloud (https://...)` (local execution).
    const outputLine = /^\s*output:\s*(.+)$/m.exec(stdout)?.[1] ?? '';
    const url = /(https?:\/\/[^\s)]+)/.exec(outputLine)?.[1] ?? null;
    const referenceId = url === null ? null : (/\/runs\/([^/?#\s]+)/.exec(url)?.[1] ?? null);
    const testStatus = /test status:\s*(.+?)\s*$/m.exec(stdout)?.[1] ?? null;
    let exitCode: number;
    let error: CloudError | null = null;
    if (control.interrupted) exitCode = EXIT.interrupted;
    else if (exit.code === 0) exitCode = EXIT.passed;
    else if (exit.code === K6_THRESHOLDS_CROSSED && config.command === 'run') exitCode = EXIT.failed;
    else {
      const failure = classifyCloudFailure(`${stderr}\n${stdout}`);
      error = new CloudError({
        operation,
        problem: problemOf(failure, exit),
        httpStatus: failure.httpStatus,
        endpoint: failure.endpoint,
        k6Message: failure.message,
        k6ExitCode: exit.code,
        hint: hintFor(failure, cloudEnv, shown(logFile)),
        logFile: shown(logFile),
      });
      exitCode = error.exitCode;
    }

    const record: CloudRecord = {
      command: config.command,
      scenario: config.scenario,
      name,
      baseUrl: config.baseUrl,
      localExecution: config.localExecution,
      projectId: cloudEnv.projectId,
      stackId: cloudEnv.stackId,
      host: cloudEnv.host,
      archive: path.basename(archive.file),
      archiveBytes: archive.bytes,
      k6: { path: k6.path, version: k6.version },
      k6ExitCode: exit.code,
      referenceId,
      url,
      testStatus,
      exitCode,
      error: error === null ? null : error.message,
    };
    const recordFile = path.join(dir, 'cloud.json');
    // A full or read-only disk: a ReportWriteError naming the file and the cause, exit 2.
    await keepFiles(
      dir,
      [{ file: recordFile, write: () => writeAtomic(recordFile, `${JSON.stringify(record, null, 2)}\n`) }],
      { shownAbove: false },
    );
    if (error !== null) throw error;

    const where = referenceId === null ? '' : ` (reference ${referenceId}${url === null ? '' : `, ${url}`})`;
    if (exitCode === EXIT.passed)
      log.info(config.command === 'upload' ? `uploaded '${name}'${where}` : `run '${name}' passed${where}`);
    else if (exitCode === EXIT.failed) log.info(`run '${name}' crossed a threshold${where}`);
    else log.info(`interrupted${where}`);
    log.info(`details: ${shown(path.join(dir, 'cloud.json'))}, k6 output: ${shown(logFile)}`);
    return exitCode;
  } catch (err) {
    return failWith(err, control.interrupted);
  } finally {
    stopHandling();
  }
}
