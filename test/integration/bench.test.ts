/**
 * The benchmark runs end to end (quick mode) and writes its record where it is told. It asserts
 * what was measured and that everything was stopped, never a figure: speeds belong to
 * bench/results, not to tests.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { removeDir, ROOT, tempDir, waitForNoLeftovers } from '../support/cli.js';

interface Cell {
  generator: string;
  endpoint: string;
  runs: { requests: number; cpuSec: number; peakRssMb: number; p95: number }[];
}

describe('npm run bench', () => {
  it('measures every generator at a fixed rate and the bundling, as JSON and Markdown in the folder', async () => {
    const out = await tempDir('bench');
    try {
      const args = [
        '--import',
        'tsx',
        path.join(ROOT, 'bench/run.ts'),
        '--quick',
        '--only',
        'distortion,bundling',
        '--endpoints',
        'health',
        '--out',
        out,
      ];
      const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      clearTimeout(timer);
      assert.equal(code, 0, stderr);
      const files = (await readdir(out)).sort();
      assert.equal(files.length, 2);
      assert.match(files[0]!, /^\d{4}-\d{2}-\d{2}T\d{4}Z-quick\.json$/);
      assert.equal(files[1], files[0]!.replace(/\.json$/, '.md'));
      const record = JSON.parse(await readFile(path.join(out, files[0]!), 'utf8')) as {
        distortion: { cells: Cell[] };
        bundling: { ms: { runs: number[] } };
      };
      const generators = record.distortion.cells.map((c) => c.generator).sort();
      assert.deepEqual(generators, ['bare', 'checked', 'toolkit', 'toolkit-samples', 'vegeta']);
      for (const c of record.distortion.cells) {
        const [r] = c.runs;
        // --quick: 200 req/s for 2 s. Under load k6's constant-arrival-rate may reach the end one start
        // early or late (the toolkit counts such a request as unsent; src/k6/lib/open-guard.ts).
        assert.ok(r !== undefined && Math.abs(r.requests - 400) <= 1, `${c.generator}: ${r?.requests} of 400`);
        assert.ok(r.cpuSec > 0 && r.peakRssMb > 0 && r.p95 > 0, `${c.generator} was measured`);
      }
      assert.equal(record.bundling.ms.runs.length, 1);
      assert.match(await readFile(path.join(out, files[1]!), 'utf8'), /\| health \| 200 \| vegeta \| 400 \|/);
      const port = /realizar \S+ on port (\d+)/.exec(stderr)?.[1];
      assert.ok(port, 'the benchmark says where its server runs');
      assert.deepEqual(await waitForNoLeftovers(`--port ${port}`), [], 'the benchmark stopped its server');
    } finally {
      await removeDir(out);
    }
  });
});
