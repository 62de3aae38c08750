/**
 * Finding the tools: a k6 on PATH is used (and named in the report); a missing tool that cannot be
 * built stops the run with exit 2 and says what to install.
 */
import assert from 'node:assert/strict';
import { mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseRunConfig } from '../../src/node/config/index.js';
import { k6CachePath } from '../../src/node/tools/tools.js';
import { freePort, latestReport, removeDir, runCli, tempDir } from '../support/cli.js';

const { cacheDir } = parseRunConfig(['--help'], []);
const builtK6 = k6CachePath(cacheDir);
const SYSTEM_PATH = '/usr/bin:/bin';

async function binWithK6(): Promise<string> {
  const bin = await tempDir('bin');
  await symlink(builtK6, path.join(bin, 'k6'));
  return bin;
}

describe('finding the tools', () => {
  it('a k6 v1 on PATH is used, and the report says which', async () => {
    const bin = await binWithK6();
    const out = await tempDir('k6-on-path');
    try {
      const run = await runCli(['health', '--scale', '0.1', '--port', String(await freePort()), '--out-dir', out], {
        env: { PATH: `${bin}:${process.env['PATH']}` },
      });
      const { report } = await latestReport(out);
      assert.equal(run.code, report.exitCode, run.stderr);
      assert.deepEqual([report.k6?.origin, report.k6?.path], ['path', path.join(bin, 'k6')]);
      assert.ok(run.stderr.includes(`using k6 ${report.k6?.version} (path: ${path.join(bin, 'k6')})`));
    } finally {
      await removeDir(out);
      await removeDir(bin);
    }
  });

  it('without k6, and without Go to build it: exit 2 naming the tool and what to install', async () => {
    const cache = await tempDir('empty-cache');
    const out = await tempDir('no-go');
    try {
      const run = await runCli(['health', '--out-dir', out], { env: { PATH: SYSTEM_PATH, REALIZAR_K6_CACHE: cache } });
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, /k6: k6 is not installed and Go, needed to build it, is not on PATH/);
      assert.match(run.stderr, /what to do: install Go 1\.25 or newer/);
    } finally {
      await removeDir(cache);
      await removeDir(out);
    }
  });

  it('without Realizar, and without cargo to build it: exit 2 naming the tool and what to install', async () => {
    const bin = await binWithK6();
    const cache = await tempDir('empty-cache');
    await mkdir(path.join(cache, 'tools'));
    const out = await tempDir('no-cargo');
    try {
      const run = await runCli(['health', '--out-dir', out], {
        env: { PATH: `${bin}:${SYSTEM_PATH}`, REALIZAR_K6_CACHE: cache },
      });
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, /realizar: Realizar is not installed and cargo, needed to build it, is not on PATH/);
      assert.match(run.stderr, /what to do: install Rust with cargo/);
    } finally {
      await removeDir(bin);
      await removeDir(cache);
      await removeDir(out);
    }
  });
});
