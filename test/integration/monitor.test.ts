/**
 * Watching the server under load: memory, CPU, the leak check, latency drift, the /metrics
 * cross-check and the plots, on real runs (real k6; a real Realizar, or the test-only fault server
 * where a leak must be planted on purpose).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  faultServerCmd,
  freePort,
  latestReport,
  removeDir,
  ROOT,
  runCli,
  tempDir,
  waitForNoLeftovers,
} from '../support/cli.js';

describe('watching the server while it is loaded', () => {
  it('a sustained run reports memory, CPU, leak and drift verdicts, the /metrics cross-check and plots', async () => {
    const out = await tempDir('monitor');
    const port = await freePort();
    try {
      const run = await runCli(['sustained', '--scale', '0.3', '--port', String(port), '--out-dir', out]);
      const { report, dir, text } = await latestReport(out);
      assert.equal(run.code, report.exitCode, run.stderr);
      const [s] = report.scenarios;
      const r = s?.resources;
      assert.ok(r, 'the server process was watched');
      assert.match(r.target, /^process group \d+$/);
      assert.ok(r.samples > 1 && r.baselineRssMb! > 0 && r.peakRssMb! >= r.baselineRssMb!);
      assert.ok(r.cpuAvgPctOfOneCore !== null && r.cpuAvgPctOfAllCores === r.cpuAvgPctOfOneCore / r.cores);
      assert.ok(r.leak?.slopeMbPer1000Requests !== null, r.leak?.reason);
      assert.equal(r.drift?.requests, s?.totals.sent);
      for (const id of [
        'server.memory.acceptable',
        'server.cpu.acceptable',
        'server.leak.acceptable',
        'latency.drift.acceptable',
      ]) {
        const v = s?.verdicts.find((x) => x.id === id);
        assert.ok(v && v.measured !== null && v.gating, `${id} is judged and gates`);
      }
      // Realizar counts each accepted /generate call and its tokens (profiles/realizar.json).
      const generate = s?.endpoints.find((e) => e.name === 'generate');
      const requests = s?.prometheus?.crossCheck.find((c) => c.serverMetric === 'realizar_requests_total');
      assert.deepEqual(
        [requests?.k6Count, requests?.serverDelta, requests?.agree],
        [generate?.totals.sent, generate?.totals.sent, true],
      );
      const tokens = s?.prometheus?.crossCheck.find((c) => c.serverMetric === 'realizar_tokens_generated');
      assert.equal(tokens?.serverDelta, (generate?.totals.successes ?? 0) * 5, 'max_tokens 5 per greedy /generate');
      assert.equal(tokens?.agree, true);
      assert.deepEqual(s?.files.plots, ['k6/sustained/memory.svg', 'k6/sustained/cpu.svg', 'k6/sustained/latency.svg']);
      for (const plot of s!.files.plots!)
        assert.match(
          await readFile(path.join(dir, plot), 'utf8'),
          /^(<\?xml[^>]*>\s*)?<svg[\s\S]*<polyline[\s\S]*<\/svg>\s*$/,
        );
      assert.match(
        await readFile(path.join(dir, 'summary.md'), 'utf8'),
        /\[memory\.svg\]\(k6\/sustained\/memory\.svg\)/,
      );
      assert.match(text, /Server process \(process group \d+/);
    } finally {
      await removeDir(out);
    }
  });

  for (const [name, leakKb, expectPass] of [
    ['a server that leaks memory on purpose is caught by the leak check', 1024, false],
    ['the same server without the leak passes it', 0, true],
  ] as const) {
    it(name, async () => {
      const out = await tempDir('leak');
      const port = await freePort();
      try {
        // Test-only fault server (see its header): keeps 1 MB per request when told to.
        const run = await runCli([
          'sustained',
          '--mix',
          'health',
          '--scale',
          '0.5',
          '--server-cmd',
          faultServerCmd(`--leak-kb-per-request ${leakKb}`),
          '--port',
          String(port),
          '--out-dir',
          out,
        ]);
        const { report } = await latestReport(out);
        assert.equal(run.code, report.exitCode, run.stderr);
        const leak = report.scenarios[0]?.verdicts.find((v) => v.id === 'server.leak.acceptable');
        assert.ok(leak?.measured !== null && leak?.measured !== undefined, 'the leak check was made');
        assert.equal(leak?.pass, expectPass, `RSS growth ${leak?.measured} MB per 1000 requests`);
        if (!expectPass) assert.equal(run.code, 1, 'a leak fails the run');
        assert.deepEqual(await waitForNoLeftovers(`--port ${port}`), []);
      } finally {
        await removeDir(out);
      }
    });
  }

  it('--no-server watches the process of --server-pid, and without it leaves the resource rules unjudged', async () => {
    const port = await freePort();
    const server = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'test/support/fault-server.ts'), '--port', String(port)],
      {
        cwd: ROOT,
        stdio: 'ignore',
      },
    );
    const outs = [await tempDir('pid'), await tempDir('nopid')];
    try {
      const common = ['health', '--no-server', '--port', String(port), '--scale', '0.2', '--server-profile', 'none'];
      const withPid = await runCli([...common, '--server-pid', String(server.pid), '--out-dir', outs[0]!]);
      const a = (await latestReport(outs[0]!)).report;
      assert.equal(withPid.code, a.exitCode, withPid.stderr);
      assert.equal(a.scenarios[0]?.resources?.target, `pid ${server.pid}`);
      assert.ok(a.scenarios[0]?.verdicts.some((v) => v.id === 'server.memory.acceptable'));

      const withoutPid = await runCli([...common, '--out-dir', outs[1]!]);
      const b = (await latestReport(outs[1]!)).report;
      assert.equal(withoutPid.code, b.exitCode, withoutPid.stderr);
      assert.equal(b.scenarios[0]?.resources, null);
      assert.ok(!b.scenarios[0]?.verdicts.some((v) => v.id === 'server.memory.acceptable'));
      assert.ok(
        b.scenarios[0]?.notes.some((n) =>
          n.includes("'server.memory' (server memory overhead (peak - baseline RSS)) was not judged"),
        ),
      );
    } finally {
      server.kill('SIGTERM');
      for (const o of outs) await removeDir(o);
    }
  });
});
