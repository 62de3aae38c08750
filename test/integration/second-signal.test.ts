/**
 * After a first Ctrl-C or SIGTERM the runner waits for its children, but only so long
 * (INTERRUPT_GRACE_SEC), then kills them; a second signal means now. It never exits leaving a
 * child alive. `k6 cloud run` is the child that may take long to stop: it asks the cloud API to stop
 * the test run first (here the loopback stand-in, test/support/cloud-stand-in.ts, which can let that
 * request hang). Real runner, real k6, real Realizar.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { INTERRUPT_GRACE_SEC } from '../../src/node/commands/exit.js';
import { startCloudStandIn, type StandInOptions } from '../support/cloud-stand-in.js';
import { collect, freePort, removeDir, startEntry, tempDir } from '../support/cli.js';
import { carrying, killCarrying, markedEnv, pidsCarrying, waitFor, waitUntilGone } from '../support/descendants.js';
import { cleanEnv } from '../support/scripts.js';

const CLOUD_RUN = /\/k6 cloud run\b/;

async function cloudRunInterrupted(options: StandInOptions) {
  const standIn = await startCloudStandIn({ running: true, ...options });
  const out = await tempDir('cloud-signal');
  const { token, env } = markedEnv(
    {
      K6_CLOUD_TOKEN: 'dummy-k6-cloud-token-signal-test',
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
    const child = startEntry(
      'cloud',
      ['run', 'health', '--base-url', 'http://192.0.2.10:8080', '--allow-remote', '--out-dir', out],
      env,
    );
    const done = collect(child);
    await waitFor(
      'k6 cloud to poll the test run',
      () => standIn.requests.some((r) => r.path.startsWith('/v1/test-progress/')) || child.exitCode !== null,
      240_000,
    );
    assert.equal(pidsCarrying(token, CLOUD_RUN).length, 1, carrying(token).join('\n'));
    const signalledAt = Date.now();
    child.kill('SIGTERM');
    const run = await done;
    const tookSec = (Date.now() - signalledAt) / 1000;
    const { left } = await waitUntilGone(token, 3000);
    return {
      run,
      tookSec,
      left,
      stopAsked: standIn.requests.some((r) => r.method === 'POST' && /^\/v1\/tests\/[^/]+\/stop$/.test(r.path)),
    };
  } finally {
    killCarrying(token);
    await standIn.close();
    await removeDir(out);
  }
}

describe('interrupting an entry point', () => {
  it('k6 cloud run: SIGTERM asks the cloud to stop the run, k6 ends, the runner exits 130, nothing left', async () => {
    const { run, tookSec, left, stopAsked } = await cloudRunInterrupted({});
    assert.equal(run.code, 130, run.stderr.slice(-3000));
    assert.ok(stopAsked, 'k6 asked the cloud to stop the test run');
    assert.ok(tookSec < INTERRUPT_GRACE_SEC, `took ${tookSec} s: the stop went through, so no wait for the bound`);
    assert.deepEqual(left, []);
  });

  it(`k6 cloud run whose stop hangs: after ${INTERRUPT_GRACE_SEC} s k6 is killed, exit 130, nothing left`, async () => {
    const { run, tookSec, left, stopAsked } = await cloudRunInterrupted({ stopHangs: true });
    assert.equal(run.code, 130, run.stderr.slice(-3000));
    assert.ok(stopAsked);
    assert.match(run.stderr, new RegExp(`waiting up to ${INTERRUPT_GRACE_SEC} s for child processes to stop`));
    assert.match(run.stderr, new RegExp(`k6 still running ${INTERRUPT_GRACE_SEC} s after SIGTERM: killing it`));
    // Wide bound: the bound itself, then the runner writes what it has.
    assert.ok(tookSec >= INTERRUPT_GRACE_SEC - 1 && tookSec < INTERRUPT_GRACE_SEC + 10, `took ${tookSec} s`);
    assert.deepEqual(left, [], 'k6 cloud was killed, not left polling');
  });

  it('load test: a second SIGTERM stops server and k6 at once, exit 130, nothing left', async () => {
    const out = await tempDir('second-signal');
    const port = await freePort();
    const { token, env } = markedEnv();
    try {
      const child = startEntry(
        'run',
        ['sustained', '--mix', 'health', '--port', String(port), '--no-dashboard', '--out-dir', out],
        env,
      );
      const done = collect(child);
      await waitFor(
        'k6 to run',
        () => pidsCarrying(token, /\/k6 run\b/).length > 0 || child.exitCode !== null,
        240_000,
      );
      await new Promise((r) => setTimeout(r, 2000));
      // The second signal goes the moment the runner has taken the first (its warning is printed in
      // the same handler): a graceful stop of this short run can be over within 100 ms, and a signal
      // that reaches a runner already gone tests nothing.
      let stderr = '';
      let secondAt = 0;
      child.stderr?.on('data', (b: Buffer) => {
        stderr += b.toString();
        if (secondAt === 0 && /waiting up to \d+ s for child processes/.test(stderr) && child.exitCode === null) {
          secondAt = Date.now();
          child.kill('SIGTERM');
        }
      });
      child.kill('SIGTERM');
      const run = await done;
      assert.ok(secondAt > 0, `the runner ended before a second signal could be sent:\n${run.stderr.slice(-2000)}`);
      const tookMs = Date.now() - secondAt;
      assert.equal(run.code, 130, run.stderr.slice(-3000));
      assert.match(run.stderr, /SIGTERM again: killing every child process now/);
      assert.ok(tookMs < 2000, `exited ${tookMs} ms after the second signal`);
      const { left, ms } = await waitUntilGone(token, 5000);
      assert.deepEqual(left, []);
      assert.ok(ms <= 2000, `the last child went ${ms} ms after the runner`);
    } finally {
      killCarrying(token);
      await removeDir(out);
    }
  });
});
