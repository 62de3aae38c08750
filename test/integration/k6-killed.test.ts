/**
 * k6 killed with SIGKILL in the middle of a run (an OOM kill of the load generator): the runner
 * carries on, names the cause, rebuilds the scenario from what k6 had written (its one-second windows
 * by default, its per-request samples with --samples; marked partial), writes the report, exits 2 and
 * leaves no process behind — for the streamed scenario, Chromium included. Real runner, real k6, the
 * test-only fault server (see its header) so that the moment of the kill is known.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Report, ScenarioReport } from '../../src/core/types.js';
import { CHROMIUM_PATHS } from '../../src/node/k6/k6.js';
import {
  collect,
  faultServerCmd,
  freePort,
  latestReport,
  removeDir,
  runEntry,
  startEntry,
  tempDir,
} from '../support/cli.js';
import { carrying, killCarrying, markedEnv, pidsCarrying, waitFor, waitUntilGone } from '../support/descendants.js';
import { loadReceived } from '../support/with-fault-server.js';

const chromium = CHROMIUM_PATHS.some((p) => existsSync(p));

/** Run `args`, SIGKILL the k6 it starts once `ready()` says so; the run, its report and what is left. */
async function killK6When(args: string[], ready: (out: string) => Promise<boolean>) {
  const out = await tempDir('k6-killed');
  const { token, env } = markedEnv();
  try {
    const child = startEntry('run', [...args, '--out-dir', out], env);
    const done = collect(child);
    await waitFor('the moment to kill k6', async () => (await ready(out)) || child.exitCode !== null, 240_000);
    const before = carrying(token);
    const [k6] = pidsCarrying(token, /\/k6 run\b/);
    assert.ok(k6 !== undefined, `k6 is not running: ${before.join('\n')}`);
    process.kill(k6, 'SIGKILL');
    const run = await done;
    const { left } = await waitUntilGone(token, 5000);
    const { report, dir, text } = await latestReport(out);
    return { run, report, dir, text, left, before, env, out };
  } finally {
    killCarrying(token);
  }
}

/** 200 health checks a second for 30 s from 20 clients against the fault server on `port` (6,000 planned). */
const healthAt200 = (port: number, ...more: string[]): string[] => [
  ...['health', '--rate', '200', '--duration', '30', '--concurrency', '20', '--port', String(port)],
  ...['--server-cmd', faultServerCmd(''), '--server-profile', 'none', '--no-dashboard', ...more],
];

/** `npm run report` on the run folder without its report.json: partial, exit 2, the same figures from `source`. */
async function rebuildsTheSame(dir: string, env: NodeJS.ProcessEnv, s: ScenarioReport, source: string) {
  await rm(path.join(dir, 'report.json'));
  const rebuilt = await runEntry('report', [dir], env);
  assert.equal(rebuilt.code, 2, rebuilt.stderr);
  const again = JSON.parse(await readFile(path.join(dir, 'report.json'), 'utf8')) as Report;
  assert.equal(again.rebuilt?.partial, true);
  assert.ok(
    again.rebuilt?.sources.some((l) => l.startsWith(source)),
    again.rebuilt?.sources.join('\n'),
  );
  assert.deepEqual(again.scenarios[0]!.totals, s.totals);
  assert.deepEqual(again.scenarios[0]!.latencyMs, s.latencyMs);
}

describe('k6 killed with SIGKILL mid-run', () => {
  it("with --samples, the report is rebuilt from k6's samples, says it is partial and why, exit 2", async () => {
    const port = await freePort();
    let samples = '';
    const { run, report, dir, text, left, out, env } = await killK6When(
      healthAt200(port, '--samples'),
      // Once k6 has compressed and written a good part of its samples.
      async (o) => {
        const runs = readdirSync(o).filter((d) => d !== 'latest');
        samples = runs.length === 0 ? '' : path.join(o, runs[0]!, 'k6', 'health', 'samples.csv.gz');
        return samples !== '' && existsSync(samples) && statSync(samples).size > 40_000;
      },
    );
    try {
      assert.equal(run.code, 2, run.stderr.slice(-3000));
      assert.equal(report.outcome, 'error');
      const [s] = report.scenarios;
      assert.equal(s?.status, 'error');
      assert.match(s?.error ?? '', /k6 exited with signal SIGKILL/, 'the cause is named');
      assert.match(
        s?.partial ?? '',
        new RegExp(
          /k6 was killed \(SIGKILL\) before writing its summary: /.source +
            /the figures are rebuilt from the \d+ per-request samples/.source,
        ),
      );
      assert.match(text, /PARTIAL: k6 was killed \(SIGKILL\)/);
      assert.match(run.stdout, /=== Outcome: ERROR \(exit 2\) ===/, 'the report reached the terminal');
      // Every request it recorded is counted, and the run did stop early (6000 were planned).
      assert.ok(s!.totals.sent > 0 && s!.totals.sent < 6000, `sent ${s!.totals.sent}`);
      assert.equal(s!.totals.successes + s!.totals.failures, s!.totals.requests);
      // One latency sample per request sent, but for the few whose rows straddle the point where the file was cut.
      const latencySamples = s!.latencyMs?.samples ?? 0;
      assert.ok(
        latencySamples > 0 && Math.abs(latencySamples - s!.totals.sent) <= 50,
        `${latencySamples} latency samples for ${s!.totals.sent} requests sent`,
      );
      assert.ok(s!.verdicts.length > 0, "the report's own verdicts, from the plan k6 logged at start");
      assert.equal(s!.files.summary, null);
      // Kept: k6's output and samples; written: the report; never there: k6's summary.
      for (const f of [
        'k6/health/k6.log',
        'k6/health/samples.csv.gz',
        'report.json',
        'report.txt',
        'junit.xml',
        'summary.md',
        'run.json',
      ])
        assert.ok(existsSync(path.join(dir, f)), `${f}`);
      assert.ok(!existsSync(path.join(dir, 'k6/health/summary.json')));
      assert.deepEqual(left, [], 'the fault server and the lifeline watcher are gone too');

      // Without the runner's report (as if the disk had refused it), npm run report rebuilds the same
      // figures from the same samples.
      await rebuildsTheSame(dir, env, s!, "health: k6's per-request samples");
    } finally {
      await removeDir(out);
    }
  });

  it("by default, the figures are rebuilt from k6's one-second windows, as the server counted", async (t) => {
    const port = await freePort();
    let received = 0;
    const { run, report, dir, text, left, out, env } = await killK6When(
      healthAt200(port),
      // Once k6 has pushed a few windows: the server's count, read just before the kill, is the truth.
      async (o) => {
        const runs = readdirSync(o).filter((d) => d !== 'latest');
        const file = runs.length === 0 ? '' : path.join(o, runs[0]!, 'k6', 'health', 'windows.jsonl');
        if (file === '' || !existsSync(file)) return false;
        if ((await readFile(file, 'utf8')).split('\n').filter(Boolean).length < 4) return false;
        received = await loadReceived(port);
        return true;
      },
    );
    try {
      assert.equal(run.code, 2, run.stderr.slice(-3000));
      const [s] = report.scenarios;
      assert.equal(s?.status, 'error');
      assert.match(s?.error ?? '', /k6 exited with signal SIGKILL/);
      assert.match(
        s?.partial ?? '',
        /k6 was killed \(SIGKILL\) before writing its summary: the figures are rebuilt from the \d+ one-second windows/,
      );
      assert.match(text, /PARTIAL: k6 was killed \(SIGKILL\)/);
      assert.equal(s!.totals.successes + s!.totals.failures, s!.totals.requests);
      assert.equal(s!.totals.successes, s!.totals.sent, 'the fault server failed no request');
      // k6's last push is at most a second old when it dies: 200 requests a second, and the few sent
      // between the server's count and the kill.
      const sent = s!.totals.sent;
      t.diagnostic(
        `${sent} requests rebuilt from the windows; the server had counted ${received} just before the kill`,
      );
      assert.ok(
        sent > 0 && sent <= received + 100 && sent >= received - 2 * 200,
        `${sent} rebuilt, ${received} received`,
      );
      // One latency per request, but for those k6 had timed and not yet judged at its last push (at most
      // one per client: 20).
      const timed = s!.latencyMs?.samples ?? 0;
      assert.ok(timed >= sent && timed - sent <= 20, `${timed} latencies for ${sent} requests judged`);
      assert.ok((s!.latencyMs?.p95 ?? 0) > 0);
      assert.ok(s!.verdicts.length > 0, "the report's own verdicts");
      assert.ok((s!.timeline?.seconds.length ?? 0) >= 3, 'the timeline from the same windows');
      assert.deepEqual(left, []);

      // npm run report rebuilds the same figures from the same windows.
      await rebuildsTheSame(dir, env, s!, "health: k6's one-second windows");
    } finally {
      await removeDir(out);
    }
  });

  it('streamed scenario: k6 and its Chromium are gone, the cause named, the report written, exit 2', async (t) => {
    if (!chromium) return t.skip('Chromium is not installed (apt-get install chromium)');
    const port = await freePort();
    // Streams of three slow chunks, so that k6 is killed with streams in flight.
    const { run, report, dir, left, before, out } = await killK6When(
      [
        'stream',
        '--port',
        String(port),
        '--server-cmd',
        faultServerCmd("--stream-chunks '400:1,400:1,400:1'"),
        '--server-profile',
        'none',
        '--no-dashboard',
      ],
      async () => (await loadReceived(port)) >= 3,
    );
    try {
      assert.ok(
        before.some((p) => /chrom/i.test(p)),
        `Chromium was running when k6 was killed:\n${before.join('\n')}`,
      );
      assert.deepEqual(left, [], 'k6, Chromium, the server and the watcher are all gone');
      assert.equal(run.code, 2, run.stderr.slice(-3000));
      const [s] = report.scenarios;
      assert.equal(s?.status, 'error');
      assert.match(s?.error ?? '', /k6 exited with signal SIGKILL/);
      // What was kept is said: figures rebuilt from the windows (partial), or that none held a request yet.
      assert.ok(
        s?.partial != null || /no window k6 pushed holds a request/.test(s?.error ?? ''),
        `${s?.error}\n${s?.partial}`,
      );
      for (const f of ['k6/stream/k6.log', 'report.json', 'report.txt', 'junit.xml', 'summary.md'])
        assert.ok(existsSync(path.join(dir, f)), f);
      assert.ok(!existsSync(path.join(dir, 'k6/stream/summary.json')));
    } finally {
      await removeDir(out);
    }
  });
});
