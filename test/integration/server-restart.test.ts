/**
 * A server restarted mid-run, outside the runner's control (--no-server: someone else's server, a
 * deploy, a crash and a supervisor): the run goes on, every request sent into the outage is a
 * failure, and the report shows the outage per second of the run — when it started, when the first
 * request succeeded again, the time to recover. Real runner, real k6, real Realizar; the streamed
 * scenario uses the test-only fault server (see its header) for streams of known length.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseRunConfig } from '../../src/node/config/index.js';
import { CHROMIUM_PATHS } from '../../src/node/k6/k6.js';
import { resolveRealizar } from '../../src/node/tools/tools.js';
import { collect, freePort, latestReport, removeDir, ROOT, startEntry, tempDir } from '../support/cli.js';
import { carrying, killCarrying, listening, markedEnv, pidsCarrying, waitFor } from '../support/descendants.js';
import { loadReceived } from '../support/with-fault-server.js';

const chromium = CHROMIUM_PATHS.some((p) => existsSync(p));
const DOWN_MS = 3000;

type StartServer = (port: number, env: NodeJS.ProcessEnv) => ChildProcess;

async function realizarStarter(): Promise<StartServer> {
  const { cacheDir } = parseRunConfig(['--help'], []);
  const realizar = await resolveRealizar({ cacheDir });
  return (port, env) =>
    spawn(realizar.path, ['serve', '--demo', '--host', '127.0.0.1', '--port', String(port)], { env, stdio: 'ignore' });
}

const faultServer =
  (flags: string[]): StartServer =>
  (port, env) =>
    spawn(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'test', 'support', 'fault-server.ts'), '--port', String(port), ...flags],
      {
        cwd: ROOT,
        env,
        stdio: 'ignore',
      },
    );

/** When to kill the server: `afterMs` after k6 starts, or after `loadSeen` says the load reached it. */
interface KillAt {
  afterMs: number;
  loadSeen?: (port: number) => Promise<boolean>;
  /** How long it stays down; null: it never comes back. */
  downMs?: number | null;
}

/**
 * Start the server, run the scenario against it with --no-server, SIGKILL the server when `at` says,
 * start it again `at.downMs` (default DOWN_MS) later, or never; the run, its report, and when the server
 * went and came back (upSec NaN when it did not).
 */
async function restartMidRun(args: string[], start: StartServer, at: KillAt) {
  const out = await tempDir('restart');
  const port = await freePort();
  const { token, env } = markedEnv();
  let server = start(port, env);
  try {
    await waitFor('the server', () => listening(port), 30_000);
    const child = startEntry(
      'run',
      [...args, '--no-server', '--port', String(port), '--no-dashboard', '--out-dir', out],
      env,
    );
    const done = collect(child);
    await waitFor(
      'k6 to start',
      () => pidsCarrying(token, /\/k6 run\b/).length > 0 || child.exitCode !== null,
      240_000,
    );
    if (at.loadSeen !== undefined) await waitFor('the load to reach the server', () => at.loadSeen!(port), 120_000);
    await new Promise((r) => setTimeout(r, at.afterMs));
    const downAt = Date.now();
    server.kill('SIGKILL');
    const downMs = at.downMs === undefined ? DOWN_MS : at.downMs;
    let upAt = Number.NaN;
    if (downMs !== null) {
      await new Promise((r) => setTimeout(r, downMs));
      server = start(port, env);
      await waitFor('the server again', () => listening(port), 30_000);
      upAt = Date.now();
    }
    const run = await done;
    // What the run left: anything carrying the token but the test's own server.
    const mine = `${server.pid}: `;
    let left: string[] = [];
    await waitFor(
      'the run to leave nothing',
      () => (left = carrying(token).filter((l) => !l.startsWith(mine))).length === 0,
      5000,
    ).catch(() => undefined);
    const { report, dir, text } = await latestReport(out);
    const md = await readFile(path.join(dir, 'summary.md'), 'utf8');
    const sec = (ms: number): number => (ms - Date.parse(report.startedAt)) / 1000;
    return { run, report, text, md, downSec: sec(downAt), upSec: sec(upAt), left, out };
  } finally {
    server.kill('SIGKILL');
    killCarrying(token);
  }
}

/** The stream scenario at 4 streams a second for `durationSec`, against the fault server's short streams. */
const restartStreams = (durationSec: number, concurrency: number, at: KillAt) =>
  restartMidRun(
    [
      'stream',
      '--rate',
      '4',
      '--duration',
      String(durationSec),
      '--concurrency',
      String(concurrency),
      '--server-profile',
      'none',
    ],
    faultServer(['--stream-chunks', '20:1,20:1']),
    at,
  );

describe('the server restarted mid-run (--no-server)', () => {
  // By default the outage comes from k6's one-second windows: each end is known to within a window.
  for (const [how, more, slackSec] of [
    [' from every request (--samples)', ['--samples'], 0],
    [", by default from k6's own windows", [], 1],
  ] as const) {
    it(`sustained load on Realizar: the report has the outage and time to recover, per second${how}`, async (t) => {
      const { run, report, text, md, downSec, upSec, left, out } = await restartMidRun(
        ['sustained', '--mix', 'health', '--scale', '0.5', '--server-profile', 'none', ...more],
        await realizarStarter(),
        { afterMs: 4000 },
      );
      try {
        assert.equal(run.code, report.exitCode, run.stderr.slice(-3000));
        const [s] = report.scenarios;
        assert.equal(s?.status, 'completed', s?.error ?? '');
        assert.ok(s!.totals.failures > 0, 'requests sent into the outage failed');
        const outages = s!.timeline!.outages;
        assert.equal(outages.length, 1, JSON.stringify(outages));
        const o = outages[0]!;
        t.diagnostic(text.slice(text.indexOf('Outages ('), text.indexOf('\n\n', text.indexOf('Outages ('))));
        // Wide bounds: k6 sees the outage with its first request after the kill, and the recovery
        // with its first request after the restart (one every 150 ms here).
        assert.ok(
          o.startSec >= downSec - 0.5 - slackSec && o.startSec <= downSec + 2 + slackSec,
          `outage from ${o.startSec} s, server killed at ${downSec.toFixed(2)} s`,
        );
        assert.ok(
          o.recoveredAtSec !== null &&
            o.recoveredAtSec >= upSec - 0.5 - slackSec &&
            o.recoveredAtSec <= upSec + 3 + slackSec,
          `recovered at ${o.recoveredAtSec} s, server back at ${upSec.toFixed(2)} s`,
        );
        assert.ok(
          o.timeToRecoverSec! >= DOWN_MS / 1000 - 1 - 2 * slackSec && o.timeToRecoverSec! <= DOWN_MS / 1000 + 5,
          `time to recover ${o.timeToRecoverSec} s for ${DOWN_MS} ms down`,
        );
        const seconds = s!.timeline!.seconds;
        assert.equal(
          seconds.reduce((n, x) => n + x.failures, 0),
          s!.totals.failures - s!.totals.dropped - s!.totals.unsent,
          'every failed request sent is in some second',
        );
        assert.ok(
          seconds.some(
            (x) =>
              x.tSec >= Math.floor(o.startSec) + 1 - slackSec &&
              x.tSec <= Math.floor(o.startSec) + 1 + slackSec &&
              x.requests > 0 &&
              x.failures === x.requests,
          ),
          'a second inside the outage: all failed',
        );
        assert.match(
          text,
          new RegExp(
            /Outages \(every request failing for at least 1 s; seconds since the run started\):\n/.source +
              / {2}1\. [\d.]+ s to [\d.]+ s of the run, /.source +
              /\d+ request\(s\) failed and none succeeded; /.source +
              /first success again at [\d.]+ s: time to recover [\d.]+ s/.source,
          ),
        );
        assert.match(text, /Per second around them \(requests completed \/ failed\):\n( {4} *\d+ s +\d+ \/ \d+ .*\n)+/);
        assert.match(md, /### Outages\n\n- \*\*sustained\*\*: .*time to recover/);
        assert.equal(report.server.healthyAfter, true, 'the restarted server answered after the load');
        assert.deepEqual(left, [], 'k6 and the watcher are gone');
      } finally {
        await removeDir(out);
      }
    });
  }

  it('streamed scenario: the outage and the time to recover are in the report too', async (t) => {
    if (!chromium) return t.skip('Chromium is not installed (apt-get install chromium)');
    // Once streams are flowing: the browser's start and the page's set-up take seconds more on a busy machine.
    const { run, report, text, left, out } = await restartStreams(12, 8, {
      afterMs: 1000,
      loadSeen: async (port) => (await loadReceived(port)) >= 2,
    });
    try {
      assert.equal(run.code, report.exitCode, run.stderr.slice(-3000));
      const [s] = report.scenarios;
      assert.ok(s!.totals.failures > 0, 'streams sent into the outage failed');
      assert.ok((s!.timeline?.outages.length ?? 0) >= 1, `no outage in ${JSON.stringify(s!.timeline)}`);
      assert.ok(
        s!.timeline!.outages.some((o) => o.recoveredAtSec !== null),
        'the streams succeeded again after the restart',
      );
      assert.match(text, /Outages \(every request failing/);
      assert.deepEqual(left, [], 'k6, Chromium and the watcher are gone');
    } finally {
      await removeDir(out);
    }
  });

  it('streamed scenario, the server gone as the page sets up: it waits, then every stream is sent', async (t) => {
    if (!chromium) return t.skip('Chromium is not installed (apt-get install chromium)');
    // Down from k6's start for longer than the browser takes to start and load the page.
    const { run, report, left, out } = await restartStreams(3, 4, { afterMs: 0, downMs: 10_000 });
    try {
      assert.equal(run.code, report.exitCode, run.stderr.slice(-3000));
      const [s] = report.scenarios;
      assert.equal(s?.status, 'completed', s?.error ?? '');
      assert.deepEqual([s!.totals.sent, s!.totals.failures], [12, 0], JSON.stringify(s!.totals));
      assert.deepEqual(left, [], 'k6, Chromium and the watcher are gone');
    } finally {
      await removeDir(out);
    }
  });

  it('streamed scenario, the server never back: an error that names the page it could not load', async (t) => {
    if (!chromium) return t.skip('Chromium is not installed (apt-get install chromium)');
    const { run, report, text, left, out } = await restartStreams(3, 4, { afterMs: 0, downMs: null });
    try {
      assert.equal(run.code, report.exitCode, run.stderr.slice(-3000));
      assert.notEqual(run.code, 0);
      const [s] = report.scenarios;
      assert.equal(s?.status, 'error');
      assert.match(s?.error ?? '', /phase stream sent no request: its code threw .*could not set up its page/);
      assert.match(s?.error ?? '', /is the server up/);
      assert.ok(s!.notes.some((n) => /threw an error in phase stream \(k6 logged them in .*k6\.log\)/.test(n)));
      assert.match(text, /could not set up its page/);
      assert.deepEqual(left, [], 'k6, Chromium and the watcher are gone');
    } finally {
      await removeDir(out);
    }
  });
});
