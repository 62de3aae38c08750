/** Every experiment, in the order a full run makes them. */
import type { BenchContext } from '../lib/context.js';
import { arrivals } from './arrivals.js';
import { bundling } from './bundling.js';
import { ceiling } from './ceiling.js';
import { distortion } from './distortion.js';
import type { Experiment } from './experiment.js';
import { memory } from './memory.js';
import { orchestration } from './orchestration.js';
import { soak } from './soak.js';
import { streams } from './streams.js';
import { validation } from './validation.js';

/** An experiment whose result's shape is its own business: run it, then render what it returned. */
export interface Runnable {
  name: string;
  title: string;
  run: (ctx: BenchContext) => Promise<{ result: unknown; table: string[] }>;
}

function runnable<R>(e: Experiment<R>): Runnable {
  return {
    name: e.name,
    title: e.title,
    run: async (ctx) => {
      const result = await e.run(ctx);
      return { result, table: e.table(result, ctx) };
    },
  };
}

export const ALL: readonly Runnable[] = [
  runnable(distortion),
  runnable(ceiling),
  runnable(validation),
  runnable(orchestration),
  runnable(bundling),
  runnable(memory),
  runnable(soak),
  runnable(arrivals),
  runnable(streams),
];
