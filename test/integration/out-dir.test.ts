/**
 * The out-dir fails under a run: full (a tmpfs smaller than the run's files, as a small CI volume),
 * made read-only, or removed while k6 runs; and, for a user who is not root, not writable from the start. Every time:
 * the report is on the terminal before any file, the error names the path and the cause (ENOSPC,
 * EROFS, ENOENT, EACCES) and lists what was and was not written — which the disk then confirms —,
 * no temporary file is left, what k6 had written is still there, exit 2, no stack trace, no process
 * left. The same for the streamed scenario. Real runner, real k6, real Realizar (the streamed
 * read-only and removed cases use the test-only fault server, for streams slow enough to act on).
 * A tmpfs needs root (mount); without it those tests are skipped, saying so.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmdirSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { CHROMIUM_PATHS } from '../../src/node/k6/k6.js';
import {
  collect,
  faultServerCmd,
  filesUnder,
  freePort,
  removeDir,
  startEntry,
  tempDir,
  type CliResult,
} from '../support/cli.js';
import { killCarrying, markedEnv, pidsCarrying, waitFor, waitUntilGone } from '../support/descendants.js';
import { loadReceived } from '../support/with-fault-server.js';

const chromium = CHROMIUM_PATHS.some((p) => existsSync(p));

/** A tmpfs of `size` mounted for the test, unmounted in finally; null (with why) where mount is not allowed. */
function mountTmpfs(size: string): { dir: string; unmount: () => void } | { skip: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'realizar-k6-test-tmpfs-'));
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { encoding: 'utf8' });
  if (r.status !== 0) {
    rmdirSync(dir);
    const why = (r.stderr || r.error?.message || `exit ${r.status}`).trim();
    return { skip: `mount -t tmpfs is not permitted here (${why}): it needs root` };
  }
  return {
    dir,
    unmount: () => {
      // Every mount stacked there (the tmpfs, a read-only bind of it); lazily, in case a process
      // of a failed run still holds a file.
      for (let i = 0; i < 3 && spawnSync('mountpoint', ['-q', dir]).status === 0; i++) spawnSync('umount', ['-l', dir]);
      rmdirSync(dir);
    },
  };
}

interface Outcome {
  run: CliResult;
  runDir: string | null;
  written: string[];
  notWritten: string[];
  left: string[];
}

/** The error's "written:" and "not written:" lists. */
function lists(stderr: string): { written: string[]; notWritten: string[] } {
  const list = (label: string): string[] => {
    const line = new RegExp(`^ {2}${label}: (.*)$`, 'm').exec(stderr)?.[1];
    assert.ok(line !== undefined, `no "${label}:" line in:\n${stderr.slice(-3000)}`);
    return line === 'none' ? [] : line.split(', ');
  };
  return { written: list('written'), notWritten: list('not written') };
}

/** Run with `--out-dir out`, calling `during` once `when` holds while k6 runs. */
async function runWith(
  args: string[],
  out: string,
  when: (token: string) => Promise<boolean> | boolean,
  during: () => void | Promise<void>,
): Promise<Outcome> {
  const { token, env } = markedEnv();
  try {
    const child = startEntry('run', [...args, '--out-dir', out], env);
    const done = collect(child);
    await waitFor(
      'the moment to break the out-dir',
      async () => (await when(token)) || child.exitCode !== null,
      240_000,
    );
    await during();
    const run = await done;
    const { left } = await waitUntilGone(token, 5000);
    const runDir = /^ {2}in (.*)$/m.exec(run.stderr)?.[1] ?? null;
    return {
      run,
      runDir,
      ...(run.code === 2 && /could not write/.test(run.stderr) ? lists(run.stderr) : { written: [], notWritten: [] }),
      left,
    };
  } finally {
    killCarrying(token);
  }
}

/** What every failing disk must give: the report first, the error with path and cause, exit 2, nothing left. */
function assertKeptWhatItSays(o: Outcome, cause: RegExp, failedPath: RegExp): void {
  assert.equal(o.run.code, 2, o.run.stderr.slice(-3000));
  assert.match(o.run.stdout, /=== Outcome: [A-Z]+ \(exit \d+\) ===\n$/, 'the whole report reached the terminal');
  const error = /\[realizar-k6\] error: (could not write .*)$/m.exec(o.run.stderr)?.[1] ?? '';
  assert.match(error, failedPath, o.run.stderr.slice(-3000));
  assert.match(error, cause);
  assert.doesNotMatch(o.run.stderr, /^\s+at .*\(.*:\d+:\d+\)$/m, 'no stack trace');
  assert.ok(o.notWritten.length > 0);
  assert.deepEqual(o.left, [], 'a process of the run is still alive');
}

async function assertDiskAgrees(o: Outcome): Promise<void> {
  assert.ok(o.runDir !== null);
  for (const f of o.written)
    if (!f.startsWith('<out-dir>'))
      assert.ok(existsSync(path.join(o.runDir!, f)), `${f} is said written but is not there`);
  for (const f of o.notWritten)
    if (!f.startsWith('<out-dir>'))
      assert.ok(!existsSync(path.join(o.runDir!, f)), `${f} is said not written but is there`);
  const files = await filesUnder(o.runDir!);
  assert.deepEqual(
    files.filter((f) => /\.tmp$/.test(f)),
    [],
    'a temporary file was left',
  );
  if (o.written.includes('report.json')) JSON.parse(await readFile(path.join(o.runDir!, 'report.json'), 'utf8'));
}

const k6Running = (token: string): boolean => pidsCarrying(token, /\/k6 run\b/).length > 0;
const after =
  (ms: number) =>
  async (token: string): Promise<boolean> => {
    if (!k6Running(token)) return false;
    await new Promise((r) => setTimeout(r, ms));
    return true;
  };

function skipUnlessMounted(
  t: TestContext,
  m: ReturnType<typeof mountTmpfs>,
): m is { dir: string; unmount: () => void } {
  if ('skip' in m) {
    t.skip(m.skip);
    return false;
  }
  return true;
}

for (const variant of [
  {
    name: 'spike',
    // Smaller than what the run writes (about 390 KB), larger than what it writes before its report.
    fullKb: 300,
    args: (port: number) => ['spike', '--port', String(port)],
    slow: (port: number) => ['spike', '--port', String(port)],
    started: (_port: number) => after(3000),
  },
  {
    name: 'stream',
    // The same for a streamed run of --scale 0.2 (about 180 KB, 100 KB of it report.html).
    fullKb: 120,
    args: (port: number) => ['stream', '--scale', '0.2', '--port', String(port)],
    slow: (port: number) => [
      'stream',
      '--port',
      String(port),
      '--server-cmd',
      faultServerCmd("--stream-chunks '500:1,500:1,500:1'"),
      '--server-profile',
      'none',
    ],
    started: (port: number) => async () => (await loadReceived(port)) >= 1,
  },
]) {
  describe(`the out-dir failing under the ${variant.name} scenario`, () => {
    it(`full (ENOSPC, ${variant.fullKb} KB tmpfs): report printed, files named, exit 2`, async (t) => {
      if (variant.name === 'stream' && !chromium) return t.skip('Chromium is not installed (apt-get install chromium)');
      const m = mountTmpfs(`${variant.fullKb}k`);
      if (!skipUnlessMounted(t, m)) return;
      try {
        const port = await freePort();
        const o = await runWith(
          variant.args(port),
          m.dir,
          () => true,
          () => undefined,
        );
        assertKeptWhatItSays(o, /\(ENOSPC: no space left on the device\)/, /could not write \S+/);
        await assertDiskAgrees(o);
        // k6's own output is never removed by the runner.
        const k6Files = (await filesUnder(o.runDir!)).filter((f) => f.includes(`${path.sep}k6${path.sep}`));
        assert.ok(
          k6Files.some((f) => f.endsWith('k6.log')),
          k6Files.join('\n'),
        );
      } finally {
        m.unmount();
      }
    });

    it('made read-only while k6 runs (EROFS): no file can be made, what k6 wrote before stays, exit 2', async (t) => {
      if (variant.name === 'stream' && !chromium) return t.skip('Chromium is not installed (apt-get install chromium)');
      const m = mountTmpfs('64m');
      if (!skipUnlessMounted(t, m)) return;
      try {
        const port = await freePort();
        let before: string[] = [];
        const o = await runWith(variant.slow(port), m.dir, variant.started(port), async () => {
          before = await filesUnder(m.dir);
          // The tmpfs itself cannot go read-only while k6 writes into it (EBUSY); a read-only bind
          // over it can: files already open keep their writer, every new file gets EROFS.
          assert.equal(spawnSync('mount', ['--bind', m.dir, m.dir]).status, 0, 'bind');
          assert.equal(spawnSync('mount', ['-o', 'remount,bind,ro', m.dir]).status, 0, 'remount read-only');
        });
        assertKeptWhatItSays(o, /\(EROFS: the file system is read-only\)/, /could not write \S+/);
        assert.deepEqual(o.written, [], 'nothing could be written');
        assert.ok(o.notWritten.includes('report.json') && o.notWritten.includes('report.txt'));
        await assertDiskAgrees(o);
        assert.deepEqual(
          (await filesUnder(m.dir)).sort(),
          before.sort(),
          'exactly the files there before the remount, none removed',
        );
        assert.match(
          o.run.stdout,
          /k6 could not write its summary \(EROFS: the file system is read-only\)/,
          'the scenario says why k6 left no summary',
        );
      } finally {
        m.unmount();
      }
    });

    it('removed while k6 runs (ENOENT): report printed, the error says the folder is gone, exit 2', async (t) => {
      if (variant.name === 'stream' && !chromium) return t.skip('Chromium is not installed (apt-get install chromium)');
      const out = await tempDir('removed');
      try {
        const port = await freePort();
        const o = await runWith(variant.slow(port), out, variant.started(port), () =>
          rm(out, { recursive: true, force: true }),
        );
        assertKeptWhatItSays(
          o,
          /\(ENOENT: the folder no longer exists \(removed during the run\?\)\)/,
          /could not write \S+/,
        );
        assert.match(o.run.stderr, /the folder, and what k6 wrote into it, is gone/);
        assert.ok(!existsSync(out), 'the runner did not make the folder again');
      } finally {
        await removeDir(out);
      }
    });
  });
}

describe('an out-dir that cannot take a run folder at all', () => {
  it('read-only from the start (EROFS): stops before any load, naming the folder and cause, exit 2', async (t) => {
    const m = mountTmpfs('1m');
    if (!skipUnlessMounted(t, m)) return;
    try {
      assert.equal(spawnSync('mount', ['-o', 'remount,ro', m.dir]).status, 0);
      const { token, env } = markedEnv();
      const run = await collect(
        startEntry('run', ['health', '--port', String(await freePort()), '--out-dir', m.dir], env),
      );
      assert.equal(run.code, 2, run.stderr);
      assert.match(
        run.stderr,
        new RegExp(`could not write ${m.dir}/\\S+-health \\(EROFS: the file system is read-only\\)`),
      );
      assert.match(run.stderr, /what to do: free space, or pick another --out-dir/);
      assert.doesNotMatch(run.stderr, /running scenario/, 'no load was sent');
      assert.deepEqual((await waitUntilGone(token, 5000)).left, []);
    } finally {
      m.unmount();
    }
  });

  it('a path through a file (ENOTDIR): the same clear error, exit 2', async () => {
    const dir = await tempDir('enotdir');
    try {
      const { writeFile } = await import('node:fs/promises');
      await writeFile(path.join(dir, 'not-a-folder'), '');
      const run = await collect(
        startEntry(
          'run',
          ['health', '--port', String(await freePort()), '--out-dir', path.join(dir, 'not-a-folder', 'reports')],
          process.env,
        ),
      );
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, /could not write \S+ \(ENOTDIR: a part of the path is not a folder\)/);
      assert.doesNotMatch(run.stderr, /^\s+at .*:\d+:\d+\)?$/m, 'no stack trace');
    } finally {
      await removeDir(dir);
    }
  });
});

describe('an out-dir the user may not write', () => {
  it('(EACCES) stops the run before any load, naming the folder and the cause, exit 2', async (t) => {
    if (process.getuid?.() === 0)
      return t.skip('running as root, which ignores permission bits: EACCES cannot happen here');
    const out = await tempDir('eacces');
    const { chmod } = await import('node:fs/promises');
    try {
      await chmod(out, 0o500);
      const { token, env } = markedEnv();
      const run = await collect(
        startEntry('run', ['health', '--port', String(await freePort()), '--out-dir', out], env),
      );
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, /could not write \S+ \(EACCES: permission denied\)/);
      assert.deepEqual((await waitUntilGone(token, 5000)).left, []);
    } finally {
      await chmod(out, 0o700);
      await removeDir(out);
    }
  });
});
