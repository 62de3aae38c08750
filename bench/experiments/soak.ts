/**
 * A long open run through the toolkit's runner (not part of a default run: --only soak): 1000
 * requests per second to GET /health for 1000 s, a million requests, against a server the runner
 * starts. What it shows is the runner's own memory (its peak RSS, read from /proc while it runs) and
 * the time from k6's end to the report, which must stay bounded whatever the number of requests:
 * the per-request samples are streamed into fixed-size windows, never kept.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { peakRssBytes } from '../../src/node/watch/resources.js';
import type { BenchContext } from '../lib/context.js';
import { freePort } from '../../test/support/free-port.js';
import { childOf, findTimeProcess } from '../lib/generators.js';
import { k6Wrapper, timed } from '../lib/measure.js';
import { runnerArgv } from '../lib/toolkit-run.js';
import { fixed } from '../lib/stats.js';
import type { Experiment } from './experiment.js';

export interface SoakResult {
  rate: number;
  durationSec: number;
  requests: number;
  sent: number;
  runnerPeakRssMb: number;
  k6PeakRssMb: number;
  k6CpuSec: number;
  k6EndToReportSec: number;
}

async function run(ctx: BenchContext): Promise<SoakResult> {
  const rate = 1000;
  const durationSec = ctx.settings.quick ? 5 : 1000;
  const dir = await ctx.dir('soak');
  const wrapper = await k6Wrapper(dir, ctx.k6.path);
  const argv = runnerArgv(
    'sustained',
    [
      '--mix',
      'health',
      '--rate',
      String(rate),
      '--duration',
      String(durationSec),
      '--clients',
      '50',
      '--port',
      String(await freePort()),
    ],
    wrapper.file,
    path.join(dir, 'reports'),
  );
  ctx.log(`soak: ${rate} req/s to health for ${durationSec} s through the runner`);
  let done = false;
  let peak = 0;
  const running = timed('runner', argv, { timeFile: path.join(dir, 'time.txt') }).finally(() => (done = true));
  const poll = (async () => {
    let runner: number | null = null;
    while (!done) {
      if (runner === null) {
        const launcher = await findTimeProcess(dir);
        if (launcher !== null) runner = await childOf(launcher);
      }
      if (runner !== null) peak = Math.max(peak, peakRssBytes(runner) / (1024 * 1024));
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
  const r = await running;
  const exitMs = Date.now();
  await poll;
  const k6 = await wrapper.read();
  const report = JSON.parse(
    await readFile(path.join(dir, 'reports', 'latest', 'report.json'), 'utf8').catch(() => 'null'),
  ) as {
    scenarios: { totals: { requests: number; sent: number } }[];
  } | null;
  const s = report?.scenarios[0];
  if (k6 === null || s === undefined)
    throw new Error(`the soak run failed (exit ${r.code}):\n${r.output.slice(-3000)}`);
  return {
    rate,
    durationSec,
    requests: s.totals.requests,
    sent: s.totals.sent,
    runnerPeakRssMb: peak,
    k6PeakRssMb: k6.peakRssMb,
    k6CpuSec: k6.cpuSec,
    k6EndToReportSec: (exitMs - k6.endMs) / 1000,
  };
}

function table(r: SoakResult): string[] {
  return [
    `${r.rate} req/s to GET /health for ${r.durationSec} s through the runner (it starts and stops the server): ` +
      `${r.requests} requests planned, ${r.sent} sent.`,
    '',
    '| measure | result |',
    '| --- | --- |',
    `| the runner's (Node) peak RSS | ${fixed(r.runnerPeakRssMb, 0)} MB |`,
    `| k6's peak RSS | ${fixed(r.k6PeakRssMb, 0)} MB |`,
    `| k6's CPU | ${fixed(r.k6CpuSec, 1)} s ` +
      `(${fixed((r.k6CpuSec / Math.max(1, r.sent)) * 1000, 3)} s per 1000 requests) |`,
    `| k6's end → report written (samples read, server stopped) | ${fixed(r.k6EndToReportSec, 1)} s |`,
  ];
}

export const soak: Experiment<SoakResult> = { name: 'soak', title: 'A long run: the runner stays bounded', run, table };
