/**
 * Does the load generator distort what it measures? At fixed offered rates (open model) on
 * Realizar's POST /generate and GET /health, the toolkit, a hand-written checked k6 script, bare k6
 * and vegeta, interleaved against one server: the latency each saw (p50/p95/p99), the CPU each
 * spent per 1000 requests and its peak memory. The generator shares the machine's cores with the
 * server, so every CPU second a generator spends is taken from the server it measures.
 */
import { runGenerator, type GeneratorName, type GeneratorRun } from '../lib/generators.js';
import type { BenchContext } from '../lib/context.js';
import { fixed, rotated, spread, stat, type Stat } from '../lib/stats.js';
import type { Experiment } from './experiment.js';

export interface Cell {
  rate: number;
  endpoint: 'generate' | 'health';
  generator: GeneratorName;
  runs: GeneratorRun[];
  p50: Stat;
  p95: Stat;
  p99: Stat;
  cpuPer1000: Stat;
  peakRssMb: Stat;
  /** Toolkit only: the runner's CPU per 1000 requests while k6 ran. */
  runnerCpuPer1000?: Stat;
}

export interface Goal {
  endpoint: string;
  goal: string;
  toolkit: number;
  checked: number;
  bound: number;
  met: boolean;
}

export interface DistortionResult {
  cells: Cell[];
  /** At GOAL_RATE, the toolkit against the hand-written checked script. */
  goals: Goal[];
}

export const GOAL_RATE = 500;

function cellOf(rate: number, endpoint: Cell['endpoint'], generator: GeneratorName, runs: GeneratorRun[]): Cell {
  const per1000 = (cpu: number, r: GeneratorRun): number => (cpu / Math.max(1, r.requests)) * 1000;
  const runner = runs.filter((r) => r.runnerCpuDuringLoadSec !== undefined);
  return {
    rate,
    endpoint,
    generator,
    runs,
    p50: stat(runs.map((r) => r.p50)),
    p95: stat(runs.map((r) => r.p95)),
    p99: stat(runs.map((r) => r.p99)),
    cpuPer1000: stat(runs.map((r) => per1000(r.cpuSec, r))),
    peakRssMb: stat(runs.map((r) => r.peakRssMb)),
    ...(runner.length === 0
      ? {}
      : { runnerCpuPer1000: stat(runner.map((r) => per1000(r.runnerCpuDuringLoadSec!, r))) }),
  };
}

/** The latency goals hold at each of these rates; CPU and memory are judged at GOAL_RATE. */
export const LATENCY_GOAL_RATES = [500, 1000];

/**
 * The goals: p50/p95/p99 within 10 % or 0.3 ms of the checked script's at each of LATENCY_GOAL_RATES, and
 * no request dropped where the checked script dropped none; at GOAL_RATE, CPU at most 1.2x, memory 1.5x.
 */
export function judgeGoals(cells: readonly Cell[]): Goal[] {
  const goals: Goal[] = [];
  for (const endpoint of ['generate', 'health'] as const) {
    const find = (g: GeneratorName, rate: number): Cell | undefined =>
      cells.find((c) => c.rate === rate && c.endpoint === endpoint && c.generator === g);
    for (const rate of LATENCY_GOAL_RATES) {
      const t = find('toolkit', rate);
      const c = find('checked', rate);
      if (t === undefined || c === undefined) continue;
      for (const p of ['p50', 'p95', 'p99'] as const) {
        const bound = c[p].median + Math.max(0.1 * c[p].median, 0.3);
        goals.push({
          endpoint,
          goal: `${p} at ${rate} req/s within 10 % or 0.3 ms of the checked script's`,
          toolkit: t[p].median,
          checked: c[p].median,
          bound,
          met: t[p].median <= bound,
        });
      }
      const dropped = (x: Cell): number => x.runs.reduce((n, r) => n + r.dropped, 0);
      goals.push({
        endpoint,
        goal: `requests dropped at ${rate} req/s (all rounds): none where the checked script dropped none`,
        toolkit: dropped(t),
        checked: dropped(c),
        bound: dropped(c),
        met: dropped(c) > 0 || dropped(t) === 0,
      });
    }
    const t = find('toolkit', GOAL_RATE);
    const c = find('checked', GOAL_RATE);
    if (t === undefined || c === undefined) continue;
    const cpu = t.cpuPer1000.median + (t.runnerCpuPer1000?.median ?? 0);
    goals.push({
      endpoint,
      goal: 'CPU per request (k6 and the runner during the load) at most 1.2x',
      toolkit: cpu,
      checked: c.cpuPer1000.median,
      bound: 1.2 * c.cpuPer1000.median,
      met: cpu <= 1.2 * c.cpuPer1000.median,
    });
    goals.push({
      endpoint,
      goal: 'peak RSS of k6 at most 1.5x',
      toolkit: t.peakRssMb.median,
      checked: c.peakRssMb.median,
      bound: 1.5 * c.peakRssMb.median,
      met: t.peakRssMb.median <= 1.5 * c.peakRssMb.median,
    });
  }
  return goals;
}

async function run(ctx: BenchContext): Promise<DistortionResult> {
  const { rates, durationSec, clients, endpoints, generators } = ctx.settings.distortion;
  const runs = new Map<string, GeneratorRun[]>();
  const server = await ctx.server();
  try {
    for (let round = 1; round <= ctx.settings.rounds; round++) {
      const order = rotated(generators, round);
      for (const rate of rates) {
        for (const endpoint of endpoints) {
          for (const generator of order) {
            ctx.log(
              `distortion, round ${round}/${ctx.settings.rounds}: ` +
                `${generator}, ${rate} req/s to ${endpoint} for ${durationSec} s`,
            );
            const r = await runGenerator(generator, ctx, server, { endpoint, rate, durationSec, clients });
            const key = `${rate}|${endpoint}|${generator}`;
            runs.set(key, [...(runs.get(key) ?? []), r]);
          }
        }
      }
    }
  } finally {
    await server.stop();
  }
  const cells = [...runs].map(([key, list]) => {
    const [rate, endpoint, generator] = key.split('|') as [string, Cell['endpoint'], GeneratorName];
    return cellOf(Number(rate), endpoint, generator, list);
  });
  return { cells, goals: judgeGoals(cells) };
}

const LABEL: Record<GeneratorName, string> = {
  toolkit: 'this toolkit (k6)',
  'toolkit-samples': 'this toolkit, --samples (k6)',
  'toolkit-dashboard': 'this toolkit, --dashboard (k6)',
  'toolkit-no-scrape': 'this toolkit, --scrape-interval 0 (k6)',
  checked: 'k6, hand-written checked script',
  bare: 'k6, bare script',
  vegeta: 'vegeta',
};

function table(r: DistortionResult, ctx: BenchContext): string[] {
  const { durationSec, clients } = ctx.settings.distortion;
  const lines = [
    `Open model, ${durationSec} s per run, at most ${clients} requests in flight, one Realizar demo server; ` +
      `median (min–max) of ${ctx.settings.rounds} interleaved round(s). Latency in ms.`,
    '',
    '| endpoint | rate (req/s) | generator | requests | dropped | p50 | p95 | p99 | CPU s / 1000 req | peak RSS (MB) |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const c of r.cells) {
    const requests = c.runs.map((x) => x.requests).join(', ');
    const failed = c.runs.reduce((n, x) => n + x.failed, 0);
    lines.push(
      `| ${c.endpoint} | ${c.rate} | ${LABEL[c.generator]} | ${requests}${failed > 0 ? ` (${failed} failed)` : ''} ` +
        `| ${c.runs.map((x) => x.dropped).join(', ')} ` +
        `| ${spread(c.p50, 2)} | ${spread(c.p95, 2)} | ${spread(c.p99, 2)} ` +
        `| ${spread(c.cpuPer1000, 3)} | ${spread(c.peakRssMb, 0)} |`,
    );
    if (c.runnerCpuPer1000 !== undefined) {
      const total = stat(c.runs.map((x) => x.runnerCpuSec ?? 0));
      const tail = stat(c.runs.map((x) => x.k6EndToExitSec ?? 0));
      lines.push(
        `| ${c.endpoint} | ${c.rate} | … its runner (Node) during the load | | | | | ` +
          `| ${spread(c.runnerCpuPer1000, 3)} ` +
          `| (all: ${spread(total, 2)} s CPU; k6's end → report ${spread(tail, 2)} s) |`,
      );
    }
  }
  lines.push(
    '',
    `Goals, the toolkit against the hand-written checked k6 script (latency at ${LATENCY_GOAL_RATES.join(' and ')} ` +
      `req/s, CPU and memory at ${GOAL_RATE} req/s):`,
    '',
    '| endpoint | goal | toolkit | checked | bound | met |',
    '| --- | --- | --- | --- | --- | --- |',
  );
  for (const g of r.goals)
    lines.push(
      `| ${g.endpoint} | ${g.goal} | ${fixed(g.toolkit, 3)} | ${fixed(g.checked, 3)} ` +
        `| ${fixed(g.bound, 3)} | ${g.met ? 'yes' : 'no'} |`,
    );
  return lines;
}

export const distortion: Experiment<DistortionResult> = {
  name: 'distortion',
  title: 'Distortion at fixed offered rates',
  run,
  table,
};
