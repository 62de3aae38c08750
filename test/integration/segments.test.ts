/**
 * --segments end to end: the real runner splits a scenario over k6 processes, each with the
 * execution segment flags the k6-operator gives its runners, against Realizar from the tool cache,
 * and merges them into one report. With --samples its counts equal the plan's and the sum of what every
 * runner's samples hold, its percentiles are those of all those samples together, and `npm run report --
 * --merge` over the same folders says the same; then a runner's k6 SIGKILLed mid-run: the report is
 * partial, names that runner, and the run exits 2. By default the runners are merged from their
 * one-second windows, their counts those of their own summaries. Scaled down: a few dozen requests.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { K6_FILES } from '../../src/core/contract.js';
import type { K6Summary, Report, RunnerRecord, ScenarioReport } from '../../src/core/types.js';
import {
  collect,
  faultServerCmd,
  latestReport,
  removeDir,
  runCli,
  runEntry,
  startEntry,
  tempDir,
} from '../support/cli.js';
import { killCarrying, markedEnv, pidsCarrying, waitFor, waitUntilGone } from '../support/descendants.js';
import { pct, samplesTruth } from '../support/split-truth.js';

const runnerDirs = (runDir: string, scenario: string): string[] => {
  const dir = path.join(runDir, 'k6', scenario);
  return readdirSync(dir)
    .filter((f) => /^runner-\d+$/.test(f))
    .sort()
    .map((f) => path.join(dir, f));
};

/** `npm run report -- --merge` over the run's runner folders: the same totals and latencies as the run's own. */
async function mergedAgain(dir: string, out: string, s: ScenarioReport): Promise<ScenarioReport> {
  const merged = await runEntry('report', ['--merge', path.join(dir, 'k6', 'spike'), '--out-dir', out], process.env);
  assert.equal(merged.code, 0, merged.stderr);
  const again = (await latestReport(out)).report.scenarios[0]!;
  assert.deepEqual(again.totals, s.totals);
  assert.deepEqual(again.latencyMs, s.latencyMs);
  return again;
}

describe('a scenario split over k6 processes (--segments)', () => {
  it('runs 4 runners with the operator’s segment flags, merged: exact counts, percentiles of all samples', async () => {
    const out = await tempDir('segments');
    try {
      const run = await runCli([
        'spike',
        '--segments',
        '4',
        '--scale',
        '0.2',
        '--samples',
        '--no-dashboard',
        '--out-dir',
        out,
      ]);
      assert.equal(run.code, 0, run.stderr.slice(-3000));
      const { report, dir } = await latestReport(out);
      const s = report.scenarios[0]!;
      const dirs = runnerDirs(dir, 'spike');
      assert.equal(dirs.length, 4);
      const records = await Promise.all(
        dirs.map(async (d) => JSON.parse(await readFile(path.join(d, K6_FILES.runner), 'utf8')) as RunnerRecord),
      );
      assert.deepEqual(
        records.map((r) => r.executionSegment),
        ['0:1/4', '1/4:1/2', '1/2:3/4', '3/4:1'],
        'k6 itself wrote the segment it ran',
      );
      assert.ok(records.every((r) => r.runId === report.runId && r.executionSegmentSequence === '0,1/4,1/2,3/4,1'));
      for (const d of dirs) assert.ok(existsSync(path.join(d, K6_FILES.summary)), `${d}: k6's summary`);

      const truth = await samplesTruth(dirs);
      const planned = s.phases.reduce((a, p) => a + p.plannedRequests, 0);
      assert.equal(s.totals.requests, planned);
      assert.equal(s.totals.sent, truth.sent);
      assert.equal(s.totals.sent, planned, 'against Realizar every planned request is sent');
      assert.equal(s.totals.failures, 0);
      assert.equal(s.latencyMs!.p95, pct(truth.latencies, 95));
      assert.equal(s.latencyMs!.p99, pct(truth.latencies, 99));
      for (const p of s.phases) assert.equal(p.totals.sent, truth.byPhase.get(p.name)?.length ?? 0, p.name);
      const perRunner = s.notes.filter((n) => n.startsWith('Runner '));
      assert.equal(perRunner.length, 4, s.notes.join('\n'));
      for (const line of perRunner) {
        const m = /: (\d+) planned, (\d+) sent/.exec(line)!;
        assert.equal(m[1], m[2], `each runner sent its planned share (k6's striping): ${line}`);
      }

      const again = await mergedAgain(dir, out, s);
      assert.deepEqual(
        again.verdicts.map((v) => [v.id, v.pass]),
        // The server's memory is judged by the run that watched it, not by a merge of folders.
        s.verdicts.filter((v) => !v.id.startsWith('server.')).map((v) => [v.id, v.pass]),
      );
    } finally {
      await removeDir(out);
    }
  });

  it("by default, merged from the runners' windows: counts those of their own summaries", async () => {
    const out = await tempDir('segments-windows');
    try {
      const run = await runCli([
        'spike',
        '--segments',
        '2',
        '--scale',
        '0.2',
        '--input-tokens',
        '16',
        '--no-dashboard',
        '--out-dir',
        out,
      ]);
      assert.equal(run.code, 0, run.stderr.slice(-3000));
      const { report, dir } = await latestReport(out);
      const s = report.scenarios[0]!;
      assert.equal(s.partial ?? null, null, s.partial ?? '');
      const dirs = runnerDirs(dir, 'spike');
      assert.equal(dirs.length, 2);
      for (const d of dirs) {
        assert.ok(existsSync(path.join(d, K6_FILES.windows)), `${d}: k6's windows`);
        assert.ok(!existsSync(path.join(d, K6_FILES.samples)), `${d}: no samples`);
      }
      const own = await Promise.all(
        dirs.map(async (d) => JSON.parse(await readFile(path.join(d, K6_FILES.summary), 'utf8')) as K6Summary),
      );
      const total = (key: string, stat: string): number =>
        own.reduce((n, o) => n + (o.metrics[key]?.values[stat] ?? 0), 0);
      const planned = s.phases.reduce((a, p) => a + p.plannedRequests, 0);
      assert.equal(s.totals.sent, planned, 'against Realizar every planned request is sent');
      assert.equal(s.totals.sent, total('request_failed', 'passes') + total('request_failed', 'fails'));
      assert.equal(s.totals.successes, total('requests_ok', 'count'));
      assert.equal(s.latencyMs!.samples, total('http_req_duration', 'count'));
      assert.equal(
        s.checks.reduce((n, c) => n + c.passes + c.fails, 0),
        total('checks', 'passes') + total('checks', 'fails'),
        "k6's checks, from the runners' summaries",
      );
      assert.ok(
        s.notes.some((n) => /requests' windows together/.test(n)),
        s.notes.join('\n'),
      );
      // A workload's token counts: what adds up exactly over the runners, their percentiles not known.
      const asked = s.workload!.inputTokens.asked!;
      assert.equal(asked.samples, total('workload_input_tokens_asked', 'count'));
      assert.deepEqual([asked.p50, asked.p95], [null, null]);
      assert.ok(asked.min > 0 && asked.max >= asked.min, JSON.stringify(asked));
      const extra = s.workload!.inputTokens.extra!;
      assert.deepEqual([extra.min, extra.max], [0, 0], "Realizar's /tokenize counts exactly what it receives");

      await mergedAgain(dir, out, s);
    } finally {
      await removeDir(out);
    }
  });

  it('conversations split over runners, merged from windows: each turn counted once, each share exact', async () => {
    const out = await tempDir('segments-turns');
    try {
      // 23 requests: 7 conversations of 3 turns and one the count ends after 2, so the runners' shares differ.
      const shape = ['--concurrency', '4', '--requests', '23', '--turns', '3', '--output-tokens', '4'];
      const run = await runCli(['generate', '--segments', '2', ...shape, '--no-dashboard', '--out-dir', out]);
      assert.equal(run.code, 0, run.stderr.slice(-3000));
      const latest = await latestReport(out);
      const s = latest.report.scenarios[0]!;
      assert.equal(s.partial ?? null, null, s.partial ?? '');
      assert.equal(s.totals.sent, 23);
      assert.deepEqual(
        s.workload!.byTurn!.map((t) => [t.turn, t.requests]),
        [
          ['1', 8],
          ['2', 8],
          ['3', 7],
        ],
        'each of the 8 conversations over both runners, the last one cut after 2 turns',
      );
      assert.deepEqual(s.workload!.conversations, { started: 8, completed: 7, cut: 1 });
      // k6 gives runner 0 sessions 0, 2, 4 and 6 (3 turns each), runner 1 sessions 1, 3, 5 and 7 (the cut one).
      const text = latest.text;
      assert.match(text, /Runner 0:1\/2 \([^)]*\): 12 planned, 12 sent, 0 failed/);
      assert.match(text, /Runner 1\/2:1 \([^)]*\): 11 planned, 11 sent, 0 failed/);
    } finally {
      await removeDir(out);
    }
  });

  it('a runner killed mid-run: the others merged, its samples used, the report partial, exit 2', async () => {
    const out = await tempDir('segments-killed');
    const { token, env } = markedEnv();
    try {
      // Slow answers (300 ms) so that the kill lands while every runner is sending.
      const child = startEntry(
        'run',
        [
          'spike',
          '--segments',
          '2',
          '--scale',
          '0.4',
          '--samples',
          '--no-dashboard',
          '--server-profile',
          'none',
          '--server-cmd',
          faultServerCmd('--latency 300'),
          '--out-dir',
          out,
        ],
        env,
      );
      const done = collect(child);
      const victim = /--execution-segment=1\/2:1\b/;
      await waitFor(
        'both runners sending',
        async () => {
          const run = readdirSync(out).find((f) => f !== 'latest');
          const samples = run === undefined ? null : path.join(out, run, 'k6', 'spike', 'runner-2', K6_FILES.samples);
          return (samples !== null && existsSync(samples)) || child.exitCode !== null;
        },
        240_000,
      );
      await new Promise((r) => setTimeout(r, 3000));
      const [k6] = pidsCarrying(token, victim);
      assert.ok(k6 !== undefined, 'the runner of segment 1/2:1 is running');
      process.kill(k6, 'SIGKILL');
      const run = await done;
      assert.equal(run.code, 2, run.stderr.slice(-3000));
      const { report }: { report: Report } = await latestReport(out);
      const s = report.scenarios[0]!;
      assert.equal(s.status, 'error');
      assert.match(s.error ?? '', /runner 1\/2:1 exited with .*SIGKILL/);
      assert.match(
        s.partial ?? '',
        /runner 1\/2:1 ended before its summary \(k6 was killed \(SIGKILL\) before writing its summary\)/,
      );
      assert.ok(s.totals.sent < s.totals.requests, `${s.totals.sent} of ${s.totals.requests} sent`);
      assert.equal(
        s.totals.requests,
        s.phases.reduce((a, p) => a + p.plannedRequests, 0),
      );
      assert.deepEqual((await waitUntilGone(token, 5000)).left, []);
    } finally {
      killCarrying(token);
      await removeDir(out);
    }
  });
});
