/**
 * What the workload does to a real server, measured with the toolkit alone: the stream scenario run
 * by the runner (scripts/run.ts) against llama.cpp's llama-server on the tiny model, one request at a
 * time so that TTFT is the server's prefill and not a queue:
 *
 *   - TTFT at two input lengths (128 and 1024 tokens): the cost of prefill;
 *   - shared prefixes (768 tokens, 2 groups, in 1024-token prompts) with the prompt cache on and off;
 *
 * each with the report's asked and received token counts and llama.cpp's own counters
 * (llamacpp:prompt_tokens_total, llamacpp:prompt_tokens_cached_total) beside what the report says
 * was sent. Not a test: it measures, and asserts nothing.
 *
 *   npm run bench -- workload [--inputs 128,1024] [--requests 4] [--prefix 768:2] [--out DIR] [--quick]
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import type { Report, ScenarioReport } from '../src/core/types.js';
import { parseFlags, usageText } from '../src/node/flags/declare.js';
import { invalid, whole } from '../src/node/flags/values.js';
import { WORKLOAD_BENCH } from './flags.js';
import { freePort } from '../test/support/free-port.js';

const ROOT = path.resolve(import.meta.dirname, '..');

interface Options {
  inputs: [number, number];
  requests: number;
  prefix: { tokens: number; groups: number };
  cacheInput: number;
  out: string | null;
  quick: boolean;
}

export interface WorkloadRun {
  name: string;
  args: string[];
  exitCode: number | null;
  requests: number;
  successes: number;
  ttftMs: { p50: number; p95: number } | null;
  input: { asked: number | null; received: number | null; extra: string | null };
  cache: { hits: number; requests: number; cachedSharePct: number | null } | null;
  ttftHitMs: number | null;
  ttftMissMs: number | null;
  counters: Array<{ metric: string; server: number | null; report: number; agree: boolean }>;
}

function parse(args: readonly string[]): Options {
  const f = parseFlags(WORKLOAD_BENCH, args);
  const quick = f.has('--quick');
  const pair = (flag: string, text: string): [number, number] => {
    const [a, b, more] = text.split(',').map((t) => whole(100_000)(flag, t.trim()));
    if (a === undefined || b === undefined || more !== undefined) invalid(flag, 'two input lengths, A,B', text);
    return [a, b];
  };
  const prefixOf = (flag: string, text: string): { tokens: number; groups: number } => {
    const [t, g] = text.split(':');
    return { tokens: whole(100_000)(flag, t ?? ''), groups: whole(100)(flag, g ?? '') };
  };
  const o: Options = {
    inputs: f.value('--inputs', pair) ?? (quick ? [32, 128] : [128, 1024]),
    requests: f.value('--requests', whole(1000)) ?? (quick ? 2 : 4),
    prefix: f.value('--prefix', prefixOf) ?? (quick ? { tokens: 96, groups: 2 } : { tokens: 768, groups: 2 }),
    cacheInput: quick ? 128 : 1024,
    out: f.text('--out') ?? null,
    quick,
  };
  f.has('--help');
  f.done();
  if (o.prefix.tokens > o.cacheInput)
    invalid('--prefix', `a prefix of at most ${o.cacheInput} tokens`, o.prefix.tokens);
  return o;
}

/** One run of the stream scenario through the runner; its report. */
async function runner(args: string[]): Promise<{ code: number | null; report: Report | null }> {
  const out = await mkdtemp(path.join(os.tmpdir(), 'realizar-k6-bench-workload-'));
  try {
    const argv = [...args, '--port', String(await freePort()), '--no-dashboard', '--out-dir', out];
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts', 'run.ts'), ...argv], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const file = path.join(out, 'latest', 'report.json');
    const report = existsSync(file) ? (JSON.parse(await readFile(file, 'utf8')) as Report) : null;
    return { code, report };
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

function figures(name: string, args: string[], code: number | null, s: ScenarioReport | undefined): WorkloadRun {
  const w = s?.workload ?? null;
  const e = w?.inputTokens.extra ?? null;
  return {
    name,
    args,
    exitCode: code,
    requests: s?.totals.requests ?? 0,
    successes: s?.totals.successes ?? 0,
    ttftMs: s?.streaming?.ttftMs == null ? null : { p50: s.streaming.ttftMs.p50, p95: s.streaming.ttftMs.p95 },
    input: {
      asked: w?.inputTokens.asked?.p50 ?? null,
      received: w?.inputTokens.received?.p50 ?? null,
      extra: e === null ? null : e.min === e.max ? String(e.min) : `${e.min}–${e.max}`,
    },
    cache:
      w?.cache == null
        ? null
        : { hits: w.cache.hits, requests: w.cache.requests, cachedSharePct: w.cache.cachedSharePct },
    ttftHitMs: w?.cache?.ttftHitMs?.p50 ?? null,
    ttftMissMs: w?.cache?.ttftMissMs?.p50 ?? null,
    counters: (s?.prometheus?.crossCheck ?? [])
      .filter((c) => c.serverMetric.startsWith('llamacpp:prompt_tokens'))
      .map((c) => ({ metric: c.serverMetric, server: c.serverDelta, report: c.k6Count, agree: c.agree })),
  };
}

export async function runWorkloadBench(o: Options, log: (m: string) => void): Promise<WorkloadRun[]> {
  const base = ['stream', '--server', 'llamacpp', '--output-tokens', '8', '--concurrency', '1', '--timeout', '600'];
  const plans: Array<{ name: string; args: string[] }> = [
    ...o.inputs.map((n) => ({
      name: `input ${n}`,
      args: ['--input-tokens', String(n), '--requests', String(o.requests)],
    })),
    ...(['off', 'on'] as const).map((cache) => ({
      name: `prefix ${o.prefix.tokens}×${o.prefix.groups}, cache ${cache}`,
      args: ['--input-tokens', String(o.cacheInput), '--prefix-tokens', String(o.prefix.tokens)]
        .concat(['--prefix-groups', String(o.prefix.groups), '--prompt-cache', cache])
        .concat(['--requests', String(Math.max(o.requests, 2 * o.prefix.groups + 2))]),
    })),
  ];
  const runs: WorkloadRun[] = [];
  for (const p of plans) {
    const args = [...base, ...p.args];
    log(`${p.name}: npm run k6:${args[0]} -- ${args.slice(1).join(' ')}`);
    const { code, report } = await runner(args);
    runs.push(figures(p.name, args, code, report?.scenarios[0]));
  }
  return runs;
}

const n = (v: number | null | undefined, d = 0): string => (v == null ? 'n/a' : v.toFixed(d));

export function workloadTable(runs: readonly WorkloadRun[]): string {
  const head = ['run', 'requests ok', 'TTFT p50 ms', 'TTFT p95 ms', 'input asked p50', 'received p50']
    .concat(['server framing', 'cache hits', 'cached share', 'TTFT hit / miss p50 ms'])
    .join(' | ');
  const lines = [`| ${head} |`, '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |'];
  for (const r of runs) {
    const cells = [r.name, `${r.successes} of ${r.requests}`, n(r.ttftMs?.p50), n(r.ttftMs?.p95), n(r.input.asked)]
      .concat([n(r.input.received), r.input.extra ?? 'n/a'])
      .concat(
        r.cache === null
          ? ['n/a', 'n/a']
          : [`${r.cache.hits} of ${r.cache.requests}`, `${n(r.cache.cachedSharePct, 1)}%`],
      )
      .concat([`${n(r.ttftHitMs)} / ${n(r.ttftMissMs)}`]);
    lines.push(`| ${cells.join(' | ')} |`);
  }
  lines.push(
    '',
    "llama.cpp's own counters (GET /metrics before and after) against the prompts the report says were sent:",
  );
  lines.push('', '| run | counter | server | report | agree |', '| --- | --- | ---: | ---: | --- |');
  for (const r of runs)
    for (const c of r.counters)
      lines.push(`| ${r.name} | ${c.metric} | ${n(c.server)} | ${c.report} | ${c.agree ? 'yes' : 'NO'} |`);
  return lines.join('\n');
}

/** Run it and write bench/results/<date>-workload.{json,md} (or into --out DIR). */
export async function main(args: readonly string[]): Promise<void> {
  const { generateIfStale } = await import('../build/codegen.js');
  await generateIfStale();
  const { writeAtomic } = await import('../src/node/files/report-files.js');
  if (args.includes('--help')) {
    process.stdout.write(`${usageText(WORKLOAD_BENCH)}\n`);
    return;
  }
  const o = parse(args);
  const load = os.loadavg()[0]!;
  const date = new Date().toISOString();
  const runs = await runWorkloadBench(o, (m) => process.stderr.write(`[bench] ${m}\n`));
  const table = workloadTable(runs);
  const dir = o.out === null ? path.join(ROOT, 'bench', 'results') : path.resolve(o.out);
  const stamp = `${date.slice(0, 13)}${date.slice(14, 16)}Z-workload${o.quick ? '-quick' : ''}`;
  let base = path.join(dir, stamp);
  for (let k = 2; existsSync(`${base}.json`) || existsSync(`${base}.md`); k++) base = path.join(dir, `${stamp}-${k}`);
  const machine = {
    cores: os.availableParallelism(),
    cpu: os.cpus()[0]?.model ?? 'unknown',
    loadAvgAtStart: load,
    loadAvgAtEnd: os.loadavg()[0]!,
  };
  const note =
    `Machine: ${machine.cores} cores (${machine.cpu}); 1-minute load average ${load.toFixed(2)} at the start, ` +
    `${machine.loadAvgAtEnd.toFixed(2)} at the end (other work on the machine shows here). llama-server on the ` +
    'tiny model (`--server llamacpp`, 2 threads, 4 slots), the stream scenario over its chat stream, one request ' +
    'at a time, 8 output tokens each.';
  await writeAtomic(`${base}.json`, `${JSON.stringify({ date, machine, options: o, runs }, null, 2)}\n`);
  await writeAtomic(`${base}.md`, `# Workloads on llama-server (${date})\n\n${note}\n\n${table}\n`);
  process.stdout.write(`${note}\n\n${table}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main(process.argv.slice(2));
