/**
 * Measurement truth: against a server whose latency distribution is known exactly (the test-only
 * fault server: 20 ms for 90 % of requests, 200 ms for 10 %, spread evenly), at a fixed open-model
 * rate, the reported percentiles must match the injected truth within 5 % or 2 ms (whichever is
 * larger), and the report's counts must equal the server's own counts exactly.
 *
 * A request costs something even with no injected delay: the loopback round trip through the
 * server's and k6's code, a millisecond or two on this 2-core machine. That cost is measured first
 * (the same scenario against the same server with no delay) and added to the injected truth, so the
 * test checks what it should — that k6 and the conversion report the server's latency faithfully —
 * and not how busy the machine is.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { freePort, latestReport, removeDir, ROOT, runCli, tempDir, waitForNoLeftovers } from '../support/cli.js';

const within = (measured: number | undefined, truth: number): boolean =>
  measured !== undefined && Math.abs(measured - truth) <= Math.max(truth * 0.05, 2);

describe('measurement truth', () => {
  it('percentiles match a known latency distribution and counts match the server exactly', async (t) => {
    const out = await tempDir('truth');
    const started: ChildProcess[] = [];
    const serve = async (latency: string): Promise<number> => {
      const port = await freePort();
      // Started by the test (not the runner) so its counts can be read after the run.
      started.push(
        spawn(
          process.execPath,
          [
            '--import',
            'tsx',
            path.join(ROOT, 'test/support/fault-server.ts'),
            '--port',
            String(port),
            '--latency',
            latency,
          ],
          {
            cwd: ROOT,
            stdio: 'ignore',
          },
        ),
      );
      return port;
    };
    const load = async (port: number, scale: string) => {
      const run = await runCli([
        'sustained',
        '--no-server',
        '--port',
        String(port),
        '--mix',
        'health',
        '--scale',
        scale,
        '--server-profile',
        'none',
        '--no-dashboard',
        '--out-dir',
        out,
      ]);
      const { report } = await latestReport(out);
      assert.equal(run.code, report.exitCode, run.stderr);
      return report.scenarios[0]!;
    };
    try {
      const base = (await load(await serve('0'), '0.2')).latencyMs!.p50;
      const port = await serve('20:90,200:10');
      const s = await load(port, '0.5');
      const counts = (await (await fetch(`http://127.0.0.1:${port}/__counts`)).json()) as {
        load: { received: number; ok: number };
      };
      const l = s.latencyMs;
      t.diagnostic(
        `round trip with no delay: p50 ${base} ms; measured p50 ${l?.p50} ms, p95 ${l?.p95} ms, p99 ${l?.p99} ms; ` +
          'injected 20 ms (90 %) and 200 ms (10 %)',
      );
      assert.equal(s.totals.requests, 100);
      assert.equal(s.totals.sent, counts.load.received, 'every request k6 sent reached the server, and no more');
      assert.equal(s.totals.successes, counts.load.ok);
      assert.equal(s.totals.failures, s.totals.requests - counts.load.ok);
      assert.equal(s.totals.dropped, 0);
      assert.ok(within(l?.p50, 20 + base), `p50 ${l?.p50} ms, truth 20 ms + ${base} ms round trip`);
      assert.ok(within(l?.p95, 200 + base), `p95 ${l?.p95} ms, truth 200 ms + ${base} ms round trip`);
      assert.ok(within(l?.p99, 200 + base), `p99 ${l?.p99} ms, truth 200 ms + ${base} ms round trip`);
    } finally {
      for (const c of started) c.kill('SIGTERM');
      await removeDir(out);
    }
    for (const c of started)
      assert.deepEqual(await waitForNoLeftovers(`--port ${c.spawnargs[c.spawnargs.indexOf('--port') + 1]}`), []);
  });
});
