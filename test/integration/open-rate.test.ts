/**
 * An open run set by flags sends exactly rate × duration requests: k6 starts one or two iterations
 * past the end of a constant-arrival-rate scenario when its scheduler runs late, and the scenario
 * sends nothing for them (src/k6/lib/open-guard.ts). Real k6 against a real Realizar, three times,
 * since a late scheduler is a matter of chance; and the run is light on the machine it measures.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { NO_SAMPLES_NOTE } from '../../src/core/windows/feed.js';
import { freePort, latestReport, removeDir, runCli, tempDir, waitForNoLeftovers } from '../support/cli.js';

describe('an open run shaped by --rate, --duration and --clients, or --stages', () => {
  it('sends exactly rate × duration requests, every time', async () => {
    for (let attempt = 1; attempt <= 3; attempt++) {
      const out = await tempDir('open-rate');
      const port = await freePort();
      try {
        const run = await runCli([
          'sustained',
          '--mix',
          'generate',
          '--rate',
          '200',
          '--duration',
          '5',
          '--clients',
          '50',
          '--port',
          String(port),
          '--out-dir',
          out,
        ]);
        const { report, dir } = await latestReport(out);
        assert.equal(run.code, report.exitCode, run.stderr);
        const s = report.scenarios[0]!;
        assert.equal(s.phases[0]?.plannedRequests, 1000);
        assert.equal(s.totals.requests, 1000, `attempt ${attempt}`);
        assert.equal(
          s.totals.sent + s.totals.dropped,
          1000,
          `attempt ${attempt}: sent ${s.totals.sent}, dropped ${s.totals.dropped}`,
        );
        assert.equal(s.endpoints.find((e) => e.name === 'generate')?.totals.sent, s.totals.sent);
        // k6's own count of requests it made: never one past the plan.
        const k6 = JSON.parse(await readFile(path.join(dir, 'k6', 'sustained', 'summary.json'), 'utf8')) as {
          metrics: Record<string, { values: { count: number } }>;
        };
        assert.equal(k6.metrics['http_reqs']?.values.count, s.totals.sent);
        assert.deepEqual(await waitForNoLeftovers(`--port ${port}`), []);
      } finally {
        await removeDir(out);
      }
    }
  });

  it('--stages steps the rate in one run: each stage sends rate × seconds, and Realizar counts them all', async () => {
    const out = await tempDir('stages');
    const port = await freePort();
    try {
      const stages = ['--stages', '10:2,40:2', '--clients', '8', '--arrivals', 'poisson', '--seed', '3'];
      const run = await runCli(['generate', ...stages, '--port', String(port), '--out-dir', out]);
      const { report, text } = await latestReport(out);
      assert.equal(run.code, report.exitCode, run.stderr);
      const s = report.scenarios[0]!;
      assert.deepEqual(
        s.phases.map((p) => [p.name, p.model, p.plannedRequests, p.totals.sent + p.totals.dropped]),
        [
          ['stage-1', 'open', 20, 20],
          ['stage-2', 'open', 80, 80],
        ],
      );
      const requests = s.prometheus!.crossCheck.find((c) => c.serverMetric === 'realizar_requests_total')!;
      assert.deepEqual([requests.serverDelta, requests.k6Count], [s.totals.sent, s.totals.sent]);
      assert.match(text, /this run: --stages 10:2,40:2 --clients 8 ---/);
      assert.match(text, /^ {2}phase +stage-2 +80 /m);
      assert.deepEqual(await waitForNoLeftovers(`--port ${port}`), []);
    } finally {
      await removeDir(out);
    }
  });

  it("by default: figures from k6's summary, the timeline and drift from its own windows", async () => {
    const out = await tempDir('no-samples');
    const port = await freePort();
    try {
      const run = await runCli([
        'sustained',
        '--mix',
        'health',
        '--rate',
        '100',
        '--duration',
        '3',
        '--port',
        String(port),
        '--out-dir',
        out,
      ]);
      const { report, dir, text } = await latestReport(out);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(report.exitCode, 0);
      assert.equal(existsSync(path.join(dir, 'k6', 'sustained', 'samples.csv.gz')), false, 'no samples file');
      assert.doesNotMatch(await readFile(path.join(dir, 'k6', 'sustained', 'k6.log'), 'utf8'), /output: csv/);
      const s = report.scenarios[0]!;
      assert.deepEqual([s.totals.requests, s.totals.sent, s.totals.failures], [300, 300, 0]);
      assert.equal(s.partial ?? null, null);
      assert.ok(s.notes.includes(NO_SAMPLES_NOTE), s.notes.join('\n'));
      // k6's own one-second windows stand in for the samples: every request is in them.
      const windows = await readFile(path.join(dir, 'k6', 'sustained', 'windows.jsonl'), 'utf8');
      assert.ok(windows.split('\n').filter(Boolean).length >= 2, `a push a second: ${windows.slice(0, 200)}`);
      const seconds = s.timeline?.seconds ?? [];
      assert.deepEqual(
        [seconds.reduce((n, x) => n + x.requests, 0), seconds.reduce((n, x) => n + x.failures, 0)],
        [300, 0],
        'the timeline counts every request, from the windows',
      );
      for (const id of ['latency.drift.acceptable', 'server.leak.acceptable'])
        assert.equal(typeof s.verdicts.find((v) => v.id === id)?.measured, 'number', `${id} judged from the windows`);
      assert.ok(!s.notes.some((n) => /drift|leak/.test(n) && n.includes('does not apply')), s.notes.join('|'));
      assert.match(text, /Per-request samples were not written \(the default; --samples writes them\)/);
      assert.deepEqual(await waitForNoLeftovers(`--port ${port}`), []);
    } finally {
      await removeDir(out);
    }
  });
});
