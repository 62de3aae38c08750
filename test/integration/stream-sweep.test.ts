/**
 * npm run k6:sweep -- --endpoint stream on real k6 and Chromium, against the test-only truth server
 * (first token 100 ms after each request, then a token every 20 ms): every level run with exact
 * counts, the curves drawn, the goodput found when the objectives can be met and refused when they
 * cannot.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { SweepReport } from '../../src/core/types.js';
import { CHROMIUM_PATHS } from '../../src/node/k6/k6.js';
import { freePort, removeDir, runEntry, tempDir, waitForNoLeftovers } from '../support/cli.js';
import { truthServerCmd } from '../support/truth.js';

const chromium = CHROMIUM_PATHS.some((p) => existsSync(p));

async function sweep(args: string[]): Promise<{ code: number | null; report: SweepReport; dir: string; out: string }> {
  const out = await tempDir('stream-sweep');
  const port = await freePort();
  const run = await runEntry(
    'sweep',
    [
      '--endpoint',
      'stream',
      ...args,
      '--port',
      String(port),
      '--server-cmd',
      truthServerCmd('--tokens 8'),
      '--out-dir',
      out,
    ],
    process.env,
  );
  const dir = path.join(out, 'latest');
  const report = JSON.parse(await readFile(path.join(dir, 'sweep.json'), 'utf8')) as SweepReport;
  assert.deepEqual(await waitForNoLeftovers(`--port ${port}`), []);
  assert.equal(run.code, report.exitCode, run.stderr);
  return { code: run.code, report, dir, out };
}

describe('the streamed sweep over concurrency', () => {
  it('runs each level with exact counts, draws curves, finds the goodput within objectives it can meet', async (t) => {
    if (!chromium) return t.skip('Chromium is not installed (apt-get install chromium)');
    const { code, report, dir, out } = await sweep([
      '--max-concurrency',
      '4',
      '--per-client',
      '2',
      '--slo',
      'ttft_p95<5000,itl_p95<5000',
    ]);
    try {
      assert.equal(code, 0);
      assert.equal(report.over, 'concurrency');
      assert.deepEqual(
        report.steps.map((s) => s.concurrency),
        [1, 2, 4],
      );
      for (const s of report.steps) {
        assert.deepEqual([s.requests, s.failures], [s.concurrency! * 2, 0]);
        assert.equal(s.streamMs?.ttft?.samples, s.requests);
        assert.equal(s.streamMs?.itl?.samples, s.requests * 7, '8 tokens: 7 gaps per stream');
        assert.ok(s.streamMs!.ttft!.min >= 99, 'no first token before the server wrote it');
        assert.ok(s.outputTokensPerSecond!.total! > 0 && s.outputTokensPerSecond!.perStream! > 0);
        assert.equal(typeof s.generatorShortOfCpu, 'boolean');
      }
      assert.equal(report.goodputConcurrency, 4);
      for (const chart of ['ttft.svg', 'itl.svg', 'e2e.svg', 'tokens.svg', 'tokens-per-stream.svg'])
        assert.match(await readFile(path.join(dir, chart), 'utf8'), /<polyline/, chart);
      assert.match(
        await readFile(path.join(dir, 'sweep.md'), 'utf8'),
        /\| clients \| requests \| failures \| TTFT p50 \/ p95 ms \|/,
      );
    } finally {
      await removeDir(out);
    }
  });

  it('says no level met objectives the server cannot meet, exit 1', async (t) => {
    if (!chromium) return t.skip('Chromium is not installed (apt-get install chromium)');
    // The truth server's first token leaves 100 ms after each request: a TTFT under 50 ms is impossible.
    const { code, report, out } = await sweep([
      '--max-concurrency',
      '2',
      '--per-client',
      '1',
      '--slo',
      'ttft_p50<50,itl_p95<5000',
    ]);
    try {
      assert.equal(code, 1);
      assert.equal(report.outcome, 'none');
      assert.equal(report.goodputConcurrency, null);
      assert.ok(report.steps.every((s) => !s.meetsSlo && /ttft p50 .* breaks ttft_p50<50ms/.test(s.reason)));
    } finally {
      await removeDir(out);
    }
  });
});
