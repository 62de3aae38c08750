/**
 * The server misbehaves: each fault is injected by the test-only fault server (see its header),
 * run through the real runner with real k6, and must end in the documented exit code with every
 * measured request accounted for and no process left behind.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  faultServerCmd,
  freePort,
  latestReport,
  removeDir,
  runCli,
  tempDir,
  waitForNoLeftovers,
} from '../support/cli.js';

async function withFaults(scenario: string, faults: string, extra: string[] = []) {
  const out = await tempDir('faults');
  const port = await freePort();
  try {
    const run = await runCli([
      scenario,
      '--server-cmd',
      faultServerCmd(faults),
      '--port',
      String(port),
      '--out-dir',
      out,
      ...extra,
    ]);
    const { report, text } = await latestReport(out);
    const left = await waitForNoLeftovers(`--port ${port}`);
    return { run, report, text, left, port };
  } finally {
    await removeDir(out);
  }
}

describe('a misbehaving server', () => {
  it('that never becomes healthy: exit 2 naming the URL and the deadline, and its process is stopped', async () => {
    const { run, report, left, port } = await withFaults('health', '--never-healthy', ['--health-timeout', '2']);
    assert.equal(run.code, 2, run.stderr);
    assert.ok(
      run.stderr.includes(`no healthy answer from http://127.0.0.1:${port}/health within 2s (last: HTTP 503)`),
      run.stderr,
    );
    assert.equal(report.outcome, 'error');
    assert.deepEqual(left, []);
  });

  it('that dies mid-run: failures are counted, the report says when and how it exited, exit 2', async () => {
    const { run, report, text, left } = await withFaults('sustained', '--die-after 15', [
      '--mix',
      'health',
      '--scale',
      '0.2',
    ]);
    assert.equal(run.code, 2, run.stderr);
    assert.equal(report.server.exit?.code, 3);
    assert.match(text, /SERVER EXITED during the run at [\d.]+s \(exit code 3\)/);
    assert.ok(report.errors.some((e) => e.message.includes('the server exited during the run (exit code 3)')));
    const [s] = report.scenarios;
    assert.equal(s?.totals.requests, 40, 'every planned request is accounted for');
    assert.equal(s?.totals.successes, 15, 'the server answered 15 before it died');
    assert.equal(s?.totals.failures, 25);
    assert.deepEqual(left, []);
  });

  const failing: Array<[string, string, string[], number]> = [
    ['a 5xx storm', '--error-every 1', [], 50],
    ['connection resets', '--reset-every 5', [], 10],
    ['requests that hang until the timeout', '--hang-every 10', ['--timeout', '1'], 5],
    ['200s whose bodies break the schema', '--bad-body-every 5', [], 10],
  ];
  for (const [name, faults, extra, failures] of failing) {
    it(`with ${name}: each is a failure, the error-rate gate is crossed, exit 1`, async () => {
      const { run, report, left } = await withFaults('tokenize', faults, extra);
      assert.equal(run.code, 1, run.stderr);
      const [s] = report.scenarios;
      assert.deepEqual([s?.totals.requests, s?.totals.failures, s?.totals.successes], [50, failures, 50 - failures]);
      assert.equal(s?.verdicts.find((v) => v.id === 'errors.acceptable')?.pass, false);
      assert.deepEqual(left, []);
    });
  }
});
