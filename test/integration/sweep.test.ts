/**
 * npm run k6:sweep on real k6: against a server whose capacity is known exactly (the test-only
 * fault server answers in 100 ms, and at most 5 requests are in flight: 50 req/s), the capacity
 * found brackets the truth, and two sweeps agree within the bracket they report; Poisson arrivals drop
 * what a loss system of those 5 clients predicts on the drawn schedule; against a real Realizar it
 * finds a rate and draws its charts.
 */
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { arrivalSchedule } from '../../src/core/arrivals/schedule.js';
import type { K6Summary, SweepReport } from '../../src/core/types.js';
import { faultServerCmd, freePort, removeDir, runEntry, tempDir, waitForNoLeftovers } from '../support/cli.js';

async function sweep(args: string[]): Promise<{ code: number | null; report: SweepReport; dir: string }> {
  const out = await tempDir('sweep');
  const port = await freePort();
  const run = await runEntry('sweep', [...args, '--port', String(port), '--out-dir', out], process.env);
  const dir = path.join(out, 'latest');
  const report = JSON.parse(await readFile(path.join(dir, 'sweep.json'), 'utf8')) as SweepReport;
  assert.deepEqual(await waitForNoLeftovers(`--port ${port}`), []);
  return { code: run.code, report, dir };
}

describe('the capacity sweep', () => {
  it('brackets a known capacity, and two sweeps agree within the bracket they report', async () => {
    const args = [
      '--endpoint',
      'health',
      '--slo',
      'p95<150',
      '--start-rate',
      '10',
      '--clients',
      '5',
      '--step-sec',
      '2',
      '--refine',
      '2',
      '--max-rate',
      '400',
      '--server-cmd',
      faultServerCmd('--latency 100'),
    ];
    const runs = [await sweep(args), await sweep(args)];
    for (const { code, report, dir } of runs) {
      try {
        assert.equal(code, 0);
        assert.equal(report.outcome, 'found');
        // 5 in flight x 10 per second each: no more than 50 req/s can be served without drops.
        assert.ok(report.goodputRps! < 50, `goodput ${report.goodputRps}`);
        assert.ok(report.firstBadRps !== null && report.firstBadRps >= report.goodputRps! && report.firstBadRps <= 100);
        assert.ok(
          report.steps.some((s) => !s.meetsSlo && s.dropped > 0),
          'overload shows as dropped requests',
        );
        assert.match(await readFile(path.join(dir, 'latency.svg'), 'utf8'), /<polyline/);
      } finally {
        await removeDir(path.dirname(dir));
      }
    }
    const [a, b] = runs.map((r) => r.report);
    assert.ok(
      a!.goodputRps! <= b!.firstBadRps! && b!.goodputRps! <= a!.firstBadRps!,
      'each result lies within the other run’s bracket',
    );
  });

  it('steps arrive by --arrivals: Poisson loses what 5 clients of 100 ms predict, even nothing', async () => {
    const at40 = (arrivals: string) =>
      ['--endpoint', 'health', '--slo', 'p95<150', '--start-rate', '40', '--max-rate', '40', '--refine', '0'].concat(
        ['--clients', '5', '--step-sec', '2', '--arrivals', arrivals, '--seed', '5'],
        ['--server-cmd', faultServerCmd('--latency 100')],
      );
    const even = await sweep(at40('constant'));
    const drawn = await sweep(at40('poisson'));
    try {
      // 40 req/s evenly is 4 in flight: 5 clients keep up.
      assert.deepEqual([even.code, even.report.arrivals ?? null, even.report.steps[0]!.dropped], [0, null, 0]);
      // The truth: on the same seeded schedule, a request is lost when all 5 clients are busy for over 10 ms more.
      const offsets = arrivalSchedule({ spec: { process: 'poisson' }, count: 80, ratePerSec: 40, seed: 5 });
      const busyUntil = [0, 0, 0, 0, 0];
      let lost = 0;
      for (const due of offsets) {
        busyUntil.sort((a, b) => a - b);
        if (busyUntil[0]! <= due + 10) busyUntil[0] = Math.max(due, busyUntil[0]!) + 100;
        else lost++;
      }
      const step = drawn.report.steps[0]!;
      assert.ok(lost > 4, `the schedule loses ${lost} of 80`);
      assert.equal(step.requests, 80);
      assert.ok(Math.abs(step.dropped - lost) <= 2, `${step.dropped} dropped, ${lost} predicted`);
      assert.deepEqual([drawn.code, drawn.report.outcome, drawn.report.arrivals], [1, 'none', 'poisson, seed 5']);
      assert.match(
        await readFile(path.join(drawn.dir, 'sweep.md'), 'utf8'),
        /for 2 s, arriving poisson, seed 5, at most 5/,
      );
    } finally {
      await removeDir(path.dirname(even.dir));
      await removeDir(path.dirname(drawn.dir));
    }
  });

  it("finds a rate for Realizar's /generate with a workload, each step its own lines, and draws charts", async () => {
    const { code, report, dir } = await sweep(
      ['--endpoint', 'generate', '--slo', 'p95<500', '--start-rate', '4', '--max-rate', '16', '--step-sec', '2'].concat(
        ['--input-tokens', '32', '--output-tokens', '4'],
      ),
    );
    try {
      assert.equal(code, report.exitCode);
      assert.equal(report.server.version, '0.8.6');
      assert.deepEqual(report.steps.map((s) => s.rateRps).slice(0, 1), [4]);
      assert.ok(
        report.steps.every((s) => s.requests === s.rateRps * 2),
        'each step offered rate x window requests',
      );
      assert.match(await readFile(path.join(dir, 'sweep.md'), 'utf8'), /\| offered req\/s \|/);
      assert.match(report.workload ?? '', /^generated from seed 1; input 32 tokens; output 4 tokens/);
      for (const [i, s] of report.steps.entries()) {
        const step = path.join(dir, 'k6', `step-${String(i + 1).padStart(2, '0')}-${s.rateRps}rps`);
        const lines = (await readFile(path.join(step, 'workload-sweep.jsonl'), 'utf8')).trim().split('\n');
        assert.equal(lines.length, s.requests, `${step}: a line per request`);
        const k6 = JSON.parse(await readFile(path.join(step, 'summary.json'), 'utf8')) as K6Summary;
        const got = k6.metrics['workload_output_tokens_received']!.values;
        assert.deepEqual([got['count'], got['max']], [s.requests, 4], `${step}: 4 tokens asked of each request`);
        assert.equal(k6.metrics['workload_input_tokens_extra']!.values['max'], 0, "Realizar's count of each prompt");
      }
      assert.match(await readFile(path.join(dir, 'errors.svg'), 'utf8'), /<polyline/);
    } finally {
      await removeDir(path.dirname(dir));
    }
  });

  it('refuses, before anything starts, prompts to an endpoint without any and conversations over rate', async () => {
    const out = await tempDir('sweep-refused');
    try {
      const cases: Array<[string[], RegExp]> = [
        [
          ['--endpoint', 'health', '--over', 'concurrency', '--input-tokens', '8'],
          /--endpoint: expected an endpoint that takes prompts/,
        ],
        [['--slo', 'p95<500', '--turns', '2'], /--turns: expected conversations over concurrency/],
      ];
      for (const [args, error] of cases) {
        const r = await runEntry('sweep', [...args, '--port', String(await freePort()), '--out-dir', out], process.env);
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, error);
      }
      assert.deepEqual(await readdir(out), [], 'nothing was run');
    } finally {
      await removeDir(out);
    }
  });
});
