/**
 * Every scenario, with real k6 against a real Realizar (`realizar serve --demo`), through the real
 * runner. Scaled down (--scale) so the suite stays short; the shapes, rates and counting are the same.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { ScenarioPlan } from '../../src/core/types.js';
import { renderSeedBlock } from '../../src/core/report/render.js';
import { freePort, latestReport, removeDir, runCli, tempDir, waitForNoLeftovers } from '../support/cli.js';

const SEED_SCENARIOS = ['health', 'tokenize', 'generate', 'batch-tokenize', 'batch-generate', 'sustained', 'spike'];

describe('the seven seed scenarios against a real Realizar', () => {
  it('load-test runs all seven in one server lifetime and reports exact totals for each', async () => {
    const out = await tempDir('all');
    const port = await freePort();
    try {
      const run = await runCli(['seed', '--scale', '0.1', '--port', String(port), '--out-dir', out]);
      const { report, dir, text } = await latestReport(out);

      assert.equal(run.code, report.exitCode, run.stderr);
      const gateFailed = report.scenarios.some(
        (s) => s.k6ExitCode === 99 || s.verdicts.some((v) => v.gating && !v.pass),
      );
      assert.equal(report.exitCode, gateFailed ? 1 : 0, 'exit 1 exactly when a gate failed');
      assert.equal(run.stdout, text, 'the terminal shows report.txt');
      assert.equal(readlinkSync(path.join(out, 'latest')), report.runId);

      assert.equal(report.server.managed, true);
      assert.equal(report.server.version, '0.8.6', 'the real Realizar answered /health');
      assert.equal(report.server.healthyAfter, true);
      assert.equal(report.server.exit, null);
      assert.match(report.machine.note, /share this machine's \d+ CPU core/);
      assert.match(report.k6?.version ?? '', /^v1\./);
      assert.deepEqual(
        report.scenarios.map((s) => s.name),
        SEED_SCENARIOS,
      );

      for (const s of report.scenarios) {
        assert.equal(s.status, 'completed', `${s.name}: ${s.error}`);
        const plan = JSON.parse(readFileSync(path.join(dir, s.files.plan!), 'utf8')) as ScenarioPlan;
        assert.ok(existsSync(path.join(dir, s.files.summary!)), `${s.name}: k6's raw summary is kept`);
        const planned = plan.phases.reduce((n, p) => n + p.requests, 0);
        assert.equal(s.totals.requests, planned, `${s.name}: every planned request is accounted for`);
        assert.equal(s.totals.successes + s.totals.failures, s.totals.requests, s.name);
        assert.ok(s.verdicts.length > 0, `${s.name} has verdicts`);
        assert.ok(text.includes(renderSeedBlock(s).join('\n')), `${s.name}: the seed's block is in report.txt`);
      }
      // The seed's request counts at a tenth: health 100 -> 10, tokenize 50 -> 5, sustained 200 -> 20.
      const requests = Object.fromEntries(report.scenarios.map((s) => [s.name, s.totals.requests]));
      assert.deepEqual([requests['health'], requests['tokenize'], requests['sustained']], [10, 5, 20]);
      const spike = report.scenarios.find((s) => s.name === 'spike')!;
      assert.deepEqual(
        spike.phases.map((p) => p.name),
        ['baseline', 'spike', 'recovery'],
      );
      assert.ok(spike.verdicts.some((v) => v.id === 'recovery.latency.acceptable'));
      assert.deepEqual(await waitForNoLeftovers(`--port ${port}`), [], 'the server was stopped');
    } finally {
      await removeDir(out);
    }
  });

  it("--mix health reproduces the seed's sustained test: every request goes to /health", async () => {
    const out = await tempDir('mix');
    const port = await freePort();
    try {
      const run = await runCli([
        'sustained',
        '--mix',
        'health',
        '--scale',
        '0.1',
        '--port',
        String(port),
        '--out-dir',
        out,
      ]);
      const { report } = await latestReport(out);
      assert.equal(run.code, report.exitCode, run.stderr);
      const [s] = report.scenarios;
      assert.deepEqual(
        s?.endpoints.map((e) => [e.name, e.totals.requests]),
        [['health', 20]],
      );
      assert.ok(s?.verdicts.every((v) => !v.scope.includes('tokenize') && !v.scope.includes('generate')));
      assert.ok(
        s?.notes.some((n) => n.includes('does not apply')),
        'the dropped per-endpoint rules are named',
      );
    } finally {
      await removeDir(out);
    }
  });
});
