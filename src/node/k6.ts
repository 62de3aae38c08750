/**
 * Running one bundled scenario with k6. k6 gets the run's settings as `-e` variables (read by
 * src/k6/lib/env.ts) and writes its raw summary and the plan into the scenario's folder from
 * handleSummary. Its output is shown on stderr and kept in k6.log.
 */
import { createWriteStream, existsSync } from 'node:fs';
import path from 'node:path';
import { formatMix, type MixEntry } from '../core/mix.js';
import type { Gate } from '../core/model.js';
import { childEnv } from './config.js';
import { shellJoin, spawnGroup, type Child, type ExitInfo } from './processes.js';

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
  /** Extra `--out` outputs. */
  outputs: readonly string[];
  /** More `-e` variables (a sweep step's RATE, WINDOW_SEC, CLIENTS). */
  extraEnv?: Record<string, string>;
  /** Called with the child as soon as k6 started (the runner forwards Ctrl-C to it). */
  onStart?: (child: Child) => void;
}

export const SAMPLES_FILE = 'samples.csv.gz';

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
    '--out',
    `csv=${path.join(o.outDir, SAMPLES_FILE)}`,
    ...o.outputs.flatMap((out) => ['--out', out]),
    ...Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]),
    o.script,
  ];
}

/**
 * k6's built-in web dashboard (the former xk6-dashboard), exported as one self-contained HTML file.
 * Port -1: no HTTP server, so nothing is left listening and no browser is waited for. A short
 * period, because the dashboard draws graphs only for runs longer than three periods and the
 * seed's scenarios last from under a second to 30 s.
 */
export function dashboardEnv(file: string | null): Record<string, string> {
  if (file === null) return { K6_WEB_DASHBOARD: 'false' };
  return {
    K6_WEB_DASHBOARD: 'true',
    K6_WEB_DASHBOARD_PORT: '-1',
    K6_WEB_DASHBOARD_OPEN: 'false',
    K6_WEB_DASHBOARD_PERIOD: '100ms',
    K6_WEB_DASHBOARD_EXPORT: file,
  };
}

/** Debian's and Ubuntu's Chromium, for the streamed scenarios' k6 browser module. */
export const CHROMIUM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/**
 * For k6's browser module (streamed scenarios): the machine's Chromium, headless, and without the
 * sandbox when running as root (Chromium refuses to start sandboxed as root). Background
 * networking is off: this machine reaches no update or safe-browsing service, nor should a test.
 */
export function browserEnv(): Record<string, string> {
  const chromium = CHROMIUM_PATHS.find((p) => existsSync(p));
  const args = ['disable-background-networking', 'disable-component-update', 'disable-sync', 'no-first-run', 'disable-gpu'];
  if (process.getuid?.() === 0) args.push('no-sandbox');
  // A path the user gave wins over the one found here.
  const given = process.env['K6_BROWSER_EXECUTABLE_PATH'];
  const executable = given !== undefined && given !== '' ? given : chromium;
  return { ...(executable === undefined ? {} : { K6_BROWSER_EXECUTABLE_PATH: executable }), K6_BROWSER_HEADLESS: 'true', K6_BROWSER_ARGS: args.join(',') };
}

/** What k6 says when its browser module finds no browser to start. */
export const NO_BROWSER = /couldn't detect google chrome or a chromium-supported browser/;

export async function runK6(o: K6RunOptions): Promise<ExitInfo> {
  const log = createWriteStream(path.join(o.outDir, 'k6.log'));
  // K6_NO_COLOR keeps escape codes out of k6.log and CI logs.
  const child = spawnGroup('k6', shellJoin(o.k6, k6Args(o)), { env: childEnv({ K6_NO_COLOR: 'true', K6_CSV_TIME_FORMAT: 'unix_milli', ...dashboardEnv(o.dashboardFile), ...browserEnv() }), cwd: o.outDir });
  o.onStart?.(child);
  child.onOutput((chunk) => {
    log.write(chunk);
    process.stderr.write(chunk);
  });
  const exit = await child.exited;
  await new Promise<void>((r) => log.end(r));
  return exit;
}
