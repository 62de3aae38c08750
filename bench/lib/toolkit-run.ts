/**
 * One closed-model run of the toolkit's runner against a running server (--no-server, watching it
 * with --server-pid as a run that starts it does): its report's figures, and its k6's CPU and
 * memory through the k6 wrapper. Used by the ceiling, validation and memory experiments.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ROOT } from '../../src/node/files/paths.js';
import type { BenchContext, Server } from './context.js';
import { k6Wrapper, timed, type WrappedK6 } from './measure.js';

/**
 * The runner's command line in a benchmark: the scenario and its flags, k6 through the measuring
 * wrapper, its own reports folder.
 */
export function runnerArgv(scenario: string, args: readonly string[], k6WrapperFile: string, outDir: string): string[] {
  return [
    process.execPath,
    '--import',
    'tsx',
    path.join(ROOT, 'scripts', 'run.ts'),
    scenario,
    ...args,
    '--k6',
    k6WrapperFile,
    '--out-dir',
    outDir,
  ];
}

/** The runner pointed at the benchmark's server, watching it by pid as a run that starts it does. */
export function againstServer(server: Server): string[] {
  return ['--no-server', '--port', String(server.port), '--server-pid', String(server.pid)];
}

export interface ToolkitRun {
  /** Successful requests per second over k6's own test duration. */
  throughputRps: number;
  sent: number;
  failures: number;
  k6: WrappedK6;
  /** The command, k6 started, k6 ended, the runner exited (ms since the epoch). */
  commandMs: number;
  exitMs: number;
}

interface ReportFile {
  scenarios: { throughputRps: number; totals: { sent: number; failures: number } }[];
}

export async function toolkitRun(
  ctx: BenchContext,
  server: Server,
  o: { scenario: string; args: readonly string[]; env?: Record<string, string>; pin?: string | null; label: string },
): Promise<ToolkitRun> {
  const dir = await ctx.dir(o.label);
  const wrapper = await k6Wrapper(dir, ctx.k6.path);
  const argv = runnerArgv(o.scenario, [...o.args, ...againstServer(server)], wrapper.file, path.join(dir, 'reports'));
  const commandMs = Date.now();
  const r = await timed('runner', argv, { env: o.env ?? {}, pin: o.pin ?? null, timeFile: path.join(dir, 'time.txt') });
  const exitMs = Date.now();
  const k6 = await wrapper.read();
  const report = JSON.parse(
    await readFile(path.join(dir, 'reports', 'latest', 'report.json'), 'utf8').catch(() => 'null'),
  ) as ReportFile | null;
  const s = report?.scenarios[0];
  if (k6 === null || s === undefined || (r.code !== 0 && r.code !== 1))
    throw new Error(`the toolkit's run failed (exit ${r.code}):\n${r.output.slice(-3000)}`);
  return { throughputRps: s.throughputRps, sent: s.totals.sent, failures: s.totals.failures, k6, commandMs, exitMs };
}
