/**
 * Every streamed request joined with the server's own account of it, against the reference stream
 * server with one slot: four clients share it, so each request waits a known time for the slot, then
 * a known prefill (first token) and decode (gap per token), which the server reports per request as
 * llama.cpp does (timings). The report's parts must agree with what the server recorded, the token
 * counts must be equal, every request must have carried its own id, and the measurement floor must
 * be in the report unless --no-calibrate. Answers that do not stream (generate) are joined the same
 * way, from the same server's timings and its Server-Timing header. Bounds are wide: the machine is
 * shared. The streamed tests are skipped where Chromium is not installed.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { renderScenario } from '../../src/core/report/render.js';
import { stats } from '../../src/core/stream/reference-truth.js';
import type { ScenarioReport } from '../../src/core/types.js';
import { CHROMIUM_PATHS } from '../../src/node/k6/k6.js';
import { freePort, latestReport, removeDir, runCli, tempDir, waitForNoLeftovers } from '../support/cli.js';
import { startTruthServer } from '../support/truth.js';

const chromium = CHROMIUM_PATHS.some((p) => existsSync(p));
const NO_CHROMIUM = 'Chromium is not installed (apt-get install chromium)';
const PREFILL_MS = 60;
const GAP_MS = 10;
const TOKENS = 8;

interface Recorded {
  arrivedMs: number;
  startedMs: number | null;
  requestId: string | null;
}

async function oneSlotRun(
  flags: string[],
  o: { scenario?: string; serverFlags?: string[] } = {},
): Promise<{ s: ScenarioReport; recorded: Recorded[] }> {
  const port = await freePort();
  const server = await startTruthServer(port, [
    ...(o.serverFlags ?? []),
    '--slots',
    '1',
    '--first-token-ms',
    String(PREFILL_MS),
    '--gap-ms',
    String(GAP_MS),
    '--tokens',
    String(TOKENS),
  ]);
  const out = await tempDir('join');
  try {
    const args = [o.scenario ?? 'stream', '--no-server', '--port', String(port), '--no-dashboard', '--out-dir', out];
    args.push('--api', 'openai', '--model', 'truth', '--concurrency', '4', '--requests', '8', ...flags);
    const run = await runCli(args);
    const { report } = await latestReport(out);
    assert.equal(run.code, report.exitCode, run.stderr);
    const truth = await server.truth();
    await server.stop();
    assert.deepEqual(await waitForNoLeftovers(`--port ${port}`), []);
    return { s: report.scenarios[0]!, recorded: truth.requests as unknown as Recorded[] };
  } finally {
    await server.stop();
    await removeDir(out);
  }
}

describe("each streamed request joined with the server's own account of it", () => {
  it('splits TTFT into the injected queue wait and prefill, decode per token into the injected gap', async (t) => {
    if (!chromium) return t.skip(NO_CHROMIUM);
    const { s, recorded } = await oneSlotRun([]);
    assert.equal(s.status, 'completed', s.error ?? '');
    assert.deepEqual([s.totals.requests, s.totals.successes], [8, 8]);

    const ids = recorded.map((r) => r.requestId);
    assert.equal(new Set(ids).size, 8, 'every request carried its own id');
    assert.ok(
      ids.every((id) => id !== null && id.startsWith('rk6-')),
      ids.join(' '),
    );

    const clock = s.streaming!.serverClock!;
    assert.deepEqual([clock.tokens.streams, clock.tokens.mismatchedStreams], [8, 0], 'token counts equal per request');
    const floor = s.measurementFloor!;
    assert.match(
      floor.summary,
      new RegExp(
        /^measurement floor at 4 streams, a chunk every 20 ms \(the default[^)]*\): /.source +
          /TTFT [+-][\d.]+ ms p50 \/ [+-][\d.]+ ms p95/.source,
      ),
    );
    assert.match(renderScenario(s), /measurement floor at 4 streams/);

    const parts = Object.fromEntries(clock.breakdown!.ttft.map((p) => [p.part.split(' (')[0], p]));
    const prefill = parts['prefill']!.ms!;
    assert.equal(parts['prefill']!.source, 'timings.prompt_ms');
    assert.ok(prefill.p50 >= PREFILL_MS - 1 && prefill.p50 < PREFILL_MS + 60, `prefill p50 ${prefill.p50}`);
    const decode = clock.breakdown!.decode[0]!.ms!;
    assert.ok(decode.p50 >= GAP_MS - 1 && decode.p50 < GAP_MS + 20, `decode per token p50 ${decode.p50}`);

    // The truth: how long each request waited for the slot, on the server's clock.
    const queue = stats(recorded.map((r) => r.startedMs! - r.arrivedMs))!;
    const waiting = parts['waiting in the server']!.ms!;
    const agreement =
      `queue wait p50: server ${queue.p50.toFixed(1)} ms, report ${waiting.p50.toFixed(1)} ms; ` +
      `p95: server ${queue.p95.toFixed(1)} ms, report ${waiting.p95.toFixed(1)} ms; ` +
      `prefill p50 ${prefill.p50.toFixed(1)} ms (injected ${PREFILL_MS}); ` +
      `decode p50 ${decode.p50.toFixed(1)} ms (injected ${GAP_MS}); ${floor.summary}`;
    t.diagnostic(agreement);
    assert.ok(queue.p95 > 2 * (PREFILL_MS + (TOKENS - 1) * GAP_MS) * 0.8, `one slot, four clients: ${agreement}`);
    assert.ok(Math.abs(waiting.p50 - queue.p50) <= Math.max(30, 0.25 * queue.p50), agreement);
    assert.ok(Math.abs(waiting.p95 - queue.p95) <= Math.max(40, 0.25 * queue.p95), agreement);
  });

  it('skips the measurement floor with --no-calibrate, and leaves the time before the prompt unsplit', async (t) => {
    if (!chromium) return t.skip(NO_CHROMIUM);
    const { s } = await oneSlotRun(['--no-calibrate']);
    assert.equal(s.status, 'completed', s.error ?? '');
    assert.equal(s.measurementFloor, undefined);
    const parts = s.streaming!.serverClock!.breakdown!.ttft.map((p) => p.part.split(' (')[0]);
    assert.deepEqual(parts, ['client send wait', 'before the prompt', 'prefill']);
  });

  it('joins each answer that does not stream with its timings and Server-Timing header, by its id', async (t) => {
    const { s, recorded } = await oneSlotRun([], { scenario: 'generate', serverFlags: ['--server-timing'] });
    assert.equal(s.status, 'completed', s.error ?? '');
    assert.deepEqual([s.totals.requests, s.totals.successes], [8, 8]);
    assert.equal(new Set(recorded.map((r) => r.requestId)).size, 8, 'every request carried its own id');
    const rc = s.requestClock!;
    assert.deepEqual([rc.answers, rc.joined], [8, 8]);
    assert.deepEqual([rc.tokens.requests, rc.tokens.client, rc.tokens.server, rc.tokens.agree], [8, 64, 64, true]);
    const parts = Object.fromEntries(rc.parts.map((p) => [p.part, p]));
    assert.deepEqual(Object.keys(parts), [
      'client latency',
      'waiting in the server and the network',
      'prefill',
      'decode',
      'decode per token',
      'server-timing: queue',
      'server-timing: prefill',
      'server-timing: decode',
    ]);
    const queue = stats(recorded.map((r) => r.startedMs! - r.arrivedMs))!;
    const waiting = parts['waiting in the server and the network']!.ms!;
    const stQueue = parts['server-timing: queue']!.ms!;
    const agreement =
      `queue wait p50: server ${queue.p50.toFixed(1)} ms, report ${waiting.p50.toFixed(1)} ms, ` +
      `Server-Timing ${stQueue.p50.toFixed(1)} ms; prefill p50 ${parts['prefill']!.ms!.p50.toFixed(1)} ms ` +
      `(injected ${PREFILL_MS}); decode per token p50 ${parts['decode per token']!.ms!.p50.toFixed(1)} ms`;
    t.diagnostic(agreement);
    assert.ok(Math.abs(waiting.p50 - queue.p50) <= Math.max(30, 0.25 * queue.p50), agreement);
    assert.ok(Math.abs(stQueue.p50 - queue.p50) <= 5, agreement);
    assert.ok(Math.abs(parts['prefill']!.ms!.p50 - PREFILL_MS) <= 30, agreement);
    assert.match(renderScenario(s), /Client vs server, per request: 8 of 8 successful requests joined/);
  });
});
