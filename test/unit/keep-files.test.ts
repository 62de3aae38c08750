/**
 * Writing results file by file: one that fails does not stop the others, the error names the path
 * and the cause and lists what is on disk and what is not, and no temporary file is left behind.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ReportWriteError } from '../../src/node/errors/ReportWriteError.js';
import { keepFiles, recordWriteFailure } from '../../src/node/files/keep-files.js';
import { writeAtomic } from '../../src/node/files/report-files.js';

describe('keeping the files of a run', () => {
  it('writes every file it can, then one ReportWriteError naming the first failure, cause and both lists', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'realizar-k6-unit-keep-'));
    try {
      const gone = path.join(dir, 'no-such-folder', 'report.json');
      const err = await keepFiles(
        dir,
        [
          { file: gone, write: () => writeAtomic(gone, '{}') },
          { file: path.join(dir, 'report.txt'), write: () => writeAtomic(path.join(dir, 'report.txt'), 'text') },
        ],
        { shownAbove: true, rebuildable: true },
      ).then(
        () => null,
        (e: unknown) => e,
      );
      assert.ok(err instanceof ReportWriteError);
      assert.equal(err.exitCode, 2);
      assert.equal(err.code, 'ENOENT');
      assert.deepEqual(err.written, ['report.txt']);
      assert.deepEqual(err.notWritten, [path.join('no-such-folder', 'report.json')]);
      assert.match(
        err.message,
        /^could not write \S+report\.json \(ENOENT: the folder no longer exists \(removed during the run\?\)\)/,
      );
      assert.match(err.message, /written: report\.txt\n {2}not written: no-such-folder\/report\.json/);
      assert.match(err.message, /the report above is complete/);
      assert.ok(existsSync(path.join(dir, 'report.txt')));
      assert.deepEqual(
        (await readdir(dir)).filter((f) => f.endsWith('.tmp')),
        [],
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('lists a write that failed during the run (a log, a plot) with the others, once', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'realizar-k6-unit-keep-'));
    try {
      const plot = path.join(dir, 'k6', 'spike', 'latency.svg');
      const enospc = Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      recordWriteFailure(plot, enospc);
      recordWriteFailure(plot, enospc);
      const err = await keepFiles(
        dir,
        [{ file: path.join(dir, 'report.json'), write: () => writeAtomic(path.join(dir, 'report.json'), '{}') }],
        {
          shownAbove: true,
        },
      ).then(
        () => null,
        (e: unknown) => e,
      );
      assert.ok(err instanceof ReportWriteError);
      assert.equal(err.code, 'ENOSPC');
      assert.deepEqual(err.written, ['report.json']);
      assert.deepEqual(err.notWritten, [path.join('k6', 'spike', 'latency.svg')]);
      // Nothing recorded any more: the next write starts clean.
      assert.deepEqual(await keepFiles(dir, [], { shownAbove: false }), []);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
  it('names a log the disk cut short as such: it is on disk with what it took before the failure', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'realizar-k6-unit-keep-'));
    try {
      const log = path.join(dir, 'k6.log');
      await writeFile(log, 'the first lines');
      recordWriteFailure(log, Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' }));
      const err = await keepFiles(dir, [], { shownAbove: true }).then(
        () => null,
        (e: unknown) => e,
      );
      assert.ok(err instanceof ReportWriteError);
      assert.deepEqual(err.notWritten, ['k6.log (cut short)']);
      assert.equal(await readFile(log, 'utf8'), 'the first lines', 'kept as it was');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
