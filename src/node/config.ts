/**
 * The only reader of the command line and of process.env on the Node side: the local runner
 * (npm run k6:<scenario>, load-test), k6 cloud (npm run k6:cloud) and k6-operator manifests
 * (npm run k6:operator). Each flag and variable has a typed parser whose error names it, what was
 * expected and what arrived; errors surface before anything starts (exit 2). The k6 cloud token is
 * held in a Secret, which prints as [redacted] everywhere.
 */
import os from 'node:os';
import path from 'node:path';
import { describeValue } from '../core/describe.js';
import { ValidationError } from '../core/errors/ValidationError.js';
import { parseMix, type MixEntry } from '../core/mix.js';
import { SEED_ORDER } from './scenarios.js';
import type { EndpointName, Gate } from '../core/model.js';

export interface RunConfig {
  /** realizar (native API) or openai (the OpenAI-compatible /v1 API). */
  api: 'realizar' | 'openai';
  /** The model named in OpenAI-compatible requests. */
  model: string;
  /** A JSONL prompt set (absolute path), checked before anything runs; null: the seed's prompts. */
  promptsFile: string | null;
  /** Requests of a warm-up run before each scenario, whose figures are discarded (0: none). */
  warmupRequests: number;
  /** OPENAI_API_KEY: a bearer token for OpenAI-compatible servers (k6 reads it from its environment). */
  apiKey: Secret | null;
  /** Scenario names to run, in order ('seed' and 'all' expanded). */
  scenarios: string[];
  /** Start (and stop) the server; false with --no-server. */
  manageServer: boolean;
  host: string;
  port: number;
  baseUrl: string;
  /** Custom server command ({host} and {port} are replaced), or null for Realizar. */
  serverCmd: string | null;
  k6Path: string | null;
  outDir: string;
  /** Another folder of thresholds files (same names as thresholds/), or null for thresholds/. */
  thresholdsDir: string | null;
  gate: Gate;
  mix: MixEntry[] | null;
  scale: number;
  /** Per-request timeout replacing each scenario's, or null. */
  timeoutSec: number | null;
  healthTimeoutSec: number;
  allowRemote: boolean;
  /** Export k6's web dashboard report (dashboard.html); off with --no-dashboard. */
  dashboard: boolean;
  /** Run every scenario this many times, interleaved (run 1 of each, then run 2...). */
  runs: number;
  /** Extra k6 outputs (`k6 run --out`), e.g. experimental-prometheus-rw. */
  k6Outputs: string[];
  /** With --no-server: the server's process, so its memory and CPU can be watched. */
  serverPid: number | null;
  /** profiles/<name>.json or a file: what the server's /metrics counters count; null: no scrape. */
  serverProfile: string | null;
  cacheDir: string;
  help: boolean;
}

export const USAGE = `usage: npm run k6:<scenario> -- [options]      (or: npm run load-test -- [options])

options:
  --no-server            do not start a server; test the one already at --base-url / --port
  --port N               port of the server (default 8080)
  --base-url URL         server to test (default http://127.0.0.1:<port>)
  --server-cmd "CMD"     start this instead of Realizar; {host} and {port} are replaced
  --k6 PATH              k6 binary to use (default: k6 on PATH if v1+, else the cached build)
  --out-dir DIR          where run folders go (default reports)
  --thresholds-dir DIR   take the thresholds files from DIR instead of thresholds/
  --gate TIER            which thresholds fail the run: acceptable (default) or target
  --mix SPEC             endpoints of the mix scenarios, e.g. health or health=2,generate=1
  --scale X              0 < X <= 1: run X times the requests (quick checks)
  --timeout SEC          per-request timeout for every scenario (default: the seed's 30 s or 60 s)
  --health-timeout SEC   how long the server may take to answer /health (default 120)
  --allow-remote         allow a target that is not on this machine
  --runs N               run every scenario N times, interleaved (compare medians with npm run compare)
  --k6-out URI           also send k6's metrics to this output (k6 run --out), repeatable,
                         e.g. experimental-prometheus-rw
  --no-dashboard         do not export k6's web dashboard report (dashboard.html)
  --server-pid PID       with --no-server: watch this process's memory and CPU during the load
  --server-profile NAME  server profile (profiles/NAME.json or a file) for the /metrics cross-check;
                         default realizar ('none' with --api openai), 'none' to skip the scrape
  --api API              realizar (native, default) or openai: the OpenAI-compatible /v1 API of
                         vLLM, llama.cpp's server, Ollama or Realizar (OPENAI_API_KEY: bearer token)
  --model NAME           the model OpenAI-compatible requests name (default 'default')
  --prompts FILE         a JSONL prompt set ({"prompt": "..."} per line; npm run prompts makes one)
  --warmup N             send N requests before each scenario and leave them out of every figure
  --help                 this text

environment: REALIZAR_K6_OPTIONS="--scale 0.5 --gate target" adds options (CI variables);
             REALIZAR_K6_CACHE sets the tool cache (default ~/.cache/realizar-k6)

exit codes: 0 all gates passed · 1 a threshold was crossed · 2 setup or infrastructure failure · 130 interrupted`;

const LOOPBACK_DEFAULT_HOST = '127.0.0.1';

function invalid(flag: string, expected: string, found: unknown): never {
  throw new ValidationError(flag, [{ path: '', expected, found: describeValue(found) }]);
}

function parsePort(flag: string, text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isInteger(n) || n < 1 || n > 65535) invalid(flag, 'a port number from 1 to 65535', text);
  return n;
}

function parseServerPid(text: string, manageServer: boolean): number {
  if (manageServer) invalid('--server-pid', '--no-server beside it (a server this run starts is watched anyway)', text);
  return parseCount('--server-pid', text, 4194304);
}

function parseCount(flag: string, text: string, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > max) invalid(flag, `a whole number from 1 to ${max}`, text);
  return n;
}

function parsePositive(flag: string, text: string, max = Infinity): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0 || n > max) {
    invalid(flag, max === Infinity ? 'a number greater than 0' : `a number with 0 < n <= ${max}`, text);
  }
  return n;
}

function parseUrl(flag: string, text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return invalid(flag, 'an absolute http:// or https:// URL', text);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') invalid(flag, 'an http:// or https:// URL', text);
  return url;
}

export function cacheDirFrom(env: NodeJS.ProcessEnv): string {
  if (env['REALIZAR_K6_CACHE']) return path.resolve(env['REALIZAR_K6_CACHE']);
  const base = env['XDG_CACHE_HOME'] ? env['XDG_CACHE_HOME'] : path.join(env['HOME'] ?? os.homedir(), '.cache');
  return path.join(base, 'realizar-k6');
}

const FLAGS_WITH_VALUE = new Set(['--port', '--base-url', '--server-cmd', '--k6', '--out-dir', '--thresholds-dir', '--gate', '--mix', '--scale', '--timeout', '--health-timeout', '--runs', '--server-pid', '--server-profile', '--api', '--model', '--prompts', '--warmup']);
const BOOLEAN_FLAGS = new Set(['--no-server', '--allow-remote', '--no-dashboard', '--help']);
/** Flags that may be given more than once. */
const REPEATABLE = new Set(['--k6-out']);

/** Split argv into positionals, flags with a value and switches; unknown flags are errors. */
function tokenize(
  argv: readonly string[],
  withValue: ReadonlySet<string>,
  switches: ReadonlySet<string>,
  repeatable: ReadonlySet<string> = new Set(),
): { positionals: string[]; values: Map<string, string>; bools: Set<string>; repeated: Map<string, string[]> } {
  const values = new Map<string, string>();
  const repeated = new Map<string, string[]>();
  const bools = new Set<string>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg : arg.slice(0, eq);
    if (switches.has(name)) {
      if (eq !== -1) invalid(name, 'no value (it is a switch)', arg.slice(eq + 1));
      bools.add(name);
    } else if (withValue.has(name) || repeatable.has(name)) {
      const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
      if (value === undefined) invalid(name, 'a value after the flag', undefined);
      if (repeatable.has(name)) {
        repeated.set(name, [...(repeated.get(name) ?? []), value]);
        continue;
      }
      if (values.has(name)) invalid(name, 'the flag once', 'it twice');
      values.set(name, value);
    } else {
      invalid(arg, `a known option (${[...switches, ...withValue, ...repeatable].sort().join(', ')})`, arg);
    }
  }
  return { positionals, values, bools, repeated };
}

/**
 * @param argv arguments after the script (first: a scenario name, 'seed' or 'all')
 * @param available scenario names found in src/k6/scenarios, in run order
 */
export function parseRunConfig(argv: readonly string[], available: readonly string[], env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): RunConfig {
  // REALIZAR_K6_OPTIONS adds options without touching the command (a CI variable, say); options on
  // the command line come after it, so a flag given in both places is an error, never a silent pick.
  const fromEnv = (env['REALIZAR_K6_OPTIONS'] ?? '').split(/\s+/).filter((a) => a !== '');
  if (fromEnv.some((a) => !a.startsWith('--') && !fromEnv[fromEnv.indexOf(a) - 1]?.startsWith('--'))) {
    invalid('REALIZAR_K6_OPTIONS', 'options only (--flag or --flag value), no scenario name', env['REALIZAR_K6_OPTIONS']);
  }
  argv = [...argv, ...fromEnv];
  const { positionals, values, bools, repeated } = tokenize(argv, FLAGS_WITH_VALUE, BOOLEAN_FLAGS, REPEATABLE);

  const help = bools.has('--help');
  const which = positionals[0];
  if (positionals.length > 1) invalid('scenario', 'one scenario name', positionals.join(' '));
  let scenarios: string[] = [];
  if (!help) {
    if (which === undefined) invalid('scenario', `one of ${[...available, 'seed', 'all'].join(', ')}`, undefined);
    if (which === 'all') scenarios = [...available];
    else if (which === 'seed') scenarios = available.filter((s) => SEED_ORDER.includes(s));
    else if (available.includes(which)) scenarios = [which];
    else invalid('scenario', `one of ${[...available, 'seed', 'all'].join(', ')}`, which);
  }

  const manageServer = !bools.has('--no-server');
  const portText = values.get('--port');
  const urlText = values.get('--base-url');
  let port = portText === undefined ? 8080 : parsePort('--port', portText);
  let host = LOOPBACK_DEFAULT_HOST;
  let baseUrl = `http://${host}:${port}`;
  if (urlText !== undefined) {
    const url = parseUrl('--base-url', urlText);
    const urlPort = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
    if (portText !== undefined && urlPort !== port) invalid('--port', `the port of --base-url (${urlPort}) or no --port`, portText);
    port = urlPort;
    host = url.hostname.replace(/^\[|\]$/g, '');
    baseUrl = urlText.replace(/\/+$/, '');
  }

  const apiText = values.get('--api') ?? 'realizar';
  if (apiText !== 'realizar' && apiText !== 'openai') invalid('--api', "'realizar' or 'openai'", apiText);
  const api: RunConfig['api'] = apiText;
  const gateText = values.get('--gate') ?? 'acceptable';
  if (gateText !== 'acceptable' && gateText !== 'target') invalid('--gate', "'acceptable' or 'target'", gateText);
  const mixText = values.get('--mix');
  const scaleText = values.get('--scale');
  const healthText = values.get('--health-timeout');
  const serverCmd = values.get('--server-cmd') ?? null;
  if (serverCmd !== null && !manageServer) invalid('--server-cmd', 'no --no-server beside it (one starts a server, the other says not to)', serverCmd);
  if (serverCmd !== null && serverCmd.trim() === '') invalid('--server-cmd', 'a command', serverCmd);

  return {
    scenarios,
    manageServer,
    host,
    port,
    baseUrl,
    serverCmd,
    k6Path: values.has('--k6') ? path.resolve(cwd, values.get('--k6')!) : null,
    outDir: path.resolve(cwd, values.get('--out-dir') ?? 'reports'),
    thresholdsDir: values.has('--thresholds-dir') ? path.resolve(cwd, values.get('--thresholds-dir')!) : null,
    gate: gateText,
    mix: mixText === undefined ? null : parseMix(mixText, '--mix'),
    scale: scaleText === undefined ? 1 : parsePositive('--scale', scaleText, 1),
    timeoutSec: values.has('--timeout') ? parsePositive('--timeout', values.get('--timeout')!) : null,
    healthTimeoutSec: healthText === undefined ? 120 : parsePositive('--health-timeout', healthText),
    allowRemote: bools.has('--allow-remote'),
    dashboard: !bools.has('--no-dashboard'),
    serverPid: values.has('--server-pid') ? parseServerPid(values.get('--server-pid')!, manageServer) : null,
    // Realizar's profile counts its native endpoints; with the OpenAI API there is nothing to match.
    serverProfile: values.get('--server-profile') === 'none' ? null : (values.get('--server-profile') ?? (api === 'openai' ? null : 'realizar')),
    api,
    model: values.get('--model') ?? 'default',
    promptsFile: values.has('--prompts') ? path.resolve(cwd, values.get('--prompts')!) : null,
    warmupRequests: values.has('--warmup') ? parseCount('--warmup', values.get('--warmup')!, 1_000_000) : 0,
    apiKey: env['OPENAI_API_KEY'] ? new Secret(env['OPENAI_API_KEY']) : null,
    runs: values.has('--runs') ? parseCount('--runs', values.get('--runs')!, 100) : 1,
    k6Outputs: (repeated.get('--k6-out') ?? []).map((o) => {
      if (o.trim() === '' || /\s/.test(o)) invalid('--k6-out', 'a k6 output such as experimental-prometheus-rw or json=file.json (no spaces)', o);
      return o;
    }),
    cacheDir: cacheDirFrom(env),
    help,
  };
}

/** True for 127.0.0.0/8, ::1 and localhost: the only targets loaded without --allow-remote. */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/** Environment the children (server, k6, builds) inherit. */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, ...extra };
}

/** Whether stderr is a terminal (progress dots vs. lines). */
export const interactive = Boolean(process.stderr.isTTY);

/** A value that must never be printed, logged or written: only reveal() gives it out. */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return '[redacted]';
  }
  toJSON(): string {
    return '[redacted]';
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return 'Secret([redacted])';
  }
}

/** http(s) URL without trailing slashes; the host is returned for the loopback checks. */
function parseBaseUrl(flag: string, text: string | undefined): { baseUrl: string; host: string } {
  const value = text ?? 'http://127.0.0.1:8080';
  const url = parseUrl(flag, value);
  if (/[\s'"]/.test(value)) invalid(flag, 'a URL without spaces or quotes', value);
  return { baseUrl: value.replace(/\/+$/, ''), host: url.hostname.replace(/^\[|\]$/g, '') };
}

function parseScenario(positional: string | undefined, available: readonly string[]): string {
  if (positional === undefined || !available.includes(positional)) invalid('scenario', `one of ${available.join(', ')}`, positional);
  return positional;
}

// ---------------------------------------------------------------------------------------------
// npm run k6:cloud -- <upload|run> <scenario> [options]

export type CloudCommand = 'upload' | 'run';

export interface CloudConfig {
  command: CloudCommand;
  scenario: string;
  baseUrl: string;
  /** Host of baseUrl, for the loopback checks. */
  baseHost: string;
  /** Where run folders go (default reports/cloud). */
  outDir: string;
  k6Path: string | null;
  cacheDir: string;
  /** Test name in the cloud; null: K6_CLOUD_NAME, else realizar-k6-<scenario>. */
  name: string | null;
  /** run only: run here, stream results to the cloud. */
  localExecution: boolean;
  allowRemote: boolean;
  help: boolean;
}

export const CLOUD_USAGE = `usage: npm run k6:cloud -- <upload|run> <scenario> [options]

  upload <scenario>      bundle the scenario, make a k6 archive and upload it to k6 cloud (no run)
  run <scenario>         run it in k6 cloud (load from the cloud's load generators)

options:
  --local-execution      run: run k6 here and stream the results to k6 cloud
  --base-url URL         server the test loads (default http://127.0.0.1:8080, passed as -e BASE_URL)
  --name NAME            test name in k6 cloud (default $K6_CLOUD_NAME, else realizar-k6-<scenario>)
  --out-dir DIR          where run folders go (default reports/cloud)
  --k6 PATH              k6 binary to use (default: k6 on PATH if v1+, else the cached build)
  --allow-remote         run: allow loading a target that is not this machine
  --help                 this text

environment:
  K6_CLOUD_TOKEN         Grafana Cloud k6 API token (required; never printed nor written anywhere)
  K6_CLOUD_PROJECT_ID    project to put the test in (optional; default: the stack's default project)
  K6_CLOUD_STACK_ID      Grafana Cloud stack (optional, recommended)
  K6_CLOUD_HOST          cloud API (optional; default k6's own, https://ingest.k6.io)

exit codes: 0 uploaded / run passed · 1 run: a threshold was crossed · 2 any failure · 130 interrupted`;

export function parseCloudConfig(argv: readonly string[], available: readonly string[], env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): CloudConfig {
  const { positionals, values, bools } = tokenize(
    argv,
    new Set(['--base-url', '--name', '--out-dir', '--k6']),
    new Set(['--local-execution', '--allow-remote', '--help']),
  );
  const help = bools.has('--help');
  const [commandText, scenarioText, ...rest] = positionals;
  let command: CloudCommand = 'upload';
  let scenario = '';
  if (!help) {
    if (commandText !== 'upload' && commandText !== 'run') invalid('command', "'upload' or 'run' (npm run k6:cloud -- <upload|run> <scenario>)", commandText);
    command = commandText;
    scenario = parseScenario(scenarioText, available);
    if (rest.length > 0) invalid('arguments', 'one command and one scenario', positionals.join(' '));
  }
  const localExecution = bools.has('--local-execution');
  if (localExecution && command !== 'run') invalid('--local-execution', "the 'run' command (an upload runs nothing)", command);
  const name = values.get('--name') ?? null;
  if (name !== null && name.trim() === '') invalid('--name', 'a test name', name);
  const { baseUrl, host } = parseBaseUrl('--base-url', values.get('--base-url'));
  return {
    command,
    scenario,
    baseUrl,
    baseHost: host,
    outDir: path.resolve(cwd, values.get('--out-dir') ?? path.join('reports', 'cloud')),
    k6Path: values.has('--k6') ? path.resolve(cwd, values.get('--k6')!) : null,
    cacheDir: cacheDirFrom(env),
    name,
    localExecution,
    allowRemote: bools.has('--allow-remote'),
    help,
  };
}

/** The K6_CLOUD_* settings, parsed. k6 reads the same variables; we check them first. */
export interface CloudEnv {
  token: Secret;
  projectId: number | null;
  stackId: number | null;
  /** Cloud API base (k6 appends /v1), or null for k6's default. */
  host: string | null;
  /** K6_CLOUD_NAME, or null. */
  name: string | null;
}

function readId(env: NodeJS.ProcessEnv, key: string): number | null {
  const text = env[key];
  if (text === undefined || text === '') return null;
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1) invalid(`environment variable ${key}`, 'a positive whole number (an id from Grafana Cloud k6)', text);
  return n;
}

function readToken(env: NodeJS.ProcessEnv): Secret {
  const key = 'K6_CLOUD_TOKEN';
  const text = env[key];
  const expected =
    'a Grafana Cloud k6 API token (create one in Grafana Cloud: Testing & synthetics > Performance > Settings > Access, then export K6_CLOUD_TOKEN=...)';
  // The found part describes the value without showing it: a token is a secret even when malformed.
  if (text === undefined) throw new ValidationError(`environment variable ${key}`, [{ path: '', expected, found: 'nothing (the variable is not set)' }]);
  if (text.trim() === '') throw new ValidationError(`environment variable ${key}`, [{ path: '', expected, found: 'an empty value' }]);
  if (/[\s\u0000-\u001f\u007f]/.test(text)) {
    throw new ValidationError(`environment variable ${key}`, [
      { path: '', expected: 'a token without spaces, line breaks or control characters (it goes into an HTTP header)', found: `a value of ${text.length} characters that has some (not shown: it is a secret)` },
    ]);
  }
  return new Secret(text);
}

function readHost(env: NodeJS.ProcessEnv): string | null {
  const key = 'K6_CLOUD_HOST';
  const text = env[key];
  if (text === undefined || text === '') return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return invalid(`environment variable ${key}`, 'an absolute http:// or https:// URL of the k6 cloud API', text);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') invalid(`environment variable ${key}`, 'an http:// or https:// URL', text);
  return text.replace(/\/+$/, '');
}

export function readCloudEnv(env: NodeJS.ProcessEnv = process.env): CloudEnv {
  const name = env['K6_CLOUD_NAME'];
  return {
    token: readToken(env),
    projectId: readId(env, 'K6_CLOUD_PROJECT_ID'),
    stackId: readId(env, 'K6_CLOUD_STACK_ID'),
    host: readHost(env),
    name: name === undefined || name.trim() === '' ? null : name,
  };
}

/**
 * Environment for `k6 archive` and any k6 that must not talk to the cloud: every K6_CLOUD_*
 * variable removed, so nothing cloud-related — the token above all — can reach the archive.
 */
export function envWithoutCloud(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith('K6_CLOUD_')));
}

// ---------------------------------------------------------------------------------------------
// npm run k6:operator -- <scenario> --parallelism N [options]

export interface OperatorConfig {
  scenario: string;
  parallelism: number;
  /** TestRun name; null: realizar-k6-<scenario>. */
  name: string | null;
  namespace: string | null;
  baseUrl: string;
  baseHost: string;
  /** Where run folders go (default reports/operator). */
  outDir: string;
  k6Path: string | null;
  cacheDir: string;
  /** null: grafana/k6 at the version of the k6 that made the archive. */
  runnerImage: string | null;
  separate: boolean;
  cleanup: boolean;
  help: boolean;
}

export const OPERATOR_USAGE = `usage: npm run k6:operator -- <scenario> --parallelism N [options]

Writes a ConfigMap (the scenario's k6 archive) and a k6-operator TestRun running it on N pods.

options:
  --parallelism N        number of k6 runner pods; each runs 1/N of the load (required)
  --base-url URL         server the runners load, as seen from the cluster (default http://127.0.0.1:8080)
  --name NAME            TestRun name (default realizar-k6-<scenario>); the ConfigMap is NAME-archive
  --namespace NS         namespace of both objects (default: kubectl's current one)
  --runner-image IMAGE   k6 image of the runners (default grafana/k6 at the archive's k6 version)
  --separate             at most one runner per node
  --cleanup              delete the runner pods when the run ends (their logs go with them)
  --out-dir DIR          where run folders go (default reports/operator)
  --k6 PATH              k6 binary that makes the archive (default: k6 on PATH if v1+, else the cached build)
  --help                 this text

exit codes: 0 manifests written · 2 any failure`;

export function parseOperatorConfig(argv: readonly string[], available: readonly string[], env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): OperatorConfig {
  const { positionals, values, bools } = tokenize(
    argv,
    new Set(['--parallelism', '--base-url', '--name', '--namespace', '--runner-image', '--out-dir', '--k6']),
    new Set(['--separate', '--cleanup', '--help']),
  );
  const help = bools.has('--help');
  let scenario = '';
  let parallelism = 1;
  if (!help) {
    scenario = parseScenario(positionals[0], available);
    if (positionals.length > 1) invalid('scenario', 'one scenario name', positionals.join(' '));
    const text = values.get('--parallelism');
    if (text === undefined) invalid('--parallelism', 'the number of k6 runner pods, e.g. --parallelism 4', undefined);
    const n = Number(text);
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1 || n > 2147483647) invalid('--parallelism', 'a whole number from 1 to 2147483647', text);
    parallelism = n;
  }
  const { baseUrl, host } = parseBaseUrl('--base-url', values.get('--base-url'));
  const runnerImage = values.get('--runner-image') ?? null;
  if (runnerImage !== null && !/^\S+$/.test(runnerImage)) invalid('--runner-image', 'a container image reference, e.g. grafana/k6:1.8.1', runnerImage);
  // Kubernetes naming rules are checked with the manifests (src/core/operator.ts), where they live.
  return {
    scenario,
    parallelism,
    name: values.get('--name') ?? null,
    namespace: values.get('--namespace') ?? null,
    baseUrl,
    baseHost: host,
    outDir: path.resolve(cwd, values.get('--out-dir') ?? path.join('reports', 'operator')),
    k6Path: values.has('--k6') ? path.resolve(cwd, values.get('--k6')!) : null,
    cacheDir: cacheDirFrom(env),
    runnerImage,
    separate: bools.has('--separate'),
    cleanup: bools.has('--cleanup'),
    help,
  };
}

// ---------------------------------------------------------------------------------------------
// npm run k6:sweep -- --endpoint NAME --slo 'p95<500' [options]

export interface Slo {
  stat: 'p50' | 'p90' | 'p95' | 'p99';
  boundMs: number;
  text: string;
}

export interface SweepConfig extends TargetConfig {
  endpoint: EndpointName;
  slo: Slo;
  /** Highest error rate, in %, a step may have and still count as meeting the SLO. */
  errorBudgetPct: number;
  startRate: number;
  maxRate: number;
  stepSec: number;
  /** Most requests in flight (k6's maxVUs); a request due with none free is dropped, and fails. */
  clients: number;
  /** Bisection steps between the last good and the first bad rate. */
  refine: number;
  timeoutSec: number | null;
  outDir: string;
  help: boolean;
}

/** What every command that loads a server needs to know about it (src/node/target.ts). */
export type TargetConfig = Pick<RunConfig, 'baseUrl' | 'allowRemote' | 'manageServer' | 'host' | 'port' | 'serverCmd' | 'k6Path' | 'cacheDir' | 'healthTimeoutSec' | 'api' | 'apiKey'>;

export const SWEEP_USAGE = `usage: npm run k6:sweep -- --slo 'p95<500' [options]

Finds the highest arrival rate (open model) at which an endpoint meets a latency SLO within an
error budget: the rate doubles until the SLO or the budget breaks, then bisects between the last
good and the first bad rate.

options:
  --endpoint NAME        health, tokenize, generate (default), batch-tokenize or batch-generate
  --slo 'pNN<MS'         the SLO, e.g. p95<500 (p50, p90, p95 or p99; milliseconds)
  --error-budget PCT     highest error rate a good step may have (default 1; dropped requests count)
  --start-rate R         first rate, requests per second (default 1)
  --max-rate R           stop rising here (default 1024)
  --step-sec S           how long each step loads (default 10)
  --clients N            most requests in flight (default 50)
  --refine K             bisection steps (default 3)
  --timeout SEC          per-request timeout (default 30)
  --no-server, --port N, --base-url URL, --server-cmd "CMD", --k6 PATH, --out-dir DIR,
  --health-timeout SEC, --allow-remote      as for the load tests

exit codes: 0 a rate met the SLO · 1 not even the first rate did · 2 setup or infrastructure failure · 130 interrupted`;

function parseSlo(text: string): Slo {
  const m = /^\s*(p50|p90|p95|p99)\s*<\s*(\d+(?:\.\d+)?)\s*(ms)?\s*$/.exec(text);
  if (m === null) invalid('--slo', "a latency objective like p95<500 (p50, p90, p95 or p99, below that many milliseconds)", text);
  return { stat: m[1] as Slo['stat'], boundMs: Number(m[2]), text: `${m[1]}<${m[2]}ms` };
}

function parseRefine(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) > 10) invalid('--refine', 'a whole number from 0 to 10', text);
  return Number(text);
}

export function parseSweepConfig(argv: readonly string[], env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): SweepConfig {
  const { positionals, values, bools } = tokenize(
    argv,
    new Set(['--endpoint', '--slo', '--error-budget', '--start-rate', '--max-rate', '--step-sec', '--clients', '--refine', '--timeout', '--port', '--base-url', '--server-cmd', '--k6', '--out-dir', '--health-timeout']),
    new Set(['--no-server', '--allow-remote', '--help']),
  );
  if (positionals.length > 0) invalid('arguments', 'options only', positionals.join(' '));
  const help = bools.has('--help');
  // The target options mean what they mean for the load tests: parse them the same way.
  const targetArgs = ['health', ...[...values].filter(([k]) => ['--port', '--base-url', '--server-cmd', '--k6', '--health-timeout'].includes(k)).flatMap(([k, v]) => [k, v]), ...[...bools].filter((b) => b !== '--help')];
  const target = parseRunConfig(targetArgs, ['health'], { ...env, REALIZAR_K6_OPTIONS: '' }, cwd);
  const endpointText = values.get('--endpoint') ?? 'generate';
  const endpoints: EndpointName[] = ['health', 'tokenize', 'generate', 'batch-tokenize', 'batch-generate'];
  if (!(endpoints as string[]).includes(endpointText)) invalid('--endpoint', `one of ${endpoints.join(', ')}`, endpointText);
  const sloText = values.get('--slo');
  if (!help && sloText === undefined) invalid('--slo', "a latency objective like --slo 'p95<500'", undefined);
  const num = (flag: string, fallback: number, max = Infinity): number => (values.has(flag) ? parsePositive(flag, values.get(flag)!, max) : fallback);
  const startRate = num('--start-rate', 1);
  const maxRate = num('--max-rate', 1024);
  if (maxRate < startRate) invalid('--max-rate', `at least --start-rate (${startRate})`, String(maxRate));
  const budgetText = values.get('--error-budget');
  const errorBudgetPct = budgetText === undefined ? 1 : Number(budgetText);
  if (!Number.isFinite(errorBudgetPct) || errorBudgetPct < 0 || errorBudgetPct > 100) invalid('--error-budget', 'a percentage from 0 to 100', budgetText);
  return {
    baseUrl: target.baseUrl,
    allowRemote: target.allowRemote,
    manageServer: target.manageServer,
    host: target.host,
    port: target.port,
    serverCmd: target.serverCmd,
    k6Path: target.k6Path,
    cacheDir: target.cacheDir,
    healthTimeoutSec: target.healthTimeoutSec,
    api: 'realizar',
    apiKey: null,
    endpoint: endpointText as EndpointName,
    slo: sloText === undefined ? { stat: 'p95', boundMs: 0, text: '' } : parseSlo(sloText),
    errorBudgetPct,
    startRate,
    maxRate,
    stepSec: num('--step-sec', 10, 3600),
    clients: values.has('--clients') ? parseCount('--clients', values.get('--clients')!, 10000) : 50,
    refine: values.has('--refine') ? parseRefine(values.get('--refine')!) : 3,
    timeoutSec: values.has('--timeout') ? parsePositive('--timeout', values.get('--timeout')!) : null,
    outDir: path.resolve(cwd, values.get('--out-dir') ?? 'reports'),
    help,
  };
}
