/**
 * npm run bench: what the toolkit costs as a load generator on this machine. Not a test: it
 * measures and writes a record (JSON, and the same as Markdown tables); nothing here asserts a
 * figure. Each experiment is a module of bench/experiments (see bench/README.md); this entry parses
 * the flags, runs the chosen experiments in turn and writes the record where asked.
 *
 *   npm run bench -- [--only distortion,ceiling,...,soak] [--rounds N] [--quick] [--out PATH]
 *                    [--rates 200,500,1000] [--duration SEC] [--clients N] [--endpoints generate,health]
 *   npm run bench -- stream-accuracy [options]    (bench/stream-accuracy.ts)
 *   npm run bench -- segments-truth [options]     (bench/segments-truth.ts)
 *   npm run bench -- workload [options]           (bench/workload.ts)
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { generateIfStale } from '../build/codegen.js';

await generateIfStale();
// How true the streamed figures are: an experiment with options of its own.
if (process.argv[2] === 'stream-accuracy') {
  await (await import('./stream-accuracy.js')).main(process.argv.slice(3));
  process.exit(0);
}
// One report from a split run, against the whole: a record of its own.
if (process.argv[2] === 'segments-truth') {
  await (await import('./segments-truth.js')).main(process.argv.slice(3));
  process.exit(0);
}
// What shaped workloads do to llama-server: prefill cost and its prompt cache.
if (process.argv[2] === 'workload') {
  await (await import('./workload.js')).main(process.argv.slice(3));
  process.exit(0);
}
const { parseFlags, usageText } = await import('../src/node/flags/declare.js');
const { BENCH, DEFAULT_EXPERIMENTS, EXPERIMENT_NAMES } = await import('./flags.js');
const { killAllNow } = await import('../src/node/process/processes.js');
const { ROOT } = await import('../src/node/files/paths.js');
const { createContext } = await import('./lib/context.js');
const { recordPaths, writeRecord } = await import('./lib/results.js');
const { parseBenchSettings } = await import('./lib/settings.js');
const experiments = await import('./experiments/index.js');

process.on('exit', killAllNow);
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => process.exit(130));

const flags = parseFlags(BENCH, process.argv.slice(2));
if (flags.has('--help')) {
  process.stdout.write(`${usageText(BENCH)}\n`);
  process.exit(0);
}
const { settings, only, out } = parseBenchSettings(flags, EXPERIMENT_NAMES, DEFAULT_EXPERIMENTS);
const log = (m: string): boolean => process.stderr.write(`[bench] ${m}\n`);
const work = await mkdtemp(path.join(os.tmpdir(), 'realizar-k6-bench-'));
const started = new Date();
const loadAtStart = os.loadavg()[0]!;
const results: Record<string, unknown> = {};
const sections: string[] = [];
try {
  const ctx = await createContext(settings, work, log);
  for (const e of experiments.ALL.filter((x) => (only as string[]).includes(x.name))) {
    log(e.title);
    const { result, table } = await e.run(ctx);
    results[e.name] = result;
    sections.push(`## ${e.title}\n\n${table.join('\n')}\n`);
  }
  const cpu = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown';
  const machine = {
    cores: os.availableParallelism(),
    cpu,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    k6: ctx.k6.version,
    realizar: ctx.realizar.version,
    loadAvgAtStart: loadAtStart,
    loadAvgAtEnd: os.loadavg()[0]!,
  };
  const record = { date: started.toISOString(), machine, settings, experiments: only, ...results };
  const head =
    `# Benchmark of ${started.toISOString()}\n\n` +
    `${machine.cores} cores (${cpu}), k6 ${machine.k6}, Realizar ${machine.realizar}; ` +
    `1-minute load average ${loadAtStart.toFixed(2)} at the start, ${machine.loadAvgAtEnd.toFixed(2)} at the end ` +
    '(other work on the machine shows here).\n';
  const markdown = [head, ...sections].join('\n');
  const paths = recordPaths(out, path.join(ROOT, 'bench', 'results'), started, settings.quick);
  await writeRecord(paths, record, markdown);
  process.stdout.write(`${markdown}\n`);
  log(`record: ${paths.json} and ${paths.md}`);
} finally {
  killAllNow();
  await rm(work, { recursive: true, force: true });
}
