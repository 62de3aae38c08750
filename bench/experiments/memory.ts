/**
 * k6's peak memory by number of clients (VUs), each sending 20 requests to GET /health: the
 * toolkit's k6 (its runner's health run, --requests and --clients) beside the hand-written checked
 * script. k6 builds every VU's JavaScript runtime from the whole script, so the per-VU figure
 * grows with the script.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { K6_FILES } from '../../src/core/contract.js';
import type { BenchContext } from '../lib/context.js';
import { benchK6Argv, timed } from '../lib/measure.js';
import { fixed, Runs, spread, type Stat } from '../lib/stats.js';
import { toolkitRun } from '../lib/toolkit-run.js';
import type { Experiment } from './experiment.js';

export interface MemoryResult {
  /** `${vus}|toolkit` or `${vus}|checked` → peak RSS in MB. */
  peakRssMb: Record<string, Stat>;
  vus: number[];
}

async function run(ctx: BenchContext): Promise<MemoryResult> {
  const vusList = ctx.settings.quick ? [10, 100] : [10, 100, 1000];
  const runs = new Runs();
  const server = await ctx.server();
  try {
    for (const vus of vusList) {
      for (let round = 1; round <= Math.min(ctx.settings.rounds, 3); round++) {
        ctx.log(`k6 memory at ${vus} VUs, round ${round}`);
        const requests = vus * 20;
        const t = await toolkitRun(ctx, server, {
          scenario: 'health',
          args: ['--requests', String(requests), '--clients', String(vus)],
          label: `memory-${vus}`,
        });
        runs.add(`${vus}|toolkit`, t.k6.peakRssMb);
        const dir = await ctx.dir(`memory-checked-${vus}`);
        const bench = { BENCH_VUS: vus, BENCH_REQUESTS: requests };
        const argv = benchK6Argv(ctx.k6.path, { baseUrl: server.baseUrl, outDir: dir, bench }, 'checked.js');
        const c = await timed('k6', argv, { env: { K6_NO_COLOR: 'true' }, timeFile: path.join(dir, 'time.txt') });
        if ((await readFile(path.join(dir, K6_FILES.summary), 'utf8').catch(() => null)) === null)
          throw new Error(`checked.js failed at ${vus} VUs:\n${c.output.slice(-2000)}`);
        runs.add(`${vus}|checked`, c.peakRssMb);
      }
    }
  } finally {
    await server.stop();
  }
  return { peakRssMb: runs.stats(), vus: vusList };
}

/** The goal: at 1,000 VUs, the toolkit's k6 within 1.3x the checked script's memory per VU. */
const GOAL_VUS = 1000;
const GOAL_RATIO = 1.3;

function table(r: MemoryResult): string[] {
  const lines = [
    "| VUs | toolkit's k6 (MB) | per VU | checked script (MB) | per VU | ratio | goal |",
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const vus of r.vus) {
    const t = r.peakRssMb[`${vus}|toolkit`]!;
    const c = r.peakRssMb[`${vus}|checked`]!;
    const ratio = t.median / c.median;
    const goal = vus !== GOAL_VUS ? '' : `≤ ${GOAL_RATIO}x: ${ratio <= GOAL_RATIO ? 'met' : '**not met**'}`;
    lines.push(
      `| ${vus} | ${spread(t, 1)} | ${fixed(t.median / vus, 2)} | ${spread(c, 1)} | ${fixed(c.median / vus, 2)} ` +
        `| ${fixed(ratio, 2)}x | ${goal} |`,
    );
  }
  return lines;
}

export const memory: Experiment<MemoryResult> = { name: 'memory', title: 'k6 memory per VU', run, table };
