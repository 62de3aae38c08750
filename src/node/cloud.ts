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
import { createWriteStream } from 'node:fs';
import { STATUS_CODES } from 'node:http';
import path from 'node:path';
import { EXIT, K6_THRESHOLDS_CROSSED } from '../core/outcome.js';
import { createArchive } from './archive.js';
import { CloudError } from './errors/CloudError.js';
import { RemoteTargetError } from './errors/RemoteTargetError.js';
import { failWith, onInterrupt } from './exit.js';
import { log } from './log.js';
import { shown } from './paths.js';
import { shellJoin, signalGroup, spawnGroup, stopChild, type Child, type ExitInfo } from './processes.js';
import { createRedactor } from './redact.js';
import { childEnv, CLOUD_USAGE, isLoopback, parseCloudConfig, readCloudEnv, type CloudConfig, type CloudEnv } from './config.js';
import { createRunDir, writeAtomic } from './report-files.js';
import { listScenarios } from './scenarios.js';
import { resolveK6 } from './tools.js';

/** What k6 reported when a `k6 cloud` command failed, read from its (already redacted) output. */
export interface CloudFailure {
  httpStatus: number | null;
  /** API path, when k6 named the URL. */
  endpoint: string | null;
  /** k6's error message(s). */
  message: string | null;
  unreachable: boolean;
  /** The cloud ran the test and reports it failed (not a threshold). */
  testFailed: boolean;
}

/** k6 logs errors as logfmt: level=error msg="...", the message quoted like a Go string. */
function errorMessages(output: string): string[] {
  const out: string[] = [];
  for (const m of output.matchAll(/level=error msg="((?:[^"\\]|\\.)*)"/g)) {
    try {
      out.push(JSON.parse(`"${m[1]!}"`) as string);
    } catch {
      out.push(m[1]!);
    }
  }
  return out;
}

/**
 * Read the failure out of k6's output. The forms come from k6 v1.8.1's cloudapi: a JSON error body
 * gives "(401/E2) message" or "(500) message"; another body gives "unexpected HTTP error from <url>:
 * 500 Internal Server Error", or for 401/403 "failed to authenticate with k6 Cloud" / "not allowed
 * to upload result to k6 Cloud".
 */
export function classifyCloudFailure(output: string): CloudFailure {
  const messages = errorMessages(output);
  const text = messages.length > 0 ? messages.join('\n') : output;
  let httpStatus: number | null = null;
  let endpoint: string | null = null;
  const unexpected = /unexpected HTTP error from (\S+): (\d{3})/.exec(text);
  const coded = /\((\d{3})(?:\/E\d+)?\)/.exec(text);
  if (unexpected) {
    httpStatus = Number(unexpected[2]);
    try {
      endpoint = new URL(unexpected[1]!).pathname;
    } catch {
      endpoint = null;
    }
  } else if (coded) {
    httpStatus = Number(coded[1]);
  } else if (/failed to authenticate with k6 Cloud|must first authenticate/.test(text)) {
    httpStatus = 401;
  } else if (/not allowed to upload result to k6 Cloud/.test(text)) {
    httpStatus = 403;
  }
  return {
    httpStatus,
    endpoint,
    message: messages.length > 0 ? messages.join(' | ') : null,
    unreachable: httpStatus === null && /connection refused|no such host|dial tcp|i\/o timeout|deadline exceeded|Client\.Timeout|TLS handshake|network is unreachable/.test(text),
    testFailed: /The test has failed/.test(text),
  };
}

function describeSetting(name: string, value: number | string | null, unset: string): string {
  return value === null ? `${name} (not set: ${unset})` : `${name} (${value})`;
}

/** What a person should check for a given failure: the settings involved, never their secret. */
export function hintFor(f: CloudFailure, env: CloudEnv, logFile: string | null): string {
  const stack = describeSetting('K6_CLOUD_STACK_ID', env.stackId, 'set it to your Grafana Cloud stack id');
  const project = describeSetting('K6_CLOUD_PROJECT_ID', env.projectId, "the stack's default project is used");
  const host = describeSetting('K6_CLOUD_HOST', env.host, "k6's default, https://ingest.k6.io");
  const s = f.httpStatus;
  if (s === 401) return `the cloud did not accept the token: check that K6_CLOUD_TOKEN is a current Grafana Cloud k6 API token (not revoked, not expired) of the stack in ${stack}, and that ${host} is that stack's API`;
  if (s === 403) return `the token is valid but may not do this: check that it has access to ${project} and that the stack's plan allows it (${stack})`;
  if (s === 404) return `nothing answered at that path: check ${host} (the API base, without /v1) and that ${project} exists`;
  if (s === 429) return 'the cloud API is rate-limiting this token: wait and try again';
  if (s !== null && s >= 500) return `the cloud API failed on its side (k6 already retried): try again later, check Grafana Cloud's status page and ${host}`;
  if (s !== null) return `the cloud refused the test's options or archive (HTTP ${s}): read k6's message above${logFile === null ? '' : ` and ${logFile}`}`;
  if (f.unreachable) return `the cloud API could not be reached: check ${host}, the network and any proxy (HTTPS_PROXY)`;
  if (f.testFailed) return "the test was started but the cloud reports it failed (aborted by the system, a limit or a script error): open the run's page in Grafana Cloud k6";
  return `read k6's output${logFile === null ? '' : ` in ${logFile}`}`;
}

function problemOf(f: CloudFailure, exit: ExitInfo): string {
  if (f.httpStatus !== null) {
    return `the cloud API answered HTTP ${f.httpStatus} (${STATUS_CODES[f.httpStatus] ?? 'unknown status'})${f.endpoint === null ? '' : ` to ${f.endpoint}`}`;
  }
  if (f.unreachable) return 'the cloud API could not be reached';
  if (f.testFailed) return 'the cloud test run failed';
  return exit.code !== null ? `k6 exited with code ${exit.code}` : `k6 was stopped by ${exit.signal ?? 'a signal'}`;
}

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
    if (local) log.warn(`the uploaded test targets ${config.baseUrl}: when it runs in the cloud, the load generators cannot reach ${config.baseHost} on this machine (a loopback address); pass --base-url with an address they can reach`);
    return;
  }
  if (!local && !config.allowRemote) throw new RemoteTargetError(config.baseHost);
  if (local && !config.localExecution) {
    log.warn(`a cloud run's load generators cannot reach ${config.baseUrl} (a loopback address of this machine): every request will fail; use --local-execution to run here and stream to the cloud, or --base-url with a reachable address and --allow-remote`);
  }
}

function k6CloudArgs(config: CloudConfig, archive: string): string[] {
  return [
    'cloud',
    config.command,
    // Local execution is a `k6 run` underneath: no usage report, and no REST API on the shared port 6565.
    ...(config.localExecution ? ['--local-execution', '--no-usage-report', '--address', '127.0.0.1:0'] : []),
    '--include-system-env-vars=false',
    '-e',
    `BASE_URL=${config.baseUrl}`,
    archive,
  ];
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
  const logFile = path.join(o.dir, 'k6.log');
  const logStream = createWriteStream(logFile);
  const child = spawnGroup('k6', shellJoin(o.k6, o.args), { env: o.env, cwd: o.dir });
  o.control.k6 = child;
  const redactors = { stdout: createRedactor(o.secrets), stderr: createRedactor(o.secrets) };
  // Kept per stream: the redactors hold text back, so the two streams interleave mid-line in k6.log.
  const text = { stdout: '', stderr: '' };
  const emit = (chunk: string, stream: 'stdout' | 'stderr'): void => {
    if (chunk === '') return;
    text[stream] += chunk;
    logStream.write(chunk);
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
    await new Promise<void>((r) => logStream.end(r));
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
      process.stdout.write(`${CLOUD_USAGE}\n\nscenarios: ${available.join(', ')}\n`);
      return EXIT.passed;
    }
    // Before anything is built: a missing or malformed token is exit 2 right away.
    const cloudEnv = readCloudEnv();
    checkTarget(config);

    const { buildAll } = await import('../../build/index.js');
    const { bundleDir } = await buildAll();
    const k6 = await resolveK6({ flagPath: config.k6Path, cacheDir: config.cacheDir });
    const { dir } = await createRunDir(config.outDir, config.scenario);
    log.info(`run folder: ${shown(dir)}`);
    const archive = await createArchive({ k6: k6.path, script: path.join(bundleDir, `${config.scenario}.js`), dir, baseUrl: config.baseUrl });
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
    await writeAtomic(path.join(dir, 'cloud.json'), `${JSON.stringify(record, null, 2)}\n`);
    if (error !== null) throw error;

    const where = referenceId === null ? '' : ` (reference ${referenceId}${url === null ? '' : `, ${url}`})`;
    if (exitCode === EXIT.passed) log.info(config.command === 'upload' ? `uploaded '${name}'${where}` : `run '${name}' passed${where}`);
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
