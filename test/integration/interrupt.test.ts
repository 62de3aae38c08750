/**
 * Ctrl-C and SIGTERM during a run: k6 stops gracefully, what it measured is kept, the report is
 * written and marked interrupted, the server is stopped, the exit code is 130.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { collect, freePort, latestReport, removeDir, startCli, tempDir, waitForNoLeftovers } from '../support/cli.js';

describe('interrupting a run', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} keeps what was measured, writes the report marked interrupted, stops all and exits 130`, async () => {
      const out = await tempDir('interrupt');
      const port = await freePort();
      const child = startCli(['sustained', '--port', String(port), '--out-dir', out]);
      const result = collect(child);
      try {
        // Interrupt once k6 has been sending for a while (the full sustained run lasts 30 s).
        let stderr = '';
        child.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
        const deadline = Date.now() + 120_000;
        while (!/running \(0*[3-9]\.\ds\)|running \(\d+m0*[3-9]\.\ds\)/.test(stderr) && Date.now() < deadline)
          await new Promise((r) => setTimeout(r, 100));
        child.kill(signal);
        const run = await result;
        assert.equal(run.code, 130, run.stderr);
        const { report } = await latestReport(out);
        assert.equal(report.outcome, 'interrupted');
        assert.equal(report.exitCode, 130);
        const [s] = report.scenarios;
        assert.equal(s?.status, 'interrupted');
        assert.ok((s?.totals.sent ?? 0) > 0, 'the requests sent before the interruption are in the report');
        assert.ok((s?.totals.sent ?? 0) < 200, 'the run did stop early');
        assert.equal(
          s?.totals.sent! + s?.totals.dropped! + s?.totals.unsent!,
          s?.totals.requests,
          'what was never sent is counted, not lost',
        );
        assert.equal(s?.totals.successes! + s?.totals.failures!, s?.totals.requests);
        assert.deepEqual(await waitForNoLeftovers(`--port ${port}`), [], 'server and k6 were stopped');
      } finally {
        if (child.exitCode === null) child.kill('SIGKILL');
        await result;
        await removeDir(out);
      }
    });
  }
});
