/**
 * The streamed scenario: real k6 (its browser module driving Debian's Chromium) reading Server-Sent
 * Events from a real Realizar, and from the test-only fault server where chunks must carry several
 * tokens or none. Skipped, saying why, where Chromium is not installed.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { CHROMIUM_PATHS } from '../../src/node/k6.js';
import { faultServerCmd, freePort, latestReport, removeDir, runCli, tempDir, waitForNoLeftovers } from '../support/cli.js';

const chromium = CHROMIUM_PATHS.some((p) => existsSync(p));

async function streamRun(extra: string[]) {
  const out = await tempDir('stream');
  const port = await freePort();
  try {
    const run = await runCli(['stream', '--scale', '0.2', '--port', String(port), '--no-dashboard', '--out-dir', out, ...extra]);
    const { report } = await latestReport(out);
    assert.equal(run.code, report.exitCode, run.stderr);
    assert.deepEqual(await waitForNoLeftovers(`--port ${port}`), []);
    return report.scenarios[0]!;
  } finally {
    await removeDir(out);
  }
}

describe('streamed generation', () => {
  it("reads Realizar's stream: time to first token, inter-token latency and tokens from its done event", async (t) => {
    if (!chromium) return t.skip('Chromium is not installed (apt-get install chromium)');
    const s = await streamRun([]);
    assert.equal(s.status, 'completed', s.error ?? '');
    assert.equal(s.totals.requests, 5);
    const st = s.streaming!;
    assert.equal(st.requests, s.totals.successes, 'every complete stream had a first token');
    assert.equal(st.outputTokens, 5 * s.totals.successes, "max_tokens 5, as Realizar's done event counts");
    assert.equal(st.ttftMs?.samples, s.totals.successes);
    assert.equal(s.latencyMs?.samples, s.totals.sent, 'end-to-end latency of every stream');
    for (const id of ['ttft.p95.acceptable', 'itl.p95.acceptable', 'e2e.p99.acceptable']) assert.ok(s.verdicts.find((v) => v.id === id)?.measured != null, id);
  });

  it('counts tokens from multi-token chunks, ignores an empty first chunk, and prefers the server’s count', async (t) => {
    if (!chromium) return t.skip('Chromium is not installed (apt-get install chromium)');
    // Test-only fault server (see its header): an empty chunk at 20 ms, 2 tokens 60 ms later, 3 more
    // 30 ms after that; its done event says 7 although 5 were streamed.
    const s = await streamRun(['--server-cmd', faultServerCmd("--stream-chunks '20:0,60:2,30:3' --stream-done 7"), '--server-profile', 'none']);
    const st = s.streaming!;
    assert.equal(s.totals.successes, 5, s.error ?? '');
    assert.equal(st.outputTokens, 7 * 5, "the server's done event wins over the 5 tokens streamed");
    assert.equal(st.itlMs?.samples, 4 * 5, 'one inter-token sample per token after the first');
    // The first token cannot arrive before the server sent it (80 ms in); the empty chunk (20 ms) is no token.
    assert.ok(st.ttftMs!.min >= 80, `ttft min ${st.ttftMs!.min} ms`);
  });
});

describe('a streamed scenario without a browser', () => {
  it('stops with a message saying Chromium is needed and how to get it, exit 2', async () => {
    const out = await tempDir('no-browser');
    try {
      const run = await runCli(['stream', '--scale', '0.2', '--port', String(await freePort()), '--no-dashboard', '--out-dir', out], { env: { K6_BROWSER_EXECUTABLE_PATH: '/nonexistent/chromium' } });
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, /k6 found no Chromium: install it \(Debian: apt-get install chromium\) or point K6_BROWSER_EXECUTABLE_PATH at one/);
      const { report } = await latestReport(out);
      assert.equal(report.scenarios[0]?.status, 'error');
    } finally {
      await removeDir(out);
    }
  });
});
