/**
 * Measurement truth: against a server whose latency distribution is known exactly (the test-only
 * fault server: 20 ms for 90 % of requests, 200 ms for 10 %, spread evenly), at a fixed open-model
 * rate, the reported percentiles must match the injected truth within 5 % or 2 ms (whichever is
 * larger), and the report's counts must equal the server's own counts exactly.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { freePort, latestReport, removeDir, ROOT, runCli, tempDir, waitForNoLeftovers } from '../support/cli.js';

const within = (measured: number | undefined, truth: number): boolean =>
  measured !== undefined && Math.abs(measured - truth) <= Math.max(truth * 0.05, 2);

describe('measurement truth', () => {
  it('percentiles match a known latency distribution and counts match the server exactly', async (t) => {
    const port = await freePort();
    const out = await tempDir('truth');
    // Started by the test (not the runner) so its counts can be read after the run.
    const server = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test/support/fault-server.ts'), '--port', String(port), '--latency', '20:90,200:10'], {
      cwd: ROOT,
      stdio: 'ignore',
    });
    try {
      const run = await runCli(['sustained', '--no-server', '--port', String(port), '--mix', 'health', '--scale', '0.5', '--out-dir', out]);
      const { report } = await latestReport(out);
      assert.equal(run.code, report.exitCode, run.stderr);
      const counts = (await (await fetch(`http://127.0.0.1:${port}/__counts`)).json()) as { load: { received: number; ok: number } };
      const [s] = report.scenarios;
      const l = s?.latencyMs;
      assert.equal(s?.totals.requests, 100);
      assert.equal(s?.totals.sent, counts.load.received, 'every request k6 sent reached the server, and no more');
      assert.equal(s?.totals.successes, counts.load.ok);
      assert.equal(s?.totals.failures, s!.totals.requests - counts.load.ok);
      assert.equal(s?.totals.dropped, 0);
      t.diagnostic(`measured p50 ${l?.p50} ms, p95 ${l?.p95} ms, p99 ${l?.p99} ms; injected 20 ms (90 %) and 200 ms (10 %)`);
      assert.ok(within(l?.p50, 20), `p50 ${l?.p50} ms, truth 20 ms`);
      assert.ok(within(l?.p95, 200), `p95 ${l?.p95} ms, truth 200 ms`);
      assert.ok(within(l?.p99, 200), `p99 ${l?.p99} ms, truth 200 ms`);
    } finally {
      server.kill('SIGTERM');
      await removeDir(out);
    }
    assert.deepEqual(await waitForNoLeftovers(`--port ${port}`), []);
  });
});
