/**
 * Running one bundled scenario with k6. k6 gets the run's settings as `-e` variables (read by
 * src/k6/lib/env.ts) and writes its raw summary and the plan into the scenario's folder from
 * handleSummary. Its output is shown on stderr and kept in k6.log (with the plan the scenario logs
 * at start, which the terminal is spared: src/core/plan/plan-line.ts).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  CSV_ENV,
  BROWSER_PAGE_TIMEOUT_SEC,
  dashboardEnv,
  encodeK6Environment,
  K6_FILES,
  scenarioRunArgv,
  holdsWindowsOutput,
  windowsEnv,
  type ExecutionSegmentFlags,
  type K6VarValuesExcept,
} from '../../core/contract.js';
import type { MixEntry } from '../../core/plan/mix.js';
import type { Gate } from '../../core/types.js';
import { PLAN_LINE_PATTERN } from '../../core/plan/plan-line.js';
import { hostResolverRule } from '../../core/stream/hosts.js';
import { childEnv } from '../process/child-env.js';
import { log } from '../process/log.js';
import { endLog, openLog } from '../files/keep-files.js';
import { startWindowsReceiver, type WindowsReceiver } from '../watch/windows-receiver.js';
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
  /** Write every request's samples (K6_FILES.samples, --samples); else k6's windows, unless windows is false. */
  samples?: boolean;
  /** Without samples, keep k6's own one-second windows instead (K6_FILES.windows; default true). */
  windows?: boolean;
  /** More k6 variables (the target's API and server, a shape, a sweep step's RATE, WINDOW_SEC, CLIENTS). */
  vars?: K6VarValuesExcept<'BASE_URL' | 'GATE' | 'SCALE' | 'MIX' | 'TIMEOUT_SEC' | 'OUT_DIR'>;
  /** Called with the child as soon as k6 started (the runner forwards Ctrl-C to it). */
  onStart?: (child: Child) => void;
  /** More Chromium flags for the browser module, after ours (the accuracy benchmark tries some). */
  browserArgs?: readonly string[];
  /** One share of a split run (--segments): k6's execution segment flags. */
  segment?: ExecutionSegmentFlags | null;
  /** The most clients (VUs) the run holds at once: sets how eagerly k6's Go heap is collected (gcEnv). */
  clients?: number;
}

/** From this many VUs on, k6 is told to collect its heap twice as often (GOGC 50). */
export const EAGER_GC_CLIENTS = 200;
/** Below this many VUs, k6 is told to collect it half as often (GOGC 200). */
export const LAZY_GC_CLIENTS = 100;

/**
 * Go lets a heap grow to twice what is live before collecting (GOGC 100). With many VUs, what is
 * live is mostly the VUs' own runtimes (about 0.6 MB each), so a run's garbage could take as much
 * again before the first collection: peak memory grew with the number of requests, not the clients
 * (docs/performance.md). GOGC 50 halves that headroom for a few percent more CPU. With few VUs the
 * heap is small (60 to 90 MB) and the collector's work is what costs: at full speed it took 15 % of
 * k6's CPU, and in alternating runs at 1,000 req/s its tail was longer (p95 / p99 3.9–5.6 / 10–13 ms
 * at GOGC 100, 2.8–3.9 / 5.5–10 at 200, no better at 400; the benchmark's record after the change did
 * not show it: docs/performance.md, "The seventh cut"). So below 100 VUs the heap may grow to three
 * times what is live, 25 MB more. Between the two Go's default stands. A GOGC of the user's own wins.
 */
export function gcEnv(clients: number | undefined, given = process.env['GOGC']): Record<string, string> {
  if ((given !== undefined && given !== '') || clients === undefined) return {};
  if (clients >= EAGER_GC_CLIENTS) return { GOGC: '50' };
  return clients < LAZY_GC_CLIENTS ? { GOGC: '200' } : {};
}

/** A scenario's k6 command line (src/core/contract/invocation.ts): the options above as k6 variables. */
export function k6Args(o: K6RunOptions, windows = false): string[] {
  return scenarioRunArgv({
    script: o.script,
    outDir: o.outDir,
    samples: o.samples === true,
    windows,
    outputs: o.outputs,
    segment: o.segment ?? null,
    vars: { BASE_URL: o.baseUrl, GATE: o.gate, SCALE: o.scale, MIX: o.mix, TIMEOUT_SEC: o.timeoutSec, ...o.vars },
  });
}

/** Debian's and Ubuntu's Chromium, for the streamed scenarios' k6 browser module. */
export const CHROMIUM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** The Chromium k6 will run: the one the user named (K6_BROWSER_EXECUTABLE_PATH), else the machine's. */
export function chromiumPath(): string | null {
  const given = process.env['K6_BROWSER_EXECUTABLE_PATH'];
  if (given !== undefined && given !== '') return given;
  return CHROMIUM_PATHS.find((p) => existsSync(p)) ?? null;
}

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
  const args = [
    'disable-background-networking',
    'disable-component-update',
    'disable-sync',
    'no-first-run',
    'disable-gpu',
  ];
  if (baseUrl !== undefined) args.push(`host-resolver-rules=${hostResolverRule(baseUrl)}`);
  // Browser, network service and page in one process: each chunk crosses threads instead of
  // processes, about a third less CPU per stream measured at 32 streams (bench/stream-accuracy.ts).
  args.push('single-process');
  if (process.getuid?.() === 0) args.push('no-sandbox');
  args.push(...more);
  const executable = chromiumPath();
  return {
    ...(executable === null ? {} : { K6_BROWSER_EXECUTABLE_PATH: executable }),
    K6_BROWSER_HEADLESS: 'true',
    // A user's own value is kept.
    K6_BROWSER_TIMEOUT: process.env['K6_BROWSER_TIMEOUT'] || `${BROWSER_PAGE_TIMEOUT_SEC}s`,
    ...encodeK6Environment({ K6_BROWSER_ARGS: args.join(',') }),
  };
}

/** What k6 says when its browser module finds no browser to start. */
export const NO_BROWSER = /couldn't detect google chrome or a chromium-supported browser/;

/**
 * Without samples, k6's own per-window aggregates go to a receiver of the runner's (K6_FILES.windows),
 * unless the user's outputs already hold k6's remote-write output: k6 configures one from the environment.
 */
async function windowsReceiver(o: K6RunOptions): Promise<WindowsReceiver | null> {
  if (o.samples === true || o.windows === false) return null;
  if (holdsWindowsOutput(o.outputs)) return null;
  return startWindowsReceiver(path.join(o.outDir, K6_FILES.windows));
}

export async function runK6(o: K6RunOptions): Promise<ExitInfo & { tail: string }> {
  const windows = await windowsReceiver(o);
  try {
    return await runK6Child(o, windows);
  } finally {
    const received = await windows?.stop();
    // k6 logs a refused push and goes on; the windows it held are missing from the timeline.
    if (received !== undefined && received.rejected.length > 0)
      log.warn(`${received.rejected.length} of k6's window pushes could not be read: ${received.rejected[0]}`);
  }
}

async function runK6Child(o: K6RunOptions, windows: WindowsReceiver | null): Promise<ExitInfo & { tail: string }> {
  const k6Log = openLog(path.join(o.outDir, K6_FILES.log));
  // K6_NO_COLOR keeps escape codes out of k6.log and CI logs.
  const child = spawnGroup('k6', shellJoin(o.k6, k6Args(o, windows !== null)), {
    env: childEnv({
      K6_NO_COLOR: 'true',
      ...CSV_ENV,
      ...(windows === null ? {} : windowsEnv(windows.url)),
      ...dashboardEnv(o.dashboardFile, o.dashboardPeriodMs),
      ...browserEnv(o.baseUrl, o.browserArgs),
      ...gcEnv(o.clients),
    }),
    cwd: o.outDir,
  });
  o.onStart?.(child);
  // The end of k6's output is kept here too: it names a failed write even when k6.log could not take it.
  let tail = '';
  child.onOutput((chunk) => {
    if (!k6Log.destroyed) k6Log.write(chunk);
    // The plan the scenario logs at start is for k6.log (src/core/plan/plan-line.ts), not the terminal.
    process.stderr.write(chunk.replace(PLAN_LINE_PATTERN, ''));
    tail = (tail + chunk).slice(-16_384);
  });
  const exit = await child.exited;
  await endLog(k6Log);
  return { ...exit, tail };
}
