/**
 * Gating: a crossed threshold fails the run (exit 1) with a FAIL row; the target tier gates only
 * with --gate target; a 200 with a broken body is a failure. Real k6, real runner.
 */
import assert from 'node:assert/strict';
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { ThresholdsFile } from '../../src/core/types.js';
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

/** A copy of thresholds/ with one health rule changed. */
async function thresholdsWith(change: (f: ThresholdsFile) => void): Promise<string> {
  const dir = await tempDir('thresholds');
  await cp(path.join(ROOT, 'thresholds'), dir, { recursive: true });
  const file = path.join(dir, 'health.json');
  const data = JSON.parse(await readFile(file, 'utf8')) as ThresholdsFile;
  change(data);
  await writeFile(file, JSON.stringify(data));
  return dir;
}

describe('gates', () => {
  it('an impossible threshold fails the run with exit 1 and a FAIL row', async () => {
    const out = await tempDir('impossible');
    const thresholds = await thresholdsWith((f) => {
      const p50 = f.rules.find((r) => r.id === 'p50')!;
      p50.acceptable = 0.001;
      p50.target = 0.001;
    });
    const port = await freePort();
    try {
      const run = await runCli([
        'health',
        '--thresholds-dir',
        thresholds,
        '--scale',
        '0.2',
        '--port',
        String(port),
        '--out-dir',
        out,
      ]);
      const { report, text } = await latestReport(out);
      assert.equal(run.code, 1, run.stderr);
      assert.equal(report.outcome, 'failed');
      assert.equal(report.scenarios[0]?.k6ExitCode, 99, "k6's own threshold was crossed");
      const row = report.scenarios[0]?.verdicts.find((v) => v.id === 'p50.acceptable');
      assert.deepEqual([row?.pass, row?.gating, row?.k6Ok, row?.bound], [false, true, false, 0.001]);
      assert.match(text, /p50 latency\s+all\s+acceptable \(gate\)\s+< 0 ms\s+[\d.]+ ms\s+FAIL/);
      assert.match(text, /=== Outcome: FAILED \(exit 1\) ===/);
    } finally {
      await removeDir(out);
      await removeDir(thresholds);
    }
  });

  it('a missed target tier is reported but gates only with --gate target', async () => {
    const thresholds = await thresholdsWith((f) => {
      f.rules.find((r) => r.id === 'p95')!.target = 0.001;
    });
    const port = await freePort();
    const outs = [await tempDir('gate-acceptable'), await tempDir('gate-target')];
    try {
      const common = ['health', '--thresholds-dir', thresholds, '--scale', '0.2', '--port', String(port)];
      const acceptable = await runCli([...common, '--out-dir', outs[0]!]);
      const target = await runCli([...common, '--gate', 'target', '--out-dir', outs[1]!]);
      const a = (await latestReport(outs[0]!)).report;
      const t = (await latestReport(outs[1]!)).report;
      const row = (r: typeof a) => r.scenarios[0]?.verdicts.find((v) => v.id === 'p95.target');
      assert.deepEqual([row(a)?.pass, row(a)?.gating], [false, false]);
      assert.deepEqual([row(t)?.pass, row(t)?.gating], [false, true]);
      assert.equal(target.code, 1, target.stderr);
      // The acceptable run fails only if a real acceptable gate failed on this machine.
      const acceptableFailed = a.scenarios[0]!.verdicts.some((v) => v.gating && !v.pass);
      assert.equal(acceptable.code, acceptableFailed ? 1 : 0, acceptable.stderr);
    } finally {
      for (const o of outs) await removeDir(o);
      await removeDir(thresholds);
    }
  });

  it('a 200 whose body breaks the schema counts as a failure and crosses the error-rate gate', async () => {
    const out = await tempDir('bad-bodies');
    const port = await freePort();
    try {
      // Test-only fault server (see its header): every 5th body breaks the tokenize schema.
      const run = await runCli([
        'tokenize',
        '--server-cmd',
        faultServerCmd('--bad-body-every 5'),
        '--port',
        String(port),
        '--out-dir',
        out,
      ]);
      const { report } = await latestReport(out);
      const [s] = report.scenarios;
      assert.equal(run.code, 1, run.stderr);
      assert.deepEqual(
        [s?.totals.requests, s?.totals.successes, s?.totals.failures, s?.errorRatePct],
        [50, 40, 10, 20],
      );
      assert.equal(s?.verdicts.find((v) => v.id === 'errors.acceptable')?.pass, false);
      assert.deepEqual(await waitForNoLeftovers(`--port ${port}`), []);
    } finally {
      await removeDir(out);
    }
  });
});
