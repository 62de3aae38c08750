/**
 * Requests arrive as real traffic does: each arrival process run by the real runner and k6 against
 * the test-only fault server, which notes when every request arrived on its own clock — so the
 * schedule is judged where it lands, not where the generator thinks it sent it. A replayed trace
 * runs against the real Realizar streams; goodput gates a run; bad input stops before anything starts.
 * Statistical bounds are wide (a few hundred arrivals on a shared machine); the benchmark record
 * (bench/results/*-arrivals.md) holds the tight figures over thousands.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { scheduleStats } from '../../src/core/arrivals/schedule.js';
import { latestReport, removeDir, ROOT, runCli, tempDir, waitForNoLeftovers } from '../support/cli.js';
import { recordedArrivals, withFaultServer } from '../support/with-fault-server.js';

/** The runner against a fault server the test started: --no-server, its port. */
async function runAgainst(port: number, out: string, args: readonly string[]) {
  const run = await runCli([...args, '--no-server', '--port', String(port), '--out-dir', out, '--no-dashboard']);
  return { run, ...(await latestReport(out)) };
}

/** A Mooncake trace of short requests at these ms timestamps, written in `dir`. */
async function writeTrace(dir: string, times: readonly number[]): Promise<string> {
  const file = path.join(dir, 'trace.jsonl');
  await mkdir(dir, { recursive: true });
  const line = (t: number) => JSON.stringify({ timestamp: t, input_length: 8, output_length: 4, hash_ids: [] });
  await writeFile(file, times.map(line).join('\n'));
  return file;
}

const OPEN = ['sustained', '--mix', 'generate', '--rate', '100', '--duration', '6', '--clients', '20'];

describe('arrival processes, judged on the server clock', () => {
  // Gaps' CV for the drawn processes; for the even beat, the index of dispersion of counts per 100 ms
  // (a ms of jitter per request on a shared machine moves a 10 ms gap's CV, hardly a window's count).
  type Stats = { gapCv: number | null; dispersion: number | null };
  for (const [process, check] of [
    ['poisson', (s: Stats) => s.gapCv !== null && s.gapCv > 0.75 && s.gapCv < 1.35],
    ['gamma:2', (s: Stats) => s.gapCv !== null && s.gapCv > 1.4],
    ['constant', (s: Stats) => s.dispersion !== null && s.dispersion < 0.5],
  ] as const) {
    it(`${process}: each planned request arrives or is dropped and counted, gaps of its spread`, async () => {
      const out = await tempDir(`arrivals-${process}`);
      try {
        await withFaultServer(['--record-arrivals', '--latency', '5'], async ({ base, port }) => {
          const { run, report, text } = await runAgainst(port, out, [...OPEN, '--arrivals', process, '--seed', '7']);
          assert.equal(run.code, 0, run.stderr);
          const s = report.scenarios[0]!;
          assert.equal(s.totals.requests, 600);
          // Under load k6's constant-arrival-rate may reach the phase's end before its last due start:
          // that request is counted as unsent (a failure), never lost.
          assert.equal(s.totals.sent + s.totals.dropped + s.totals.unsent, 600);
          assert.ok(s.totals.unsent <= 2, `unsent: ${s.totals.unsent}`);
          const arrived = (await recordedArrivals(base)).arrivalsMs;
          assert.equal(arrived.length, s.totals.sent, 'the server saw every request the report says was sent');
          const stats = scheduleStats(
            arrived.map((t) => t - arrived[0]!),
            100,
          )!;
          assert.ok(check(stats), `${process} on the server's clock: ${JSON.stringify(stats)}`);
          if (process === 'constant') {
            assert.equal(s.arrivals, null, "k6's own constant-arrival-rate: no schedule of ours");
          } else {
            assert.equal(s.arrivals?.process, `${process}, seed 7`);
            assert.equal(s.arrivals?.requestStartLateMs?.samples, s.totals.sent);
            assert.match(text, new RegExp(`Arrivals: ${process}, seed 7\\n  sent after their due time: p50 `));
          }
        });
      } finally {
        await removeDir(out);
      }
    });
  }
});

describe('a replayed trace (as written: npm run k6:stream -- --trace FILE --time-scale 10)', () => {
  it("sends each request at its trace time divided by the scale, against Realizar's streams", async () => {
    const out = await tempDir('arrivals-trace');
    try {
      // Mooncake's format: ms timestamps, uneven gaps; 12 requests over 6 s, replayed 10× faster.
      const times = [0, 100, 150, 1200, 1250, 1300, 2500, 4000, 4100, 5000, 5900, 6000];
      const file = await writeTrace(out, times);
      const run = await runCli(['stream', '--trace', file, '--time-scale', '10', '--out-dir', out, '--no-dashboard']);
      const { report, text } = await latestReport(out);
      assert.equal(run.code, report.exitCode, run.stderr);
      const s = report.scenarios[0]!;
      assert.equal(s.totals.requests, 12);
      assert.equal(s.totals.sent + s.totals.dropped, 12);
      assert.equal(s.arrivals?.process, 'trace trace.jsonl replayed at 10x');
      assert.ok(s.streaming?.startLateMs != null, 'each stream timed against its due time');
      assert.match(text, /Arrivals replayed from trace\.jsonl: 12 requests over 0\.6 s/);
      assert.deepEqual(await waitForNoLeftovers(out), []);
    } finally {
      await removeDir(out);
    }
  });
});

describe('a replayed BurstGPT trace (its published CSV: seconds, request and response tokens)', () => {
  it('sends each served request at its time with its lengths, and leaves out the one that failed, said', async () => {
    const out = await tempDir('arrivals-burstgpt');
    try {
      await mkdir(out, { recursive: true });
      const file = path.join(out, 'burstgpt.csv');
      const rows = [
        [0, 24, 3],
        [0.2, 40, 5],
        [0.5, 16, 2],
        [1, 64, 0],
        [1, 32, 4],
        [1.5, 48, 6],
      ].map(([t, request, response]) => `${t},ChatGPT,${request},${response},${request! + response!},API log`);
      await writeFile(
        file,
        ['Timestamp,Model,Request tokens,Response tokens,Total tokens,Log Type', ...rows].join('\n'),
      );
      const run = await runCli(['generate', '--trace', file, '--time-scale', '2', '--out-dir', out, '--no-dashboard']);
      const { report, text } = await latestReport(out);
      assert.equal(run.code, report.exitCode, run.stderr);
      const s = report.scenarios[0]!;
      assert.deepEqual([s.totals.requests, s.totals.sent + s.totals.dropped], [5, 5]);
      assert.match(text, /Arrivals replayed from burstgpt\.csv: 5 requests over 0\.75 s/);
      assert.match(text, /1 left out: 1 with 0 Response tokens \(failed when the trace was recorded\)/);
      // Realizar's demo generates exactly max_tokens: each request asked for its row's Response tokens.
      const output = s.workload!.outputTokens;
      assert.deepEqual([output.asked!.min, output.asked!.max, output.received!.max], [2, 6, 6]);
      const input = s.workload!.inputTokens.asked!;
      assert.ok(input.min >= 15 && input.max <= 49, `input ${input.min} to ${input.max}: the rows' 16 to 48`);
    } finally {
      await removeDir(out);
    }
  });
});

describe('a replayed trace whose requests outnumber the clients, split over two runners', () => {
  it('drops exactly the requests that fell due while every client was busy, and counts them per runner', async () => {
    const out = await tempDir('arrivals-busy');
    try {
      // Four requests at once, two more a second later; one client per runner, each request 400 ms. Each
      // runner takes every other request: its client sends its first (however late k6 starts it), finds
      // the second overdue when it comes free (a drop), and is free again long before the third.
      const times = [0, 0, 0, 0, 1000, 1000];
      const file = await writeTrace(out, times);
      await withFaultServer(['--latency', '400'], async ({ port }) => {
        const trace = ['sustained', '--mix', 'generate', '--trace', file, '--clients', '2', '--segments', '2'];
        const { run, report, text } = await runAgainst(port, out, trace);
        assert.equal(run.code, 1, run.stderr);
        const s = report.scenarios[0]!;
        assert.equal(s.totals.requests, 6);
        assert.equal(s.totals.sent, 4);
        assert.equal(s.totals.dropped, 2);
        assert.match(text, /Runner 0:1\/2 \([^)]*\): 3 planned, 2 sent, 0 failed, 1 dropped\./);
        assert.match(text, /Runner 1\/2:1 \([^)]*\): 3 planned, 2 sent, 0 failed, 1 dropped\./);
      });
      assert.deepEqual(await waitForNoLeftovers(out), []);
    } finally {
      await removeDir(out);
    }
  });
});

describe('goodput', () => {
  it('counts the requests that met every objective, and a rule on it gates the run', async () => {
    const out = await tempDir('goodput');
    const rules = path.join(out, 'thresholds');
    try {
      await mkdir(rules, { recursive: true });
      await cp(path.join(ROOT, 'thresholds'), rules, { recursive: true });
      await writeFile(
        path.join(rules, 'sustained.json'),
        JSON.stringify({
          scenario: 'sustained',
          rules: [{ id: 'goodput', metric: 'goodput', acceptable: 90, source: 'a test' }],
        }),
      );
      await withFaultServer(['--latency', '30'], async ({ port }) => {
        const args = [...OPEN.slice(0, 5), '--duration', '2', '--clients', '50', '--thresholds-dir', rules];
        const met = await runAgainst(port, path.join(out, 'met'), [...args, '--goodput', 'latency<5000']);
        assert.equal(met.run.code, 0, met.run.stderr);
        const s0 = met.report.scenarios[0]!;
        const g = s0.goodput!;
        // Every request that succeeded met 5 s; one dropped on a busy machine is planned but never good.
        assert.equal(g.good, s0.totals.successes);
        assert.equal(g.requests, 200);
        assert.equal(g.sharePct, (g.good / 200) * 100);
        assert.match(met.text, new RegExp(`Goodput \\(latency<5000ms\\): ${g.good} of 200 requests`));

        // Every request takes 30 ms: none meets 10 ms, so the rule fails the run.
        const missed = await runAgainst(port, path.join(out, 'missed'), [...args, '--goodput', 'latency<10']);
        assert.equal(missed.run.code, 1, missed.run.stderr);
        const s = missed.report.scenarios[0]!;
        assert.equal(s.goodput?.good, 0);
        const v = s.verdicts.find((x) => x.id === 'goodput.acceptable');
        assert.equal(v?.pass, false);
        assert.equal(v?.measured, 0);
      });
    } finally {
      await removeDir(out);
    }
  });
});

describe('bad arrivals input', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['an unknown process', ['--rate', '10', '--duration', '1', '--arrivals', 'bursty'], /--arrivals/],
    ['a CV that is not a positive number', ['--rate', '10', '--duration', '1', '--arrivals', 'gamma:0'], /gamma/],
    ['a time scale of 0', ['--trace', 'TRACE', '--time-scale', '0'], /--time-scale/],
    ['a time scale without a trace', ['--rate', '10', '--duration', '1', '--time-scale', '2'], /--time-scale/],
    ['a drawn process on a closed scenario', ['--arrivals', 'poisson'], /--arrivals[\s\S]*open/],
    ['a trace going backwards', ['--trace', 'BACKWARDS'], /line 3/],
    ['a trace without timestamps', ['--trace', 'UNTIMED'], /timestamp/],
  ];
  for (const [what, args, message] of cases) {
    it(`refuses ${what} with exit 2, before any server or k6 starts`, async () => {
      const out = await tempDir('arrivals-bad');
      try {
        await mkdir(out, { recursive: true });
        const files: Record<string, string> = {
          TRACE: path.join(out, 'ok.jsonl'),
          BACKWARDS: path.join(out, 'backwards.jsonl'),
          UNTIMED: path.join(out, 'untimed.jsonl'),
        };
        const line = (t: number | null) =>
          JSON.stringify({ ...(t === null ? {} : { timestamp: t }), input_length: 8, output_length: 4, hash_ids: [] });
        await writeFile(files.TRACE!, [0, 10].map(line).join('\n'));
        await writeFile(files.BACKWARDS!, [0, 10, 5].map(line).join('\n'));
        await writeFile(files.UNTIMED!, [null, null].map(line).join('\n'));
        const argv = args.map((a) => files[a] ?? a);
        const run = await runCli(['generate', ...argv, '--port', '1', '--out-dir', path.join(out, 'reports')]);
        assert.equal(run.code, 2, run.stderr);
        assert.match(run.stderr, message);
        assert.equal(
          existsSync(path.join(out, 'reports')) && (await readdir(path.join(out, 'reports'))).length > 0,
          false,
        );
      } finally {
        await removeDir(out);
      }
    });
  }
});
