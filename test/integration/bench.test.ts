/**
 * The benchmark runs end to end (quick mode) and writes its record. It asserts what was measured
 * and that everything was stopped — never a figure: speeds belong to bench/results, not to tests.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { removeDir, ROOT, tempDir, waitForNoLeftovers } from '../support/cli.js';

describe('npm run bench', () => {
  it('measures the ceiling, overhead, bundling and memory and writes them as JSON and Markdown', async () => {
    const out = await tempDir('bench');
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench/run.ts'), '--quick', '--out', out], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      clearTimeout(timer);
      assert.equal(code, 0, stderr);
      const files = (await readdir(out)).sort();
      assert.equal(files.length, 2);
      assert.match(files[0]!, /^\d{4}-\d{2}-\d{2}-quick\.json$/);
      const record = JSON.parse(await readFile(path.join(out, files[0]!), 'utf8')) as Record<string, Record<string, { runs: number[] }>>;
      for (const tool of ['ours', 'ours, validation off', 'bare k6', 'k6 checking status and body by hand']) {
        assert.equal(record['ceilingShared']?.[tool]?.runs.length, 1, tool);
      }
      assert.deepEqual(Object.keys(record['k6PeakRssMb'] ?? {}), ['10', '100']);
      assert.ok(record['orchestration']?.['totalMs'] && record['bundlingMs']);
      assert.match(await readFile(path.join(out, files[1]!), 'utf8'), /\| ours \/ bare k6 \(shared\) \| [\d.]+ \| ≥ 0\.95 \|/);
      const port = /realizar \S+ on port (\d+)/.exec(stderr)?.[1];
      assert.ok(port, 'the benchmark says where its server runs');
      assert.deepEqual(await waitForNoLeftovers(`--port ${port}`), [], 'the benchmark stopped its server');
    } finally {
      await removeDir(out);
    }
  });
});
