/**
 * 128 concurrent streams against the reference stream server (first token 150 ms after a request
 * arrives, then a token every 25 ms): the client's TTFT, ITL and end-to-end against the server's
 * own writes, the browser's send wait, and what the reader costs per chunk (k6's and Chromium's CPU
 * over the window, over the events the server wrote). The runs are bench/stream-accuracy.ts's, the
 * same k6 script and browser set-up as `npm run k6:stream`; the goals are judged on the medians.
 */
import type { AccuracyOptions, AccuracyRun } from '../stream-accuracy.js';
import type { BenchContext } from '../lib/context.js';
import { fixed, stat, type Stat } from '../lib/stats.js';
import type { Experiment } from './experiment.js';

export const STREAMS = { concurrency: 128, firstTokenMs: 150, gapMs: 25, tokens: 16 };

/** The reader's CPU per chunk before it was measured here, ms (k6 and Chromium together). */
export const CPU_MS_PER_CHUNK_BEFORE = 0.3;

export interface StreamsGoal {
  goal: string;
  measured: number | null;
  bound: number | null;
  met: boolean | null;
}

export interface StreamsResult {
  options: AccuracyOptions;
  runs: AccuracyRun[];
  /** Medians over the rounds, ms (late = client − server). */
  figures: Record<string, Stat | null>;
  goals: StreamsGoal[];
}

const FIGURES: Record<string, (r: AccuracyRun) => number | null | undefined> = {
  'TTFT p50 late': (r) => r.late.ttft?.p50,
  'TTFT p95 late': (r) => r.late.ttft?.p95,
  'ITL p50 late': (r) => r.late.itl?.p50,
  'end-to-end p50 late': (r) => r.late.e2e?.p50,
  'browser send wait p50': (r) => r.client.sendWait?.p50,
  'browser send wait p95': (r) => r.client.sendWait?.p95,
  'reader CPU per chunk': (r) => r.perChunk.cpuMs,
  'generator waiting for CPU %': (r) => r.generator?.runQueueWaitPct,
  'machine busy %': (r) => r.generator?.machineBusyPct,
  'load average': (r) => r.loadAvg,
};

export function judgeStreams(figures: Record<string, Stat | null>): StreamsGoal[] {
  const judged = (goal: string, key: string, bound: number | null): StreamsGoal => {
    const m = figures[key]?.median ?? null;
    return { goal, measured: m, bound, met: bound === null || m === null ? null : m <= bound };
  };
  return [
    judged('TTFT p50 within 5 ms of the server', 'TTFT p50 late', 5),
    judged('TTFT p95 within 10 ms of the server', 'TTFT p95 late', 10),
    judged('ITL p50 within 1 ms of the server', 'ITL p50 late', 1),
    judged('end-to-end p50 within 5 ms of the server', 'end-to-end p50 late', 5),
    judged(`reader CPU per chunk at most a third of ${CPU_MS_PER_CHUNK_BEFORE} ms`, 'reader CPU per chunk', 0.1),
    judged('browser send wait p50 (known, not bounded)', 'browser send wait p50', null),
    judged('browser send wait p95 (known, not bounded)', 'browser send wait p95', null),
  ];
}

async function run(ctx: BenchContext): Promise<StreamsResult> {
  const { runAccuracy } = await import('../stream-accuracy.js');
  const { chromiumPath } = await import('../../src/node/k6/k6.js');
  const options: AccuracyOptions = {
    concurrency: [STREAMS.concurrency],
    perClient: ctx.settings.quick ? 2 : 6,
    rounds: Math.min(ctx.settings.rounds, 3),
    api: 'realizar',
    firstTokenMs: STREAMS.firstTokenMs,
    gapMs: STREAMS.gapMs,
    tokens: STREAMS.tokens,
    browserArgs: [],
  };
  // Streams are read in Chromium: without one, the goals stay unjudged rather than the whole run failing.
  const browser = chromiumPath() !== null;
  if (!browser) ctx.log('streams: no Chromium found (apt-get install chromium); not measured');
  const runs = browser ? await runAccuracy(options, (m) => ctx.log(`streams: ${m}`)) : [];
  const figures = Object.fromEntries(
    Object.entries(FIGURES).map(([k, pick]) => {
      const xs = runs.map(pick).filter((x): x is number => typeof x === 'number');
      return [k, xs.length === 0 ? null : stat(xs)];
    }),
  );
  return { options, runs, figures, goals: judgeStreams(figures) };
}

function table(r: StreamsResult): string[] {
  const o = r.options;
  const cell = (s: Stat | null, d: number): string =>
    s === null
      ? 'n/a'
      : s.runs.length === 1
        ? fixed(s.median, d)
        : `${fixed(s.median, d)} (${s.runs.map((x) => fixed(x, d)).join(', ')})`;
  const digits = (k: string): number => (k === 'reader CPU per chunk' ? 3 : k.endsWith('%') ? 0 : 2);
  const counts = r.runs.map((x) => `${x.client.ok}/${x.requests}`).join(', ');
  if (r.runs.length === 0) return ['Not measured: no Chromium on this machine (apt-get install chromium).'];
  return [
    `${o.concurrency[0]} concurrent streams, ${o.perClient} requests each, against the reference stream server ` +
      `(first token ${o.firstTokenMs} ms after a request arrives, a token every ${o.gapMs} ms, ${o.tokens} tokens); ` +
      `complete streams per round ${counts}. Late = the client's percentile minus the server's, ms; send wait: ` +
      "the page's fetch() to the browser writing the request (in no figure); CPU per chunk: k6's and Chromium's " +
      'CPU over the window, ms, over the events the server wrote. Median (then each round) of ' +
      `${r.runs.length} round(s).`,
    '',
    '| figure | value |',
    '| --- | --- |',
    ...Object.keys(r.figures).map((k) => `| ${k} | ${cell(r.figures[k] ?? null, digits(k))} |`),
    '',
    '| goal | measured | bound | met |',
    '| --- | --- | --- | --- |',
    ...r.goals.map(
      (g) =>
        `| ${g.goal} | ${g.measured === null ? 'n/a' : fixed(g.measured, 3)} | ${g.bound === null ? '—' : g.bound} ` +
        `| ${g.met === null ? '—' : g.met ? 'yes' : 'no'} |`,
    ),
  ];
}

export const streams: Experiment<StreamsResult> = {
  name: 'streams',
  title: '128 concurrent streams against a server of known timings',
  run,
  table,
};
