/** How long esbuild takes to bundle every scenario into a k6 script (it runs before each run). */
import { bundleScenarios } from '../../build/bundle.js';
import { listScenarios } from '../../src/node/run/scenarios.js';
import type { BenchContext } from '../lib/context.js';
import { spread, stat, type Stat } from '../lib/stats.js';
import type { Experiment } from './experiment.js';

export interface BundlingResult {
  scenarios: number;
  ms: Stat;
}

async function run(ctx: BenchContext): Promise<BundlingResult> {
  const names = await listScenarios();
  const times: number[] = [];
  for (let round = 1; round <= ctx.settings.rounds; round++) {
    const t = performance.now();
    await bundleScenarios(names, await ctx.dir('bundle'), null);
    times.push(performance.now() - t);
  }
  return { scenarios: names.length, ms: stat(times) };
}

function table(r: BundlingResult): string[] {
  return [
    '| measure | ms | goal |',
    '| --- | --- | --- |',
    `| bundling ${r.scenarios} scenarios (esbuild) | ${spread(r.ms, 1)} | < 1000 |`,
  ];
}

export const bundling: Experiment<BundlingResult> = { name: 'bundling', title: 'Bundling', run, table };
