/**
 * The load generators the distortion experiment compares, each sending `rate` requests per
 * second for `durationSec` (open model, at most `clients` in flight) to one endpoint, each measured
 * the same way (GNU time: CPU seconds, peak RSS) and reporting the latency it saw:
 *
 * - toolkit: the real runner (scripts/run.ts sustained --mix E --rate R --duration D --clients C)
 *   against the running server, watching it as any run does (--server-pid), body validation on.
 *   Its k6 is measured apart through a wrapper (--k6), and so is the runner's own CPU during the
 *   load (/proc, sampled while it runs);
 * - toolkit-samples: the same with --samples, every request's samples written (k6's CSV) instead of its windows;
 * - toolkit-dashboard: the same as toolkit with --dashboard, run only when --generators names it
 *   (what k6's web dashboard, off by default, costs);
 * - toolkit-no-scrape: --scrape-interval 0, run only when named (what scraping the server's /metrics
 *   every second during the load costs the latency the server gives);
 * - checked: bench/k6/checked.js, a careful hand-written k6 script (status and one body field);
 * - bare: bench/k6/bare.js, one request per iteration, nothing checked;
 * - vegeta: `vegeta attack` (Go), the reference that runs no JavaScript at all.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { K6_FILES } from '../../src/core/contract.js';
import { clockTicksPerSecond } from '../../src/node/watch/resources.js';
import type { BenchContext, Server } from './context.js';
import { benchK6Argv, cpuSecondsOf, k6Wrapper, timed } from './measure.js';
import { againstServer, runnerArgv } from './toolkit-run.js';

export type GeneratorName =
  'toolkit' | 'toolkit-samples' | 'toolkit-dashboard' | 'toolkit-no-scrape' | 'checked' | 'bare' | 'vegeta';
/** Every generator the distortion experiment knows: --generators picks among them. */
export const ALL_GENERATORS: readonly GeneratorName[] = [
  'toolkit',
  'toolkit-samples',
  'toolkit-dashboard',
  'toolkit-no-scrape',
  'checked',
  'bare',
  'vegeta',
];
/** Run only when --generators names them: they attribute what the default costs. */
const ATTRIBUTION_ONLY: readonly GeneratorName[] = ['toolkit-dashboard', 'toolkit-no-scrape'];
/** The generators run unless --generators says otherwise. */
export const GENERATORS: readonly GeneratorName[] = ALL_GENERATORS.filter((g) => !ATTRIBUTION_ONLY.includes(g));
/** The runner's own flags for each way the toolkit is run. */
const TOOLKIT_FLAGS = {
  toolkit: [],
  // Every request's samples (k6's CSV) instead of k6's own one-second windows.
  'toolkit-samples': ['--samples'],
  'toolkit-dashboard': ['--dashboard'],
  'toolkit-no-scrape': ['--scrape-interval', '0'],
} as const satisfies Partial<Record<GeneratorName, readonly string[]>>;
type ToolkitGenerator = keyof typeof TOOLKIT_FLAGS;

export interface Load {
  endpoint: 'generate' | 'health';
  rate: number;
  durationSec: number;
  clients: number;
}

export interface GeneratorRun {
  requests: number;
  /** Requests that did not succeed (status, or for the toolkit also the body). */
  failed: number;
  /** Open model: requests that fell due with no free client, never sent (k6's dropped_iterations). */
  dropped: number;
  p50: number;
  p95: number;
  p99: number;
  /** The load generator's CPU (user + system) and peak RSS: k6, or vegeta. */
  cpuSec: number;
  peakRssMb: number;
  /** Toolkit only: the runner's (Node) CPU while k6 ran, and in all (start-up, build, report). */
  runnerCpuDuringLoadSec?: number;
  runnerCpuSec?: number;
  /** Toolkit only: from k6's end to the runner's exit (report written). */
  k6EndToExitSec?: number;
}

const BODY = { prompt: 'Hello', max_tokens: 5, strategy: 'greedy' };

interface K6SummaryFile {
  metrics: Record<string, { values: Record<string, number> }>;
}

async function k6Script(ctx: BenchContext, server: Server, load: Load, script: string): Promise<GeneratorRun> {
  const dir = await ctx.dir(path.basename(script, '.js'));
  const bench = {
    BENCH_ENDPOINT: load.endpoint,
    BENCH_RATE: load.rate,
    BENCH_DURATION_SEC: load.durationSec,
    BENCH_VUS: load.clients,
  };
  const argv = benchK6Argv(ctx.k6.path, { baseUrl: server.baseUrl, outDir: dir, bench }, script);
  const r = await timed('k6', argv, { env: { K6_NO_COLOR: 'true' }, timeFile: path.join(dir, 'time.txt') });
  const summary = JSON.parse(
    await readFile(path.join(dir, K6_FILES.summary), 'utf8').catch(() => 'null'),
  ) as K6SummaryFile | null;
  if (summary === null) throw new Error(`${script} wrote no summary (exit ${r.code}):\n${r.output.slice(-2000)}`);
  const d = summary.metrics['http_req_duration']!.values;
  const checks = summary.metrics['checks']?.values;
  return {
    requests: summary.metrics['http_reqs']?.values['count'] ?? 0,
    failed: checks?.['fails'] ?? 0,
    dropped: summary.metrics['dropped_iterations']?.values['count'] ?? 0,
    p50: d['p(50)']!,
    p95: d['p(95)']!,
    p99: d['p(99)']!,
    cpuSec: r.cpuSec,
    peakRssMb: r.peakRssMb,
  };
}

async function vegeta(ctx: BenchContext, server: Server, load: Load): Promise<GeneratorRun> {
  const tool = await ctx.vegeta();
  const dir = await ctx.dir('vegeta');
  const targets = path.join(dir, 'targets.txt');
  if (load.endpoint === 'generate') {
    await writeFile(path.join(dir, 'body.json'), JSON.stringify(BODY));
    await writeFile(
      targets,
      `POST ${server.baseUrl}/generate\nContent-Type: application/json\n@${path.join(dir, 'body.json')}\n`,
    );
  } else {
    await writeFile(targets, `GET ${server.baseUrl}/health\n`);
  }
  const results = path.join(dir, 'results.bin');
  const argv = [
    tool.path,
    'attack',
    '-rate',
    `${load.rate}/s`,
    '-duration',
    `${load.durationSec}s`,
    '-workers',
    String(load.clients),
    '-max-workers',
    String(load.clients),
    '-targets',
    targets,
    '-output',
    results,
  ];
  const r = await timed('vegeta', argv, { timeFile: path.join(dir, 'time.txt') });
  if (r.code !== 0) throw new Error(`vegeta attack failed (exit ${r.code}):\n${r.output.slice(-2000)}`);
  const report = await timed(
    'vegeta',
    [tool.path, 'report', '-type', 'json', '-output', path.join(dir, 'report.json'), results],
    {
      timeFile: path.join(dir, 'time2.txt'),
    },
  );
  if (report.code !== 0) throw new Error(`vegeta report failed:\n${report.output.slice(-2000)}`);
  const j = JSON.parse(await readFile(path.join(dir, 'report.json'), 'utf8')) as {
    requests: number;
    success: number;
    latencies: Record<string, number>;
  };
  const ms = (ns: number | undefined): number => (ns ?? NaN) / 1e6;
  return {
    requests: j.requests,
    failed: Math.round(j.requests * (1 - j.success)),
    // vegeta never gives up a due request: with every worker busy it sends it late instead.
    dropped: 0,
    p50: ms(j.latencies['50th']),
    p95: ms(j.latencies['95th']),
    p99: ms(j.latencies['99th']),
    cpuSec: r.cpuSec,
    peakRssMb: r.peakRssMb,
  };
}

interface ReportFile {
  scenarios: {
    totals: { sent: number; failures: number; dropped: number };
    latencyMs: { p50: number; p95: number; p99: number } | null;
  }[];
}

/** The node process the time wrapper started (its child), once it exists. */
export async function childOf(pid: number): Promise<number | null> {
  const text = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
  const first = text.trim().split(/\s+/)[0];
  return first === undefined || first === '' ? null : Number(first);
}

async function toolkit(ctx: BenchContext, server: Server, load: Load, name: ToolkitGenerator): Promise<GeneratorRun> {
  const dir = await ctx.dir(name);
  const wrapper = await k6Wrapper(dir, ctx.k6.path);
  const argv = runnerArgv(
    'sustained',
    [
      '--mix',
      load.endpoint,
      '--rate',
      String(load.rate),
      '--duration',
      String(load.durationSec),
      '--clients',
      String(load.clients),
      ...againstServer(server),
      ...TOOLKIT_FLAGS[name],
    ],
    wrapper.file,
    path.join(dir, 'reports'),
  );
  // The runner's CPU over time, to take its share during the load (between k6's start and end).
  const ticks = clockTicksPerSecond();
  const samples: { tMs: number; cpuSec: number }[] = [];
  let done = false;
  const running = timed('runner', argv, { timeFile: path.join(dir, 'time.txt') }).finally(() => (done = true));
  const poll = (async () => {
    let runner: number | null = null;
    let launcher: number | null = null;
    while (!done) {
      launcher ??= await findTimeProcess(dir);
      if (launcher !== null) runner ??= await childOf(launcher);
      const cpu = runner === null ? null : await cpuSecondsOf(runner, ticks);
      if (cpu !== null) samples.push({ tMs: Date.now(), cpuSec: cpu });
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  const r = await running;
  const exitMs = Date.now();
  await poll;
  const k6 = await wrapper.read();
  const report = JSON.parse(
    await readFile(path.join(dir, 'reports', 'latest', 'report.json'), 'utf8').catch(() => 'null'),
  ) as ReportFile | null;
  const s = report?.scenarios[0];
  if (k6 === null || s?.latencyMs == null)
    throw new Error(`the toolkit's run failed (exit ${r.code}):\n${r.output.slice(-3000)}`);
  const at = (t: number): number | null => {
    const before = samples.filter((x) => x.tMs <= t).at(-1);
    return before?.cpuSec ?? null;
  };
  const from = at(k6.startMs);
  const to = at(k6.endMs);
  return {
    requests: s.totals.sent,
    failed: s.totals.failures - s.totals.dropped,
    dropped: s.totals.dropped,
    p50: s.latencyMs.p50,
    p95: s.latencyMs.p95,
    p99: s.latencyMs.p99,
    cpuSec: k6.cpuSec,
    peakRssMb: k6.peakRssMb,
    ...(from !== null && to !== null ? { runnerCpuDuringLoadSec: to - from } : {}),
    runnerCpuSec: Math.max(0, r.cpuSec - k6.cpuSec),
    k6EndToExitSec: (exitMs - k6.endMs) / 1000,
  };
}

/** The /usr/bin/time process writing into `dir` (the runner's parent), found by its command line. */
export async function findTimeProcess(dir: string): Promise<number | null> {
  const { readdir } = await import('node:fs/promises');
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmd = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmd.startsWith('/usr/bin/time\0') && cmd.includes(path.join(dir, 'time.txt'))) return Number(entry);
  }
  return null;
}

export async function runGenerator(
  name: GeneratorName,
  ctx: BenchContext,
  server: Server,
  load: Load,
): Promise<GeneratorRun> {
  switch (name) {
    case 'toolkit':
    case 'toolkit-samples':
    case 'toolkit-dashboard':
    case 'toolkit-no-scrape':
      return toolkit(ctx, server, load, name);
    case 'checked':
      return k6Script(ctx, server, load, 'checked.js');
    case 'bare':
      return k6Script(ctx, server, load, 'bare.js');
    case 'vegeta':
      return vegeta(ctx, server, load);
  }
}
