/**
 * The generator's ceiling, closed model: 10 clients send requests to GET /health as fast as the
 * server answers, and the figure is requests per second over k6's own test duration. The toolkit is
 * its real runner (`npm run k6:health -- --requests N --clients 10`, every body validated, its
 * outputs and monitoring on); beside it a hand-written checked k6 script, a bare one, and wrk for
 * scale. Once with everything sharing both cores, once with the server on core 0 and the generator
 * on core 1 (taskset).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { K6_FILES } from '../../src/core/contract.js';
import type { BenchContext, Server } from '../lib/context.js';
import { benchK6Argv, timed } from '../lib/measure.js';
import { fixed, rotated, Runs, spread, type Stat } from '../lib/stats.js';
import { toolkitRun } from '../lib/toolkit-run.js';
import type { Experiment } from './experiment.js';

export const CLIENTS = 10;
const WRK = '/usr/bin/wrk';

export interface CeilingResult {
  requests: number;
  shared: Record<string, Stat>;
  pinned: Record<string, Stat> | null;
}

async function k6Rps(
  ctx: BenchContext,
  server: Server,
  script: string,
  requests: number,
  pin: string | null,
): Promise<number> {
  const dir = await ctx.dir(`ceiling-${script}`);
  const argv = benchK6Argv(
    ctx.k6.path,
    { baseUrl: server.baseUrl, outDir: dir, bench: { BENCH_VUS: CLIENTS, BENCH_REQUESTS: requests } },
    script,
  );
  const r = await timed('k6', argv, { env: { K6_NO_COLOR: 'true' }, pin, timeFile: path.join(dir, 'time.txt') });
  const summary = JSON.parse(await readFile(path.join(dir, K6_FILES.summary), 'utf8').catch(() => 'null')) as {
    metrics: Record<string, { values: Record<string, number> }>;
    state: { testRunDurationMs: number };
  } | null;
  const count = summary?.metrics['http_reqs']?.values['count'];
  if (summary === null || count !== requests)
    throw new Error(`${script}: sent ${count ?? 'nothing'} of ${requests} (exit ${r.code}):\n${r.output.slice(-2000)}`);
  return count / (summary.state.testRunDurationMs / 1000);
}

async function wrkRps(ctx: BenchContext, server: Server, pin: string | null): Promise<number> {
  const dir = await ctx.dir('ceiling-wrk');
  const seconds = ctx.settings.quick ? 2 : 5;
  const r = await timed(
    'wrk',
    [WRK, '-t', pin === null ? '2' : '1', '-c', String(CLIENTS), '-d', `${seconds}s`, `${server.baseUrl}/health`],
    {
      pin,
      timeFile: path.join(dir, 'time.txt'),
    },
  );
  const m = /Requests\/sec:\s+([\d.]+)/.exec(r.output);
  if (m === null) throw new Error(`wrk printed no rate:\n${r.output}`);
  return Number(m[1]);
}

async function rounds(
  ctx: BenchContext,
  requests: number,
  serverPin: string | null,
  generatorPin: string | null,
  label: string,
): Promise<Record<string, Stat>> {
  const runs = new Runs();
  const server = await ctx.server(serverPin);
  const toolkit = (flags: string[]) => async (): Promise<number> => {
    const args = ['--requests', String(requests), '--clients', String(CLIENTS), ...flags];
    return (await toolkitRun(ctx, server, { scenario: 'health', args, pin: generatorPin, label: 'ceiling-toolkit' }))
      .throughputRps;
  };
  // The toolkit as it runs by default, then with k6's web dashboard, the CSV of every sample, and
  // both: what each of those per-sample outputs (off by default) costs at full speed.
  const generators: [string, () => Promise<number>][] = [
    ['toolkit', toolkit([])],
    ['toolkit, --dashboard', toolkit(['--dashboard'])],
    ['toolkit, --samples', toolkit(['--samples'])],
    ['toolkit, --samples --dashboard', toolkit(['--samples', '--dashboard'])],
    ['k6, hand-written checked script', () => k6Rps(ctx, server, 'checked.js', requests, generatorPin)],
    ['k6, bare script', () => k6Rps(ctx, server, 'bare.js', requests, generatorPin)],
    ...(existsSync(WRK) ? [['wrk', () => wrkRps(ctx, server, generatorPin)] as [string, () => Promise<number>]] : []),
  ];
  for (const [name] of generators) runs.declare(name);
  try {
    for (let round = 1; round <= ctx.settings.rounds; round++) {
      ctx.log(`ceiling, ${label}, round ${round}/${ctx.settings.rounds}`);
      for (const [name, measure] of rotated(generators, round)) runs.add(name, await measure());
    }
  } finally {
    await server.stop();
  }
  return runs.stats();
}

async function run(ctx: BenchContext): Promise<CeilingResult> {
  if (!existsSync(WRK)) ctx.log('wrk is not installed (apt-get install wrk): its rows are left out');
  const requests = ctx.settings.quick ? 2_000 : 20_000;
  const shared = await rounds(ctx, requests, null, null, 'shared cores');
  const canPin = os.availableParallelism() >= 2 && existsSync('/usr/bin/taskset');
  const pinned = canPin ? await rounds(ctx, requests, '0', '1', 'server on core 0, generator on core 1') : null;
  return { requests, shared, pinned };
}

function table(r: CeilingResult, ctx: BenchContext): string[] {
  const lines = [
    `Closed model, ${CLIENTS} clients, ${r.requests} requests to GET /health per run; ` +
      `median (min–max) of ${ctx.settings.rounds} interleaved round(s).`,
    '',
    '| cores | generator | requests/s | / checked script |',
    '| --- | --- | --- | --- |',
  ];
  for (const [cores, set] of [
    ['shared', r.shared],
    ['pinned', r.pinned],
  ] as const) {
    if (set === null) continue;
    const checked = set['k6, hand-written checked script']?.median ?? NaN;
    for (const [name, s] of Object.entries(set))
      lines.push(`| ${cores} | ${name} | ${spread(s)} | ${fixed(s.median / checked, 2)} |`);
  }
  lines.push(
    '',
    'Goal: the toolkit at least 0.9x the hand-written checked script, shared and pinned (as it runs by default; ' +
      "the --dashboard, --samples and --samples --dashboard rows show what k6's web dashboard and " +
      'the CSV of every sample each cost at full speed).',
  );
  return lines;
}

export const ceiling: Experiment<CeilingResult> = {
  name: 'ceiling',
  title: 'Generator ceiling (closed model)',
  run,
  table,
};
