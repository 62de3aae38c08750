/**
 * The only reader of the command line and of process.env on the Node side. Each flag has a typed
 * parser whose error names the flag, what was expected and what arrived; errors surface before
 * anything starts (exit 2).
 */
import os from 'node:os';
import path from 'node:path';
import { describeValue } from '../core/describe.js';
import { ValidationError } from '../core/errors/ValidationError.js';
import { parseMix, type MixEntry } from '../core/mix.js';
import type { Gate } from '../core/model.js';

export interface RunConfig {
  /** Scenario names to run, in order ('all' expanded). */
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

function cacheDirFrom(env: NodeJS.ProcessEnv): string {
  if (env['REALIZAR_K6_CACHE']) return path.resolve(env['REALIZAR_K6_CACHE']);
  const base = env['XDG_CACHE_HOME'] ? env['XDG_CACHE_HOME'] : path.join(env['HOME'] ?? os.homedir(), '.cache');
  return path.join(base, 'realizar-k6');
}

const FLAGS_WITH_VALUE = new Set(['--port', '--base-url', '--server-cmd', '--k6', '--out-dir', '--thresholds-dir', '--gate', '--mix', '--scale', '--timeout', '--health-timeout', '--runs', '--k6-out']);
const BOOLEAN_FLAGS = new Set(['--no-server', '--allow-remote', '--no-dashboard', '--help']);
/** Flags that may be given more than once. */
const REPEATABLE = new Set(['--k6-out']);

/**
 * @param argv arguments after the script (first: a scenario name or 'all')
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
    if (BOOLEAN_FLAGS.has(name)) {
      if (eq !== -1) invalid(name, 'no value (it is a switch)', arg.slice(eq + 1));
      bools.add(name);
    } else if (FLAGS_WITH_VALUE.has(name)) {
      const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
      if (value === undefined) invalid(name, 'a value after the flag', undefined);
      if (REPEATABLE.has(name)) {
        repeated.set(name, [...(repeated.get(name) ?? []), value]);
        continue;
      }
      if (values.has(name)) invalid(name, 'the flag once', 'it twice');
      values.set(name, value);
    } else {
      invalid(arg, `a known option (${[...BOOLEAN_FLAGS, ...FLAGS_WITH_VALUE].sort().join(', ')})`, arg);
    }
  }

  const help = bools.has('--help');
  const which = positionals[0];
  if (positionals.length > 1) invalid('scenario', 'one scenario name', positionals.join(' '));
  let scenarios: string[] = [];
  if (!help) {
    if (which === undefined) invalid('scenario', `one of ${[...available, 'all'].join(', ')}`, undefined);
    if (which === 'all') scenarios = [...available];
    else if (available.includes(which)) scenarios = [which];
    else invalid('scenario', `one of ${[...available, 'all'].join(', ')}`, which);
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
