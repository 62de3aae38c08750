import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { recordPaths } from '../../bench/lib/results.js';

describe('where a benchmark record goes', () => {
  const now = new Date('2026-11-28T09:30:12Z');

  it('a new dated file in the folder, never one already there', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-results-'));
    try {
      const first = recordPaths(null, dir, now, false);
      assert.deepEqual(first, {
        json: path.join(dir, '2026-11-28T0930Z.json'),
        md: path.join(dir, '2026-11-28T0930Z.md'),
      });
      await writeFile(first.json, '{}');
      assert.equal(recordPaths(null, dir, now, false).json, path.join(dir, '2026-11-28T0930Z-2.json'));
      assert.equal(recordPaths(dir, '/unused', now, true).json, path.join(dir, '2026-11-28T0930Z-quick.json'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('the file the user named, with the Markdown beside it', () => {
    assert.deepEqual(recordPaths('/tmp/x/run.json', '/unused', now, false), {
      json: '/tmp/x/run.json',
      md: '/tmp/x/run.md',
    });
  });
});
