/**
 * The streamed scenario through the real runner: real k6 (its browser module driving Debian's
 * Chromium) reading Server-Sent Events from a real Realizar, from the test-only truth server (known
 * first-token time and gap, and its own record of what it received and wrote) and from the test-only
 * fault server where chunks must carry several tokens or none. Counts must be exact; timings are
 * held to wide bounds only (the machine is shared). Skipped, saying why, where Chromium is not
 * installed.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { ScenarioReport } from '../../src/core/types.js';
import { renderScenario } from '../../src/core/report/render.js';
import { stats, truthFigures } from '../../src/core/stream/reference-truth.js';
import { CHROMIUM_PATHS } from '../../src/node/k6/k6.js';
import {
  faultServerCmd,
  freePort,
  latestReport,
  removeDir,
  runCli,
  tempDir,
  waitForNoLeftovers,
} from '../support/cli.js';
import { startTruthServer } from '../support/truth.js';

const chromium = CHROMIUM_PATHS.some((p) => existsSync(p));
const NO_CHROMIUM = 'Chromium is not installed (apt-get install chromium)';

/** With `port`, the test runs the server on it and checks for leftovers itself once it stopped it. */
async function streamRun(extra: string[], ownServerPort?: number): Promise<ScenarioReport> {
  const out = await tempDir('stream');
  const port = ownServerPort ?? (await freePort());
  try {
    const run = await runCli(['stream', '--port', String(port), '--no-dashboard', '--out-dir', out, ...extra]);
    const { report } = await latestReport(out);
    assert.equal(run.code, report.exitCode, run.stderr);
    if (ownServerPort === undefined) assert.deepEqual(await waitForNoLeftovers(`--port ${port}`), []);
    return report.scenarios[0]!;
  } finally {
    await removeDir(out);
  }
}

/**
 * Every request's first token is timed from when the browser sent it, which is before the server
 * received it: so no client figure may be below the server's own shortest one. Compared with the
 * server's record of its writes, which is the truth, rather than its configured delay; Chromium
 * rounds its clocks to 0.1 ms, hence the 0.5 ms allowance.
 */
function assertNoTokenBeforeServer(clientMinMs: number, serverTtftMs: number[]): void {
  const serverMin = Math.min(...serverTtftMs);
  assert.ok(
    clientMinMs >= serverMin - 0.5,
    `no first token before the server wrote one: the client's shortest ${clientMinMs} ms, the server's ${serverMin} ms`,
  );
}

/** The drift and leak checks follow a stream's end-to-end time: every stream is in them. */
function assertDriftAndLeakOf(s: ScenarioReport, streams: number): void {
  const r = s.resources;
  assert.ok(r !== null && r !== undefined, "the server's process was watched");
  assert.equal(r.drift?.requests, streams, `the drift check counts every stream: ${JSON.stringify(r.drift)}`);
  assert.ok(r.drift.firstP95Ms > 0 && r.drift.lastP95Ms > 0, 'p95 of the first and last thirds are end-to-end times');
  assert.ok(r.leak !== null, 'the leak check was made');
}

/**
 * A run against a truth server the test started itself, so that it can read the server's record after;
 * `watched`: the runner watches its process too (--server-pid), for the leak check.
 */
async function againstTruth(shape: string[], flags: string[] = [], watched = false) {
  const port = await freePort();
  const server = await startTruthServer(port, flags);
  try {
    const pid = watched ? ['--server-pid', String(server.pid)] : [];
    const s = await streamRun(['--no-server', ...pid, ...shape], port);
    const truth = await server.truth();
    await server.stop();
    assert.deepEqual(await waitForNoLeftovers(`--port ${port}`), []);
    return { s, truth };
  } finally {
    await server.stop();
  }
}

describe('streamed generation at concurrency, against a server that knows the truth', () => {
  it("closed model: 8 streams share 24 requests, each sent once, read whole, near the server's figures", async (t) => {
    if (!chromium) return t.skip(NO_CHROMIUM);
    const { s, truth } = await againstTruth(['--concurrency', '8', '--requests', '24', '--samples'], [], true);
    assert.equal(s.status, 'completed', s.error ?? '');
    assertDriftAndLeakOf(s, 24);
    assert.deepEqual([s.totals.requests, s.totals.sent, s.totals.successes, s.totals.failures], [24, 24, 24, 0]);
    const t0 = truthFigures(truth.requests);
    assert.deepEqual(
      [truth.requests.length, t0.completed, t0.aborted],
      [24, 24, 0],
      'the server received and finished exactly the requests sent',
    );
    const st = s.streaming!;
    assert.equal(st.outputTokens, 24 * truth.tokens);
    assert.equal(st.ttftMs?.samples, 24);
    assert.equal(st.itlMs?.samples, 24 * (truth.tokens - 1), 'one inter-token sample per token after the first');
    // Wide bounds: no figure may be earlier than the truth, nor absurdly later on a busy machine.
    const ttft = stats(t0.ttftMs)!;
    assertNoTokenBeforeServer(st.ttftMs!.min, t0.ttftMs);
    assert.ok(st.ttftMs!.p50 - ttft.p50 < 250, `TTFT p50 ${st.ttftMs!.p50} ms against the server's ${ttft.p50} ms`);
    assert.ok(Math.abs(st.itlMs!.p50 - stats(t0.itlMs)!.p50) < 15, `ITL p50 ${st.itlMs!.p50} ms`);
    // The window is the load only: the browser's start is outside it.
    assert.ok(st.windowSec! > 0 && st.windowSec! <= s.durationSec + 0.001);
    assert.ok(s.notes.some((n) => /measured window/.test(n)));
    assert.equal(s.durationSec, st.windowSec);
    const g = s.generator!;
    assert.ok(
      g.k6.cpuSec > 0 && g.browser !== null && g.browser.cpuSec > 0 && g.browser.processes > 0,
      'k6 and its browser were measured',
    );
    assert.equal(
      s.notes.some((n) => /short of CPU/.test(n)),
      g.shortOfCpu,
      'the warning is in the notes exactly when the generator was short of CPU',
    );
    assert.ok(
      !s.notes.some((n) => /read in the page's frames themselves/.test(n)),
      'the streams were read in workers, outside k6’s instrumentation',
    );
    assert.equal(st.sendWaitMs?.samples, 24, 'every stream was timed from when the browser wrote its request');
    assert.equal(st.startLateMs ?? null, null, 'a closed model has no schedule to be late for');
  });

  it("by default: the timeline and the TTFT detail from k6's own windows, every stream in them", async (t) => {
    if (!chromium) return t.skip(NO_CHROMIUM);
    const { s, truth } = await againstTruth(['--concurrency', '8', '--requests', '48'], [], true);
    assert.equal(s.status, 'completed', s.error ?? '');
    assertDriftAndLeakOf(s, 48);
    assert.deepEqual([s.totals.sent, s.totals.failures, truth.requests.length], [48, 0, 48]);
    const seconds = s.timeline?.seconds ?? [];
    assert.equal(
      seconds.reduce((n, x) => n + x.requests, 0),
      48,
      'each stream in the second its window falls in',
    );
    const ttft = s.latencyDetail?.distributions.find((d) => /first token/.test(d.label));
    assert.ok(
      ttft !== undefined,
      `a TTFT distribution: ${JSON.stringify(s.latencyDetail?.distributions.map((d) => d.label))}`,
    );
    assert.equal(ttft.samples, 48, "k6's TTFT histogram holds every stream");
  });

  it('open model: arrivals finding every stream busy are dropped, counted as failures, never sent', async (t) => {
    if (!chromium) return t.skip(NO_CHROMIUM);
    // 20 arrivals per second for 2 s at most 2 in flight, each stream lasting about 400 ms: most find no free client.
    const { s, truth } = await againstTruth(['--rate', '20', '--duration', '2', '--concurrency', '2']);
    assert.equal(s.status, 'completed', s.error ?? '');
    assert.equal(s.totals.requests, 40);
    assert.ok(s.totals.dropped > 0, 'overload shows as dropped requests');
    assert.equal(s.totals.sent + s.totals.dropped, 40);
    assert.equal(truth.requests.length, s.totals.sent, 'a dropped request is never sent');
    assert.equal(s.totals.failures, s.totals.dropped + (s.totals.sent - s.totals.successes));
    assert.equal(s.totals.successes, truthFigures(truth.requests).completed);
    assert.equal(
      s.streaming?.startLateMs?.samples,
      s.totals.sent,
      'every request sent is timed against when it was due',
    );
    assert.ok(s.streaming!.startLateMs!.min >= 0);
    assert.match(
      renderScenario(s),
      /open model, requests written after their due time: p50 [\d.]+ms, p95 [\d.]+ms, max [\d.]+ms/,
    );
  });

  it("OpenAI chat streams: tokens from the server's usage, first token from the first content delta", async (t) => {
    if (!chromium) return t.skip(NO_CHROMIUM);
    const { s, truth } = await againstTruth([
      '--api',
      'openai',
      '--model',
      'truth',
      '--concurrency',
      '4',
      '--requests',
      '8',
    ]);
    assert.equal(s.status, 'completed', s.error ?? '');
    assert.deepEqual([s.totals.requests, s.totals.successes], [8, 8]);
    assert.ok(truth.requests.every((r) => r.path === '/v1/chat/completions'));
    assert.equal(s.streaming!.outputTokens, 8 * truth.tokens);
    assert.equal(s.streaming!.itlMs?.samples, 8 * (truth.tokens - 1));
    assertNoTokenBeforeServer(s.streaming!.ttftMs!.min, truthFigures(truth.requests).ttftMs);
  });
});

describe('streamed generation against a real Realizar and a faulty server', () => {
  it("reads Realizar's stream: time to first token, inter-token latency and tokens from its done event", async (t) => {
    if (!chromium) return t.skip(NO_CHROMIUM);
    const s = await streamRun(['--scale', '0.2']);
    assert.equal(s.status, 'completed', s.error ?? '');
    assert.equal(s.totals.requests, 5);
    const st = s.streaming!;
    assert.equal(st.requests, s.totals.successes, 'every complete stream had a first token');
    assert.equal(st.outputTokens, 5 * s.totals.successes, "max_tokens 5, as Realizar's done event counts");
    assert.equal(st.ttftMs?.samples, s.totals.successes);
    assert.equal(s.latencyMs?.samples, s.totals.sent, 'end-to-end latency of every stream');
    for (const id of ['ttft.p95.acceptable', 'itl.p95.acceptable', 'e2e.p99.acceptable'])
      assert.ok(s.verdicts.find((v) => v.id === id)?.measured != null, id);
  });

  it('counts tokens from multi-token chunks, ignores an empty first chunk, prefers the server’s count', async (t) => {
    if (!chromium) return t.skip(NO_CHROMIUM);
    // Test-only fault server (see its header): an empty chunk at 20 ms, 2 tokens 60 ms later, 3 more
    // 30 ms after that; its done event says 7 although 5 were streamed.
    const s = await streamRun([
      '--scale',
      '0.2',
      '--server-cmd',
      faultServerCmd("--stream-chunks '20:0,60:2,30:3' --stream-done 7"),
      '--server-profile',
      'none',
    ]);
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
      const run = await runCli(
        ['stream', '--scale', '0.2', '--port', String(await freePort()), '--no-dashboard', '--out-dir', out],
        {
          env: { K6_BROWSER_EXECUTABLE_PATH: '/nonexistent/chromium' },
        },
      );
      assert.equal(run.code, 2, run.stderr);
      assert.match(
        run.stderr,
        new RegExp(
          /k6 found no Chromium: install it \(Debian: apt-get install chromium\) /.source +
            /or point K6_BROWSER_EXECUTABLE_PATH at one/.source,
        ),
      );
      const { report } = await latestReport(out);
      assert.equal(report.scenarios[0]?.status, 'error');
    } finally {
      await removeDir(out);
    }
  });
});
