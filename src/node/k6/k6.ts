/**
 * Running one bundled scenario with k6. k6 gets the run's settings as `-e` variables (read by
 * src/k6/lib/env.ts) and writes its raw summary and the plan into the scenario's folder from
 * handleSummary. Its output is shown on stderr and kept in k6.log (with the plan the scenario logs
 * at start, which the terminal is spared: src/core/plan/plan-line.ts).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { formatMix, type MixEntry } from '../../core/plan/mix.js';
import type { Gate } from '../../core/types.js';
import { PLAN_LINE_PATTERN } from '../../core/plan/plan-line.js';
import { hostResolverRule } from '../../core/stream/hosts.js';
import { childEnv } from '../process/child-env.js';
import { endLog, openLog } from '../files/keep-files.js';
import { shellJoin, spawnGroup, type Child, type ExitInfo } from '../process/processes.js';

export interface K6RunOptions {
  k6: string;
  script: string;
  outDir: string;
  baseUrl: string;
  gate: Gate;
  scale: number;
  mix: MixEntry[] | null;
  timeoutSec: number | null;
  /** Where to export k6's web dashboard report, or null for none. */
  dashboardFile: string | null;
  /** The dashboard's period (src/core/report/dashboard.ts, from the plan); default 1 s. */
  dashboardPeriodMs?: number;
  /** Extra `--out` outputs. */
  outputs: readonly string[];
  /** Write every request's samples to SAMPLES_FILE (default true; false with --no-samples). */
  samples?: boolean;
  /** More `-e` variables (a sweep step's RATE, WINDOW_SEC, CLIENTS). */
  extraEnv?: Record<string, string>;
  /** Called with the child as soon as k6 started (the runner forwards Ctrl-C to it). */
  onStart?: (child: Child) => void;
  /** More Chromium flags for the browser module, after ours (the accuracy benchmark tries some). */
  browserArgs?: readonly string[];
}

export const SAMPLES_FILE = 'samples.csv.gz';

/**
 * The CSV output's settings: times in ms since the epoch, and rows written every 200 ms instead of
 * every second, so that formatting a second's rows (some twenty per request) is five small bursts
 * of k6's CPU, not one that takes a core from the server at once.
 */
export const CSV_ENV = { K6_CSV_TIME_FORMAT: 'unix_milli', K6_CSV_SAVE_INTERVAL: '200ms' } as const;

/**
 * The system tags k6 attaches to every sample: what the toolkit reads (scenario = phase, status,
 * check and group for the summary's checks, the error ones) and what a person filters by (method,
 * name). k6's default adds url, proto, subproto, tls_version, service and expected_response, which
 * nothing reads: each is a map entry on every sample and a CSV cell on every row (a measured third
 * of the CSV output's CPU). The endpoint is a tag of our own.
 */
export const SYSTEM_TAGS = ['scenario', 'status', 'method', 'name', 'group', 'check', 'error', 'error_code'] as const;

export function k6Args(o: K6RunOptions): string[] {
  const env: Record<string, string> = {
    BASE_URL: o.baseUrl,
    GATE: o.gate,
    SCALE: String(o.scale),
    OUT_DIR: o.outDir,
  };
  if (o.mix !== null) env['MIX'] = formatMix(o.mix);
  if (o.timeoutSec !== null) env['TIMEOUT_SEC'] = String(o.timeoutSec);
  Object.assign(env, o.extraEnv ?? {});
  return [
    'run',
    '--no-usage-report',
    // k6's REST API would take port 6565 and collide with any other k6 running here; we do not use it.
    '--address',
    '127.0.0.1:0',
    // Every request's time and latency, for drift, the leak check and latency-over-time plots.
    ...(o.samples === false ? [] : ['--out', `csv=${path.join(o.outDir, SAMPLES_FILE)}`]),
    '--system-tags',
    SYSTEM_TAGS.join(','),
    ...o.outputs.flatMap((out) => ['--out', out]),
    ...Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]),
    o.script,
  ];
}

/**
 * k6's built-in web dashboard (the former xk6-dashboard), exported as one self-contained HTML file.
 * Port -1: no HTTP server, so nothing is left listening and no browser is waited for. The period
 * comes from the run's planned length (src/core/report/dashboard.ts): every period the dashboard sorts all
 * latencies collected so far, so a short one costs CPU taken from the server under test.
 */
export function dashboardEnv(file: string | null, periodMs = 1000): Record<string, string> {
  if (file === null) return { K6_WEB_DASHBOARD: 'false' };
  return {
    K6_WEB_DASHBOARD: 'true',
    K6_WEB_DASHBOARD_PORT: '-1',
    K6_WEB_DASHBOARD_OPEN: 'false',
    K6_WEB_DASHBOARD_PERIOD: `${periodMs}ms`,
    K6_WEB_DASHBOARD_EXPORT: file,
  };
}

/** Debian's and Ubuntu's Chromium, for the streamed scenarios' k6 browser module. */
export const CHROMIUM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/**
 * For k6's browser module (streamed scenarios): the machine's Chromium, headless, and without the
 * sandbox when running as root (Chromium refuses to start sandboxed as root). Background
 * networking is off: this machine reaches no update or safe-browsing service, nor should a test.
 * Every name under the stream alias domain resolves to the server, so one page can hold more than
 * Chromium's 6 connections per host, one frame per host name (src/core/stream/hosts.ts). Web
 * security stays on: with it off, Chromium hides when it sent each request, which the streams'
 * timings start from.
 */
export function browserEnv(baseUrl?: string, more: readonly string[] = []): Record<string, string> {
  const chromium = CHROMIUM_PATHS.find((p) => existsSync(p));
  const args = ['disable-background-networking', 'disable-component-update', 'disable-sync', 'no-first-run', 'disable-gpu'];
  if (baseUrl !== undefined) args.push(`host-resolver-rules=${hostResolverRule(baseUrl)}`);
  // Browser, network service and page in one process: each chunk crosses threads instead of
  // processes, about a third less CPU per stream measured at 32 streams (bench/stream-accuracy.ts).
  args.push('single-process');
  if (process.getuid?.() === 0) args.push('no-sandbox');
  args.push(...more);
  // A path the user gave wins over the one found here.
  const given = process.env['K6_BROWSER_EXECUTABLE_PATH'];
  const executable = given !== undefined && given !== '' ? given : chromium;
  return { ...(executable === undefined ? {} : { K6_BROWSER_EXECUTABLE_PATH: executable }), K6_BROWSER_HEADLESS: 'true', K6_BROWSER_ARGS: args.join(',') };
}

/** What k6 says when its browser module finds no browser to start. */
export const NO_BROWSER = /couldn't detect google chrome or a chromium-supported browser/;

export async function runK6(o: K6RunOptions): Promise<ExitInfo & { tail: string }> {
  const log = openLog(path.join(o.outDir, 'k6.log'));
  // K6_NO_COLOR keeps escape codes out of k6.log and CI logs.
  const child = spawnGroup('k6', shellJoin(o.k6, k6Args(o)), {
    env: childEnv({ K6_NO_COLOR: 'true', ...CSV_ENV, ...dashboardEnv(o.dashboardFile, o.dashboardPeriodMs), ...browserEnv(o.baseUrl, o.browserArgs) }),
    cwd: o.outDir,
  });
  o.onStart?.(child);
  // The end of k6's output is kept here too: it names a failed write even when k6.log could not take it.
  let tail = '';
  child.onOutput((chunk) => {
    if (!log.destroyed) log.write(chunk);
    // The plan the scenario logs at start is for k6.log (src/core/plan/plan-line.ts), not the terminal.
    process.stderr.write(chunk.replace(PLAN_LINE_PATTERN, ''));
    tail = (tail + chunk).slice(-16_384);
  });
  const exit = await child.exited;
  await endLog(log);
  return { ...exit, tail };
}
