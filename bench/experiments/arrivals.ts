/**
 * Arrivals judged on the server's side: the toolkit's real runner sends each arrival process to the
 * test-only fault server, which notes when every request arrived on its own clock (GET /__arrivals).
 * From those times: the mean gap, the gaps' coefficient of variation and the index of dispersion of
 * the counts in 100 ms windows, against what the process promises; how late the generator sent each
 * request (its own record, request_start_late / stream_start_late); a trace replayed 10× faster,
 * each request's arrival offset against its trace time ÷ 10; and the finest gap kept (the share of
 * gaps under 0.5 ms, against the exponential's).
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { arrivalSchedule, scheduleStats, type ArrivalSpec } from '../../src/core/arrivals/schedule.js';
import { percentile } from '../../src/core/stats.js';
import type { Report } from '../../src/core/types.js';
import { ROOT } from '../../src/node/files/paths.js';
import { spawnGroup, stopChild } from '../../src/node/process/processes.js';
import { childEnv } from '../../src/node/process/child-env.js';
import type { BenchContext } from '../lib/context.js';
import { runnerArgv } from '../lib/toolkit-run.js';
import { k6Wrapper, timed } from '../lib/measure.js';
import type { Experiment } from './experiment.js';
import { readFile } from 'node:fs/promises';
import { freePort } from '../../test/support/free-port.js';

const RATE = 200;
const FAULT_SERVER = path.join(ROOT, 'test', 'support', 'fault-server.ts');

export interface ProcessResult {
  process: string;
  arrivals: number;
  planned: number;
  meanGapMs: number | null;
  gapCv: number | null;
  dispersion: number | null;
  /** Share of the gaps under 0.5 ms: observed, and what the process itself draws. */
  shortGapsPct: number;
  drawnShortGapsPct: number;
  /** The drawn schedule's own mean gap and CV: what the server should have seen. */
  drawnMeanGapMs: number | null;
  drawnGapCv: number | null;
  lateP50Ms: number | null;
  lateP99Ms: number | null;
  dropped: number;
}

export interface TraceResult {
  requests: number;
  timeScale: number;
  offsetErrorP50Ms: number;
  offsetErrorP99Ms: number;
  offsetErrorMaxMs: number;
}

export interface ArrivalsResult {
  rate: number;
  durationSec: number;
  processes: ProcessResult[];
  streams: ProcessResult | null;
  /** null: the replay could not be measured (why in traceError). */
  trace: TraceResult | null;
  traceError?: string;
}

interface Recorded {
  arrivalsMs: number[];
}

async function withServer<T>(ctx: BenchContext, flags: string, body: (port: number) => Promise<T>): Promise<T> {
  const port = await freePort();
  const cmd = `${process.execPath} --import tsx ${FAULT_SERVER} --port ${port} --record-arrivals ${flags}`;
  const child = spawnGroup('fault-server', cmd, { env: childEnv(), cwd: ROOT });
  try {
    for (let i = 0; i < 300; i++) {
      if (
        await fetch(`http://127.0.0.1:${port}/health`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      await sleep(100);
    }
    ctx.log(`fault server recording arrivals on port ${port}`);
    return await body(port);
  } finally {
    await stopChild(child, 2000);
  }
}

async function runToolkit(ctx: BenchContext, port: number, label: string, args: string[]): Promise<Report> {
  const dir = await ctx.dir(label);
  const wrapper = await k6Wrapper(dir, ctx.k6.path);
  const argv = runnerArgv(
    args[0]!,
    [...args.slice(1), '--no-server', '--port', String(port), '--no-dashboard'],
    wrapper.file,
    path.join(dir, 'reports'),
  );
  const r = await timed('runner', argv, { timeFile: path.join(dir, 'time.txt') });
  const report = JSON.parse(
    await readFile(path.join(dir, 'reports', 'latest', 'report.json'), 'utf8').catch(() => 'null'),
  ) as Report | null;
  if (report === null || (r.code !== 0 && r.code !== 1))
    throw new Error(`${label}: the run failed (exit ${r.code}):\n${r.output.slice(-3000)}`);
  return report;
}

async function recorded(port: number): Promise<number[]> {
  const r = (await (await fetch(`http://127.0.0.1:${port}/__arrivals`)).json()) as Recorded;
  return r.arrivalsMs;
}

const shortShare = (offsets: readonly number[]): number => {
  let short = 0;
  for (let i = 1; i < offsets.length; i++) if (offsets[i]! - offsets[i - 1]! < 0.5) short++;
  return offsets.length > 1 ? (short / (offsets.length - 1)) * 100 : 0;
};

function judged(
  process: string,
  spec: ArrivalSpec | null,
  arrived: number[],
  planned: number,
  report: Report,
): ProcessResult {
  const s = report.scenarios[0]!;
  const start = arrived[0] ?? 0;
  const offsets = arrived.map((t) => t - start);
  const stats = scheduleStats(offsets, 100);
  const drawn = spec === null ? [] : arrivalSchedule({ spec, count: planned, ratePerSec: RATE, seed: 7 });
  const drawnStats = drawn.length > 1 ? scheduleStats(drawn, 100) : null;
  const late = s.arrivals?.requestStartLateMs ?? s.streaming?.startLateMs ?? null;
  return {
    process,
    arrivals: arrived.length,
    planned,
    meanGapMs: stats?.meanGapMs ?? null,
    gapCv: stats?.gapCv ?? null,
    dispersion: stats?.dispersion ?? null,
    shortGapsPct: shortShare(offsets),
    drawnShortGapsPct: spec === null ? 0 : shortShare(drawn),
    drawnMeanGapMs: drawnStats?.meanGapMs ?? null,
    drawnGapCv: drawnStats?.gapCv ?? null,
    lateP50Ms: late?.p50 ?? null,
    lateP99Ms: late?.p99 ?? null,
    dropped: s.totals.dropped,
  };
}

async function oneProcess(
  ctx: BenchContext,
  text: string,
  spec: ArrivalSpec | null,
  sec: number,
): Promise<ProcessResult> {
  return withServer(ctx, '--latency 2', async (port) => {
    const args = [
      'sustained',
      '--mix',
      'generate',
      '--rate',
      String(RATE),
      '--duration',
      String(sec),
      '--clients',
      '50',
    ];
    const report = await runToolkit(ctx, port, `arrivals-${text.replace(':', '')}`, [
      ...args,
      '--arrivals',
      text,
      '--seed',
      '7',
    ]);
    return judged(text, spec, await recorded(port), RATE * sec, report);
  });
}

async function streams(ctx: BenchContext, sec: number): Promise<ProcessResult> {
  const rate = 50;
  return withServer(ctx, '--stream-chunks 20:1,10:1,10:1', async (port) => {
    const args = ['stream', '--rate', String(rate), '--duration', String(sec), '--concurrency', '32'];
    const report = await runToolkit(ctx, port, 'arrivals-streams', [...args, '--arrivals', 'poisson', '--seed', '7']);
    const r = judged('poisson (streams, 50/s)', null, await recorded(port), rate * sec, report);
    return r;
  });
}

async function trace(ctx: BenchContext, count: number): Promise<TraceResult> {
  const timeScale = 10;
  // A Mooncake-format trace: Poisson arrivals at 20/s recorded, replayed at 200/s.
  const times = arrivalSchedule({ spec: { process: 'poisson' }, count, ratePerSec: 20, seed: 11 }).map(Math.round);
  const dir = await ctx.dir('arrivals-trace-file');
  const file = path.join(dir, 'trace.jsonl');
  await writeFile(
    file,
    times.map((t) => JSON.stringify({ timestamp: t, input_length: 8, output_length: 4, hash_ids: [] })).join('\n'),
  );
  return withServer(ctx, '--latency 2', async (port) => {
    await runToolkit(ctx, port, 'arrivals-trace', [
      'generate',
      '--trace',
      file,
      '--time-scale',
      String(timeScale),
      '--clients',
      '50',
    ]);
    const arrived = await recorded(port);
    // The replay's start on the server's clock is unknown: each arrival against its due time, less the
    // median of those differences (the start's own delay), is how far the schedule's shape was kept.
    const diffs = arrived.map((t, i) => t - arrived[0]! - (times[i]! - times[0]!) / timeScale);
    const shift =
      percentile(
        [...diffs].sort((x, y) => x - y),
        50,
      ) ?? 0;
    const errors = diffs.map((d) => Math.abs(d - shift)).sort((x, y) => x - y);
    return {
      requests: arrived.length,
      timeScale,
      offsetErrorP50Ms: percentile(errors, 50) ?? 0,
      offsetErrorP99Ms: percentile(errors, 99) ?? 0,
      offsetErrorMaxMs: errors[errors.length - 1] ?? 0,
    };
  });
}

const f = (n: number | null, d = 2): string => (n === null ? 'n/a' : n.toFixed(d));

function processRow(p: ProcessResult): string {
  const gaps =
    `${f(p.meanGapMs, 3)} (${f(p.drawnMeanGapMs, 3)}) | ${f(p.gapCv, 3)} (${f(p.drawnGapCv, 3)}) | ` +
    f(p.dispersion, 3);
  const short = `${p.shortGapsPct.toFixed(1)} % (${p.drawnShortGapsPct.toFixed(1)} %)`;
  const late = `${f(p.lateP50Ms)} / ${f(p.lateP99Ms)}`;
  return `| ${p.process} | ${p.arrivals} / ${p.planned} | ${gaps} | ${short} | ${late} | ${p.dropped} |`;
}

export const arrivals: Experiment<ArrivalsResult> = {
  name: 'arrivals',
  title: 'Arrivals on the server clock',
  run: async (ctx) => {
    const sec = ctx.settings.quick ? 5 : 20;
    const processes: ProcessResult[] = [];
    for (const [text, spec] of [
      ['poisson', { process: 'poisson' }],
      ['gamma:2', { process: 'gamma', cv: 2 }],
      ['constant', null],
    ] as const) {
      ctx.log(`arrivals: ${text} at ${RATE}/s for ${sec} s`);
      processes.push(await oneProcess(ctx, text, spec, sec));
    }
    ctx.log('arrivals: streams, poisson at 50/s');
    const s = await streams(ctx, ctx.settings.quick ? 4 : 10);
    ctx.log('arrivals: trace replay at 10x');
    // Said, not thrown: the processes measured above stand whatever the replay does.
    const t = await trace(ctx, ctx.settings.quick ? 100 : 400).catch((e: Error) => e);
    return t instanceof Error
      ? { rate: RATE, durationSec: sec, processes, streams: s, trace: null, traceError: t.message.split('\n')[0] }
      : { rate: RATE, durationSec: sec, processes, streams: s, trace: t };
  },
  table: (r) => [
    `${r.rate} req/s for ${r.durationSec} s (${r.rate * r.durationSec} planned), POST /generate, 50 clients, ` +
      "seed 7; arrival times from the fault server's own clock.",
    '',
    '| process | arrived / planned | mean gap ms (drawn) | CV of gaps (drawn) | dispersion (100 ms) | ' +
      'gaps < 0.5 ms (drawn) | ' +
      'sent late p50 / p99 ms | dropped |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...[...r.processes, ...(r.streams === null ? [] : [r.streams])].map(processRow),
    '',
    r.trace === null
      ? `Trace replay: not measured (${r.traceError ?? 'unknown'}).`
      : `Trace replay: ${r.trace.requests} requests at ${r.trace.timeScale}x; each arrival's offset from the ` +
        `trace time ÷ ${r.trace.timeScale}, less the replay's start: p50 ${f(r.trace.offsetErrorP50Ms)} ms, ` +
        `p99 ${f(r.trace.offsetErrorP99Ms)} ms, max ${f(r.trace.offsetErrorMaxMs)} ms.`,
    '',
    'Goals: poisson mean gap within 3 % of 5 ms, CV within 0.07 of 1, dispersion near 1; ' +
      'gamma:2 CV near 2, dispersion near 4; constant CV below 0.15, dispersion near 0; ' +
      'trace offsets within 5 ms (p99).',
  ],
};
