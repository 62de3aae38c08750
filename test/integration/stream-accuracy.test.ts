/**
 * The streamed-accuracy benchmark runs end to end (quick mode) and writes its record: every request
 * counted on both sides, a figure for each percentile. Never a timing: those belong to bench/results.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { AccuracyRun } from '../../bench/stream-accuracy.js';
import { CHROMIUM_PATHS } from '../../src/node/k6/k6.js';
import { spawn } from 'node:child_process';
import { collect, removeDir, ROOT, tempDir, waitForNoLeftovers } from '../support/cli.js';

describe('npm run bench -- stream-accuracy', () => {
  it('measures the client against the truth server and writes the record as JSON and Markdown', async (t) => {
    if (!CHROMIUM_PATHS.some((p) => existsSync(p)))
      return t.skip('Chromium is not installed (apt-get install chromium)');
    const out = await tempDir('stream-accuracy');
    try {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', path.join(ROOT, 'bench', 'run.ts'), 'stream-accuracy', '--quick', '--out', out],
        {
          cwd: ROOT,
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
      const run = await collect(child);
      clearTimeout(timer);
      assert.equal(run.code, 0, run.stderr);
      const files = (await readdir(out)).sort();
      assert.equal(files.length, 2);
      assert.match(files[0]!, /^\d{4}-\d{2}-\d{2}T\d{4}Z-stream-accuracy-quick\.json$/);
      const record = JSON.parse(await readFile(path.join(out, files[0]!), 'utf8')) as { runs: AccuracyRun[] };
      assert.equal(record.runs.length, 1);
      const r = record.runs[0]!;
      assert.deepEqual(
        [r.concurrency, r.requests, r.client.sent, r.client.ok, r.server.received, r.server.completed],
        [8, 16, 16, 16, 16, 16],
      );
      for (const figure of [r.late.ttft, r.late.itl, r.late.e2e])
        assert.ok(figure !== null && Number.isFinite(figure.p50) && Number.isFinite(figure.p95));
      assert.ok(r.generator !== null && r.generator.browser !== null, 'the generator was measured, browser included');
      // 16 streams of 16 tokens and an end each, every one a write the server recorded.
      assert.equal(r.perChunk.events, 16 * 17);
      assert.ok(r.perChunk.cpuMs !== null && r.perChunk.cpuMs > 0, 'the reader CPU per chunk is given');
      assert.match(await readFile(path.join(out, files[1]!), 'utf8'), /\| 8 \| 16\/16 \|/);
      assert.deepEqual(await waitForNoLeftovers('reference-server.ts'), []);
    } finally {
      await removeDir(out);
    }
  });
});
