/**
 * The runner killed hard (SIGKILL: an OOM kill, a cancelled CI job), which no handler of its own can
 * see: every process it started — server, k6, k6 cloud, the benchmark's children, the lifeline
 * watcher itself — is gone within 2 s, the port is free, and what the run had written stays. For
 * the load test, `npm run report` then rebuilds the report from it. Real runner, real k6, real
 * Realizar; the cloud API is the loopback stand-in (test/support/cloud-stand-in.ts).
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Report } from '../../src/core/types.js';
import { startCloudStandIn } from '../support/cloud-stand-in.js';
import { collect, freePort, removeDir, runEntry, startEntry, tempDir } from '../support/cli.js';
import {
  carrying,
  killCarrying,
  markedEnv,
  pidsCarrying,
  waitFor,
  waitPortFree,
  waitUntilGone,
} from '../support/descendants.js';
import { cleanEnv } from '../support/scripts.js';

/** What the issue promises: every child gone within 2 s of the runner's death. */
const BOUND_MS = 2000;
const K6 = /\/k6 (run|cloud)\b/;

/** Start `entry`, wait until its k6 has run for `afterMs`, SIGKILL it; what was left and when it went. */
async function killMidRun(
  entry: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  token: string,
  afterMs: number,
): Promise<{ child: ChildProcess; goneMs: number; left: string[]; before: string[] }> {
  const child = startEntry(entry, args, env);
  const done = collect(child);
  const ended = (): boolean => child.exitCode !== null || child.signalCode !== null;
  await waitFor(`${entry}'s k6 to start`, () => pidsCarrying(token, K6).length > 0 || ended(), 240_000);
  if (ended()) assert.fail(`${entry} ended before its k6 ran: ${(await done).stderr.slice(-3000)}`);
  await new Promise((r) => setTimeout(r, afterMs));
  const before = carrying(token);
  if (ended()) assert.fail(`${entry} ended before it was killed: ${(await done).stderr.slice(-3000)}`);
  child.kill('SIGKILL');
  await done;
  const { left, ms } = await waitUntilGone(token, 10_000);
  return { child, goneMs: ms, left, before };
}

describe('the runner killed with SIGKILL', () => {
  it("load test: server, k6, watcher gone in 2 s, port free, k6's samples kept; npm run report rebuilds", async (t) => {
    const out = await tempDir('killed-run');
    const port = await freePort();
    const { token, env } = markedEnv();
    try {
      const { goneMs, left, before } = await killMidRun(
        'run',
        ['sustained', '--mix', 'health', '--port', String(port), '--no-dashboard', '--out-dir', out],
        env,
        token,
        4000,
      );
      assert.ok(
        before.some((p) => /realizar serve/.test(p)) && before.some((p) => K6.test(p)),
        `server and k6 were running: ${before.join('\n')}`,
      );
      assert.deepEqual(left, [], 'processes the runner started are still alive');
      t.diagnostic(`${before.length} processes, the last gone ${goneMs} ms after the runner`);
      assert.ok(goneMs <= BOUND_MS, `the last of them went ${goneMs} ms after the runner`);
      const portFreeMs = await waitPortFree(port, BOUND_MS);
      assert.notEqual(portFreeMs, null, `port ${port} still taken ${BOUND_MS} ms after the runner died`);

      // Kept: what the run had written; not there: the report, which only the runner writes.
      const [runId] = await readdir(out);
      const dir = path.join(out, runId!);
      for (const f of ['run.json', 'server.log', 'k6/sustained/k6.log', 'k6/sustained/windows.jsonl'])
        assert.ok(existsSync(path.join(dir, f)), `${f} is kept`);
      for (const f of ['report.json', 'report.txt', 'junit.xml', 'summary.md'])
        assert.ok(!existsSync(path.join(dir, f)), `${f} was not written`);
      assert.ok(!existsSync(path.join(out, 'latest')), 'latest still points at the last complete run');

      const rebuilt = await runEntry('report', [dir], env);
      assert.equal(rebuilt.code, 2, rebuilt.stderr);
      const report = JSON.parse(await readFile(path.join(dir, 'report.json'), 'utf8')) as Report;
      assert.equal(report.outcome, 'error');
      assert.equal(report.rebuilt?.partial, true);
      assert.ok(report.errors.some((e) => e.message.includes('the run ended before it wrote its report')));
      assert.equal(report.runId, runId, 'the header comes from run.json');
      assert.equal(report.server.baseUrl, `http://127.0.0.1:${port}`);
      const [s] = report.scenarios;
      assert.equal(s?.name, 'sustained');
      assert.equal(s?.status, 'error');
      assert.ok(
        s?.error?.includes('killed') ||
          s?.error?.includes('without writing its summary') ||
          s?.error?.includes('no summary'),
        s?.error ?? '',
      );
      assert.match(rebuilt.stdout, /REBUILT .* PARTIAL/);
      assert.match(rebuilt.stdout, /=== Outcome: ERROR \(exit 2\) ===/);
      for (const f of ['report.json', 'report.txt', 'junit.xml', 'summary.md', 'k6/sustained/windows.jsonl'])
        assert.ok(existsSync(path.join(dir, f)), `${f} is there after the rebuild`);
      assert.deepEqual(carrying(token), [], 'npm run report started nothing that stayed');
    } finally {
      killCarrying(token);
      await removeDir(out);
    }
  });

  it("capacity sweep: its server and the running step's k6 are gone within 2 s and the port is free", async (t) => {
    const out = await tempDir('killed-sweep');
    const port = await freePort();
    const { token, env } = markedEnv();
    try {
      const { goneMs, left } = await killMidRun(
        'sweep',
        [
          '--endpoint',
          'health',
          '--slo',
          'p95<500',
          '--start-rate',
          '5',
          '--step-sec',
          '20',
          '--port',
          String(port),
          '--out-dir',
          out,
        ],
        env,
        token,
        2000,
      );
      assert.deepEqual(left, []);
      t.diagnostic(`the last process gone ${goneMs} ms after the sweep`);
      assert.ok(goneMs <= BOUND_MS, `the last of them went ${goneMs} ms after the runner`);
      assert.notEqual(await waitPortFree(port, BOUND_MS), null, `port ${port} still taken`);
      // Kept: the server's log and the running step's k6 output; never written: the sweep's result.
      const [runId] = await readdir(out);
      const dir = path.join(out, runId!);
      const steps = await readdir(path.join(dir, 'k6'));
      assert.equal(steps.length, 1, steps.join(', '));
      assert.ok(existsSync(path.join(dir, 'server.log')) && existsSync(path.join(dir, 'k6', steps[0]!, 'k6.log')));
      for (const f of ['sweep.json', 'sweep.md']) assert.ok(!existsSync(path.join(dir, f)), `${f} was not written`);
    } finally {
      killCarrying(token);
      await removeDir(out);
    }
  });

  it('k6 cloud run: the k6 cloud child polling the cloud API is gone within 2 s', async (t) => {
    const standIn = await startCloudStandIn({ running: true });
    const out = await tempDir('killed-cloud');
    const { token, env } = markedEnv(
      {
        K6_CLOUD_TOKEN: 'dummy-k6-cloud-token-kill-test',
        K6_CLOUD_HOST: standIn.url,
        K6_CLOUD_PROJECT_ID: '4242',
        K6_SHOW_CLOUD_LOGS: 'false',
        K6_CLOUD_TRACES_ENABLED: 'false',
        HTTPS_PROXY: 'http://127.0.0.1:9',
        HTTP_PROXY: 'http://127.0.0.1:9',
      },
      cleanEnv(),
    );
    try {
      const { goneMs, left } = await killMidRun(
        'cloud',
        ['run', 'health', '--base-url', 'http://192.0.2.10:8080', '--allow-remote', '--out-dir', out],
        env,
        token,
        3000,
      );
      assert.ok(
        standIn.requests.some((r) => r.path.startsWith('/v1/test-progress/')),
        'k6 cloud was polling the run',
      );
      assert.deepEqual(left, []);
      t.diagnostic(`k6 cloud gone ${goneMs} ms after the runner`);
      assert.ok(goneMs <= BOUND_MS, `k6 cloud went ${goneMs} ms after the runner`);
      // Kept: the archive that was sent and k6's output; never written: the outcome record.
      const [runId] = await readdir(out);
      const dir = path.join(out, runId!);
      assert.ok(existsSync(path.join(dir, 'archive.tar')) && existsSync(path.join(dir, 'k6.log')));
      assert.ok(!existsSync(path.join(dir, 'cloud.json')));
    } finally {
      killCarrying(token);
      await standIn.close();
      await removeDir(out);
    }
  });

  it('benchmark: its Realizar and k6 are gone within 2 s', async (t) => {
    const out = await tempDir('killed-bench');
    const { token, env } = markedEnv();
    try {
      const { goneMs, left, before } = await killMidRun(
        '../bench/run',
        ['--quick', '--rounds', '1', '--out', out],
        env,
        token,
        1000,
      );
      assert.ok(
        before.some((p) => /realizar serve/.test(p)),
        before.join('\n'),
      );
      assert.deepEqual(left, []);
      t.diagnostic(`the last process gone ${goneMs} ms after the benchmark`);
      assert.ok(goneMs <= BOUND_MS, `the last of them went ${goneMs} ms after the benchmark`);
      assert.deepEqual(await readdir(out), [], 'the benchmark writes its results only at the end');
    } finally {
      killCarrying(token);
      await removeDir(out);
    }
  });
});
