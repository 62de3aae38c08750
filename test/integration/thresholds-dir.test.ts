/**
 * --thresholds-dir as a new user tries it: a folder holding only the files of the scenarios being
 * run. Real runner, real k6, real Realizar.
 */
import assert from 'node:assert/strict';
import { copyFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { freePort, latestReport, removeDir, ROOT, runCli, tempDir, waitForNoLeftovers } from '../support/cli.js';

describe('--thresholds-dir', () => {
  it('needs only the files of the scenarios run: spike.json alone runs it, a broken other is unread', async () => {
    const dir = await tempDir('only-spike');
    const out = await tempDir('only-spike-out');
    const port = await freePort();
    await copyFile(path.join(ROOT, 'thresholds', 'spike.json'), path.join(dir, 'spike.json'));
    await writeFile(path.join(dir, 'tokenize.json'), '{ not json');
    try {
      const run = await runCli([
        'spike',
        '--thresholds-dir',
        dir,
        '--scale',
        '0.2',
        '--port',
        String(port),
        '--out-dir',
        out,
      ]);
      const { report } = await latestReport(out);
      assert.notEqual(run.code, 2, run.stderr);
      assert.equal(run.code, report.exitCode, run.stderr);
      assert.deepEqual(report.errors, []);
      assert.deepEqual(
        report.scenarios.map((s) => [s.name, s.status, s.phases.map((p) => p.name)]),
        [['spike', 'completed', ['baseline', 'spike', 'recovery']]],
      );
      assert.ok(
        report.scenarios[0]!.verdicts.some((v) => v.id === 'spike.errors.acceptable'),
        'the rules of DIR/spike.json',
      );
      assert.deepEqual(await waitForNoLeftovers(`--port ${port}`), []);
    } finally {
      await removeDir(dir);
      await removeDir(out);
    }
  });
});
