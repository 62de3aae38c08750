/**
 * How true the streamed figures are: the stream scenario, run through the same k6 script and
 * browser set-up as `npm run k6:stream`, against src/node/calibrate/reference-server.ts (first token a
 * set time after each request arrives, then one token per set gap), at several concurrencies. For
 * each: the client's TTFT, inter-token and end-to-end percentiles minus the server's own (from when
 * it actually wrote each event), the counts on both sides, and what k6 and its Chromium cost per
 * concurrent stream (/proc, src/node/watch/generator.ts). Not a test: it measures, and asserts nothing.
 *
 *   node --import tsx bench/stream-accuracy.ts [--concurrency 1,8,32,64] [--per-client 10]
 *        [--rounds 3] [--api realizar|openai] [--first-token-ms 100] [--gap-ms 20] [--tokens 16]
 *        [--browser-args flag,flag] [--out DIR] [--quick]
 *
 * or `npm run bench -- stream-accuracy [the same options]`; it writes
 * bench/results/<date>T<hhmm>Z-stream-accuracy.{json,md}.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { summarizeGenerator } from '../src/core/watch/generator.js';
import type { GeneratorReport } from '../src/core/types.js';
import { lateness, stats, truthFigures, type ClientStat } from '../src/core/stream/reference-truth.js';
import { parseFlags, usageText } from '../src/node/flags/declare.js';
import { choice, invalid } from '../src/node/flags/values.js';
import { STREAM_ACCURACY } from './flags.js';
import { accuracyTable } from './lib/accuracy-table.js';

export interface AccuracyOptions {
  concurrency: number[];
  perClient: number;
  rounds: number;
  api: 'realizar' | 'openai';
  firstTokenMs: number;
  gapMs: number;
  tokens: number;
  browserArgs: string[];
}

export interface AccuracyRun {
  concurrency: number;
  round: number;
  requests: number;
  client: {
    sent: number;
    ok: number;
    failed: number;
    windowSec: number | null;
    /** When the window started, epoch ms (to line it up with other samples of the machine). */
    windowStartEpochMs: number | null;
    ttft: ClientStat | null;
    itl: ClientStat | null;
    e2e: ClientStat | null;
    sendWait: ClientStat | null;
  };
  server: {
    received: number;
    completed: number;
    aborted: number;
    ttft: ClientStat | null;
    itl: ClientStat | null;
    e2e: ClientStat | null;
  };
  /** Client minus server, ms. */
  late: { ttft: Diff | null; itl: Diff | null; e2e: Diff | null };
  generator: GeneratorReport | null;
  /** k6 + browser during the window, % of one core per concurrent stream; memory (PSS) per concurrent stream. */
  perStream: { cpuPctOfOneCore: number | null; memMb: number | null };
  /**
   * The reader's cost per chunk: k6's and Chromium's CPU over the window, in ms, over the events the
   * server wrote (each token and each end, every one its own write; a read may take two that arrived together).
   */
  perChunk: { events: number; cpuMs: number | null };
  loadAvg: number;
}
type Diff = { p50: number; p95: number; p99: number };

const ROOT = path.resolve(import.meta.dirname, '..');

type Values = Record<string, number>;
const clientStat = (v: Values | undefined): ClientStat | null =>
  v === undefined || !v['count'] ? null : { p50: v['p(50)']!, p95: v['p(95)']!, p99: v['p(99)']!, count: v['count'] };

/** k6's and Chromium's CPU over the window, ms, per event the server wrote (tokens and ends). */
export function readerCostPerChunk(
  generator: GeneratorReport | null,
  requests: ReadonlyArray<{ tokenWritesMs: number[]; endMs: number | null }>,
): { events: number; cpuMs: number | null } {
  const events = requests.reduce((sum, r) => sum + r.tokenWritesMs.length + (r.endMs === null ? 0 : 1), 0);
  const pct = generator?.loadCpuPctOfOneCore ?? null;
  const sec = generator?.loadSec ?? null;
  return { events, cpuMs: pct === null || sec === null || events === 0 ? null : ((pct / 100) * sec * 1000) / events };
}

export async function runAccuracy(
  o: AccuracyOptions,
  log: (m: string) => void = (m) => process.stderr.write(`[stream-accuracy] ${m}\n`),
): Promise<AccuracyRun[]> {
  const { cacheDirFrom } = await import('../src/node/config/index.js');
  const { resolveK6 } = await import('../src/node/tools/tools.js');
  const { GeneratorSampler } = await import('../src/node/watch/generator.js');
  const { bundleScenarios } = await import('../build/bundle.js');
  const { runAgainstReference } = await import('../src/node/calibrate/reference-run.js');

  const k6 = await resolveK6({ flagPath: null, cacheDir: cacheDirFrom(process.env) });
  const work = await mkdtemp(path.join(os.tmpdir(), 'realizar-k6-stream-accuracy-'));
  const [script] = await bundleScenarios(['stream'], path.join(work, 'bundle'), null, { houseBlock: false });
  const runs: AccuracyRun[] = [];
  try {
    // Rounds interleave the levels, so a busy minute of the machine does not fall on one level.
    for (let round = 1; round <= o.rounds; round++) {
      for (const n of o.concurrency) {
        const requests = n * o.perClient;
        log(`round ${round}: ${n} concurrent stream(s), ${requests} requests`);
        let sampler: InstanceType<typeof GeneratorSampler> | null = null;
        const reference = await runAgainstReference({
          k6: k6.path,
          script: script!,
          outDir: path.join(work, `c${n}-r${round}`),
          clients: n,
          requests,
          api: o.api,
          firstTokenMs: o.firstTokenMs,
          gapMs: o.gapMs,
          tokens: o.tokens,
          browserArgs: o.browserArgs,
          onStart: (child) => (sampler = new GeneratorSampler(child.pid, 250).start()),
        });
        const exit = { code: reference.exitCode };
        const samples = (sampler as InstanceType<typeof GeneratorSampler> | null)?.stop() ?? [];
        const m = (k: string): Values | undefined => reference.metrics[k];
        const truth = reference.truth;
        const t = truthFigures(truth.requests);
        const failed = m('request_failed');
        const windowMs = m('stream_window_ms')?.['count'] ?? null;
        const startMs = m('stream_window_start_epoch_ms')?.['value'] ?? null;
        const generator = summarizeGenerator(
          samples,
          startMs !== null && windowMs !== null ? { startMs, endMs: startMs + windowMs } : null,
          os.availableParallelism(),
          250,
        );
        const memMb = generator === null ? null : generator.k6.peakMemMb + (generator.browser?.peakMemMb ?? 0);
        const run: AccuracyRun = {
          concurrency: n,
          round,
          requests,
          client: {
            sent: (failed?.['passes'] ?? 0) + (failed?.['fails'] ?? 0),
            ok: m('requests_ok')?.['count'] ?? 0,
            failed: failed?.['passes'] ?? 0,
            windowSec: windowMs === null ? null : windowMs / 1000,
            windowStartEpochMs: startMs,
            ttft: clientStat(m('stream_ttft')),
            itl: clientStat(m('stream_itl')),
            e2e: clientStat(m('stream_e2e')),
            sendWait: clientStat(m('stream_send_wait')),
          },
          server: {
            received: truth.requests.length,
            completed: t.completed,
            aborted: t.aborted,
            ttft: stats(t.ttftMs),
            itl: stats(t.itlMs),
            e2e: stats(t.e2eMs),
          },
          late: {
            ttft: lateness(clientStat(m('stream_ttft')), t.ttftMs),
            itl: lateness(clientStat(m('stream_itl')), t.itlMs),
            e2e: lateness(clientStat(m('stream_e2e')), t.e2eMs),
          },
          generator,
          perStream: {
            cpuPctOfOneCore: generator?.loadCpuPctOfOneCore == null ? null : generator.loadCpuPctOfOneCore / n,
            memMb: memMb === null ? null : memMb / n,
          },
          perChunk: readerCostPerChunk(generator, truth.requests),
          loadAvg: os.loadavg()[0]!,
        };
        const { late, client } = run;
        log(
          `  k6 exit ${exit.code}; sent ${client.sent}, ok ${client.ok}, server completed ${t.completed}; ` +
            `late ms: TTFT p50 ${late.ttft?.p50.toFixed(2)} p95 ${late.ttft?.p95.toFixed(2)}, ` +
            `ITL p50 ${late.itl?.p50.toFixed(2)}, e2e p50 ${late.e2e?.p50.toFixed(2)}; ` +
            `browser send wait p50 ${client.sendWait?.p50.toFixed(2)} p95 ${client.sendWait?.p95.toFixed(2)} ` +
            `(${client.sendWait?.count ?? 0} of ${client.sent}); ` +
            `reader CPU ${run.perChunk.cpuMs?.toFixed(3)} ms per chunk; ` +
            `generator ${generator?.loadCpuPctOfOneCore}% of a core, wait ${generator?.runQueueWaitPct}%, ` +
            `machine ${generator?.machineBusyPct}%`,
        );
        runs.push(run);
      }
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return runs;
}

/** The accuracy benchmark's flags, parsed against their declaration (bench/flags.ts). */
export function parseAccuracyArgs(args: readonly string[]): AccuracyOptions & { out: string | null; quick: boolean } {
  const f = parseFlags(STREAM_ACCURACY, args);
  const quick = f.has('--quick');
  const atLeastZero = (flag: string, text: string): number => {
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n) || n < 0) invalid(flag, 'a number >= 0', text);
    return n;
  };
  const levels = f.value('--concurrency', (flag, text) => {
    const list = text.split(',').map(Number);
    if (list.some((n) => !Number.isInteger(n) || n < 1)) invalid(flag, 'whole numbers like 1,8,32,64', text);
    return list;
  });
  const options = {
    concurrency: levels ?? (quick ? [8] : [1, 8, 32, 64]),
    perClient: f.value('--per-client', atLeastZero, quick ? 2 : 10),
    rounds: f.value('--rounds', atLeastZero, quick ? 1 : 3),
    api: f.value('--api', choice(['realizar', 'openai'] as const), 'realizar'),
    firstTokenMs: f.value('--first-token-ms', atLeastZero, 100),
    gapMs: f.value('--gap-ms', atLeastZero, 20),
    tokens: f.value('--tokens', atLeastZero, 16),
    browserArgs: (f.text('--browser-args') ?? '').split(',').filter((a) => a !== ''),
    out: f.text('--out') ?? null,
    quick,
  };
  f.has('--help');
  f.done();
  return options;
}

/** Run it and write bench/results/<date>-stream-accuracy.{json,md} (or into --out DIR). */
export async function main(args: readonly string[]): Promise<void> {
  const { generateIfStale } = await import('../build/codegen.js');
  await generateIfStale();
  const { killAllNow } = await import('../src/node/process/processes.js');
  const { writeAtomic } = await import('../src/node/files/report-files.js');
  process.on('exit', killAllNow);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => process.exit(130));
  if (args.includes('--help')) {
    process.stdout.write(`${usageText(STREAM_ACCURACY)}\n`);
    return;
  }
  const o = parseAccuracyArgs(args);
  const load = os.loadavg()[0]!;
  const date = new Date().toISOString();
  const runs = await runAccuracy(o);
  const table = accuracyTable(runs, o);
  const dir = o.out === null ? path.join(ROOT, 'bench', 'results') : path.resolve(o.out);
  // 2026-11-28T0807Z-stream-accuracy, as the other records are named; never written over.
  const stamp = `${date.slice(0, 13)}${date.slice(14, 16)}Z-stream-accuracy${o.quick ? '-quick' : ''}`;
  let base = path.join(dir, stamp);
  for (let n = 2; existsSync(`${base}.json`) || existsSync(`${base}.md`); n++) base = path.join(dir, `${stamp}-${n}`);
  const machine = {
    cores: os.availableParallelism(),
    cpu: os.cpus()[0]?.model ?? 'unknown',
    loadAvgAtStart: load,
    loadAvgAtEnd: os.loadavg()[0]!,
  };
  const note =
    `Machine: ${machine.cores} cores (${machine.cpu}); ` +
    `1-minute load average ${load.toFixed(2)} at the start, ${machine.loadAvgAtEnd.toFixed(2)} at the end ` +
    '(other work on the machine shows here).';
  await writeAtomic(`${base}.json`, `${JSON.stringify({ date, machine, options: o, runs }, null, 2)}\n`);
  await writeAtomic(`${base}.md`, `# Streamed measurement accuracy (${date})\n\n${note}\n\n${table}\n`);
  process.stdout.write(`${note}\n\n${table}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main(process.argv.slice(2));
