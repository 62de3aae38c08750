/**
 * What the runner adds around k6, in time: from the command to k6's start (Node and tsx, building
 * the scripts, checking the plan and the target) and from k6's end to the runner's exit (reading
 * the samples, the report in every form). Tools already built; the server runs already, so its
 * start is not counted. A short health run, as a quick check would be.
 */
import type { BenchContext } from '../lib/context.js';
import { spread, stat, type Stat } from '../lib/stats.js';
import { toolkitRun } from '../lib/toolkit-run.js';
import type { Experiment } from './experiment.js';

export interface OrchestrationResult {
  commandToK6StartMs: Stat;
  k6EndToExitMs: Stat;
  totalMs: Stat;
}

async function run(ctx: BenchContext): Promise<OrchestrationResult> {
  const before: number[] = [];
  const after: number[] = [];
  const server = await ctx.server();
  try {
    for (let round = 1; round <= ctx.settings.rounds; round++) {
      ctx.log(`orchestration, round ${round}/${ctx.settings.rounds}`);
      const t = await toolkitRun(ctx, server, {
        scenario: 'health',
        args: ['--scale', '0.1', '--server-profile', 'none'],
        label: 'orchestration',
      });
      before.push(t.k6.startMs - t.commandMs);
      after.push(t.exitMs - t.k6.endMs);
    }
  } finally {
    await server.stop();
  }
  return {
    commandToK6StartMs: stat(before),
    k6EndToExitMs: stat(after),
    totalMs: stat(before.map((b, i) => b + after[i]!)),
  };
}

function table(r: OrchestrationResult): string[] {
  return [
    '| measure | ms | goal |',
    '| --- | --- | --- |',
    `| command → k6 started | ${spread(r.commandToK6StartMs)} | |`,
    `| k6 ended → report written, runner exited | ${spread(r.k6EndToExitMs)} | |`,
    `| orchestration overhead, total | ${spread(r.totalMs)} | < 2000 |`,
  ];
}

export const orchestration: Experiment<OrchestrationResult> = {
  name: 'orchestration',
  title: 'Orchestration overhead',
  run,
  table,
};
