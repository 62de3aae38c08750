/**
 * Every streamed request joined with the server's own account of it, against the reference stream
 * server with one slot: four clients share it, so each request waits a known time for the slot, then
 * a known prefill (first token) and decode (gap per token), which the server reports per request as
 * llama.cpp does (timings). The report's parts must agree with what the server recorded, the token
 * counts must be equal, every request must have carried its own id, and the measurement floor must
 * be in the report unless --no-calibrate. Bounds are wide: the machine is shared. Skipped where
 * Chromium is not installed.
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

async function oneSlotRun(flags: string[]): Promise<{ s: ScenarioReport; recorded: Recorded[] }> {
  const port = await freePort();
  const server = await startTruthServer(port, [
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
    const args = ['stream', '--no-server', '--port', String(port), '--no-dashboard', '--out-dir', out];
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
    assert.match(floor.summary, /^measurement floor at 4 streams: TTFT [+-][\d.]+ ms p50 \/ [+-][\d.]+ ms p95/);
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
});
