/**
 * What judging every body costs: the toolkit's closed generate run (10 clients) with body
 * validation on and off (VALIDATE_BODIES, read by k6 from the runner's environment), once with
 * the seed's one prompt (the demo server then answers the same body every time, and a body equal
 * to the last one that passed keeps its verdict without being parsed again) and once with a prompt
 * set of distinct prompts (no request repeats, so every body is parsed and validated).
 */
import { encodeK6Vars } from '../../src/core/contract.js';
import type { BenchContext } from '../lib/context.js';
import { fixed, Runs, spread, type Stat } from '../lib/stats.js';
import { toolkitRun } from '../lib/toolkit-run.js';
import type { Experiment } from './experiment.js';

export interface ValidationResult {
  requests: number;
  /** k6 CPU seconds per 1000 requests, per variant. */
  cpuPer1000: Record<string, Stat>;
  throughputRps: Record<string, Stat>;
}

const VARIANTS = [
  { name: 'seed prompt, validation on', validate: true, prompts: false },
  { name: 'seed prompt, validation off', validate: false, prompts: false },
  { name: 'distinct prompts, validation on', validate: true, prompts: true },
  { name: 'distinct prompts, validation off', validate: false, prompts: true },
] as const;

async function run(ctx: BenchContext): Promise<ValidationResult> {
  const requests = ctx.settings.quick ? 2_000 : 10_000;
  const prompts = await ctx.promptSet(requests);
  const cpu = new Runs();
  const rps = new Runs();
  const server = await ctx.server();
  try {
    for (let round = 1; round <= ctx.settings.rounds; round++) {
      for (const v of VARIANTS) {
        ctx.log(`validation, round ${round}/${ctx.settings.rounds}: ${v.name}`);
        const args = ['--requests', String(requests), '--clients', '10', ...(v.prompts ? ['--prompts', prompts] : [])];
        const t = await toolkitRun(ctx, server, {
          scenario: 'generate',
          args,
          env: encodeK6Vars({ VALIDATE_BODIES: v.validate }),
          label: 'validation',
        });
        cpu.add(v.name, (t.k6.cpuSec / t.sent) * 1000);
        rps.add(v.name, t.throughputRps);
      }
    }
  } finally {
    await server.stop();
  }
  return { requests, cpuPer1000: cpu.stats(), throughputRps: rps.stats() };
}

function table(r: ValidationResult, ctx: BenchContext): string[] {
  const lines = [
    `Closed model, 10 clients, ${r.requests} requests to POST /generate per run; ` +
      `median (min–max) of ${ctx.settings.rounds} round(s).`,
    '',
    '| variant | k6 CPU s / 1000 req | requests/s |',
    '| --- | --- | --- |',
  ];
  for (const v of VARIANTS)
    lines.push(`| ${v.name} | ${spread(r.cpuPer1000[v.name]!, 3)} | ${spread(r.throughputRps[v.name]!)} |`);
  const share = (on: string, off: string): string => fixed(1 - r.cpuPer1000[off]!.median / r.cpuPer1000[on]!.median, 2);
  lines.push(
    '',
    `Share of k6's CPU spent judging bodies: ${share(VARIANTS[0].name, VARIANTS[1].name)} with the seed's prompt, ` +
      `${share(VARIANTS[2].name, VARIANTS[3].name)} when every body is parsed.`,
  );
  return lines;
}

export const validation: Experiment<ValidationResult> = { name: 'validation', title: 'Validation share', run, table };
