/**
 * npm run k6:sweep on real k6: against a server whose capacity is known exactly (the test-only
 * fault server answers in 100 ms, and at most 5 requests are in flight: 50 req/s), the capacity
 * found brackets the truth, and two sweeps agree within the bracket they report; against a real
 * Realizar it finds a rate and draws its charts.
 */
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
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
