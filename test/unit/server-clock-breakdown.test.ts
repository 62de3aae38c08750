import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { serverClockBreakdown, splitByFloor } from '../../src/core/stream/server-clock-breakdown.js';
import {
  mismatchedRequestIds,
  requestIdPrefix,
  SERVER_CLOCK_METRICS as M,
  TOKEN_MISMATCH_LOG,
} from '../../src/core/stream/server-clock.js';
import { K6_METRICS } from '../../src/core/rules/metric-table.js';
import { floorGap, floorOf, floorTokens, verdictsInsideFloor } from '../../src/core/stream/floor.js';
import type { K6Summary, MeasurementFloor, Verdict } from '../../src/core/types.js';

const trend = (p50: number, p95: number, count = 10): Record<string, number> => ({
  count,
  min: p50,
  avg: p50,
  'p(50)': p50,
  'p(90)': p95,
  'p(95)': p95,
  'p(99)': p95,
  max: p95,
});

function summaryOf(metrics: Record<string, Record<string, number>>): K6Summary {
  const m: K6Summary['metrics'] = {};
  for (const [k, values] of Object.entries(metrics)) m[k] = { type: 'trend', values };
  return { metrics: m, state: { testRunDurationMs: 1 }, root_group: { checks: [], groups: [] } } as K6Summary;
}

const llamaLike = summaryOf({
  [K6_METRICS.streamSendWait]: trend(0.5, 2),
  [M.ttftDiff]: trend(105, 310),
  [M.ttftServer]: trend(40, 45),
  [M.itlServer]: trend(9, 10),
  [M.itlClient]: trend(9.4, 11),
  [M.itlDiff]: trend(0.4, 1),
});

const floor: MeasurementFloor = {
  streams: 8,
  gapMs: 10,
  requests: 40,
  ttftMs: { p50: 5, p95: 9 },
  itlMs: { p50: 0.2, p95: 1 },
  summary: 'measurement floor at 8 streams: TTFT +5.0 ms p50 / +9.0 ms p95, ITL +0.2 ms p50',
};

describe("each request's TTFT in parts", () => {
  it('gives send wait, the time before the prompt and prefill, each naming the field behind it', () => {
    const b = serverClockBreakdown(llamaLike)!;
    assert.deepEqual(
      b.ttft.map((p) => [p.part.split(' (')[0], p.ms?.p50, p.ms?.p95]),
      [
        ['client send wait', 0.5, 2],
        ['before the prompt', 105, 310],
        ['prefill', 40, 45],
      ],
    );
    assert.match(b.ttft[1]!.source, /client TTFT − timings\.prompt_ms/);
    assert.equal(b.ttft[2]!.source, 'timings.prompt_ms');
    assert.equal(b.decode[0]!.source, 'timings.predicted_per_token_ms');
    assert.deepEqual([b.decode[0]!.ms?.p50, b.decode[1]!.ms?.p50], [9, 9.4]);
  });

  it('splits the time before the prompt by the measurement floor: waiting in the server, and the wire', () => {
    const b = splitByFloor(serverClockBreakdown(llamaLike)!, floor);
    assert.deepEqual(
      b.ttft.map((p) => [p.part.split(' (')[0], p.ms?.p50, p.ms?.p95]),
      [
        ['client send wait', 0.5, 2],
        ['waiting in the server', 100, 305],
        ['network and first-token delivery', 5, 5],
        ['prefill', 40, 45],
      ],
    );
    assert.match(b.summary, /waiting in the server 100\.0 \/ 305\.0/);
  });

  it('has nothing to split when the server sent no timings', () => {
    assert.equal(serverClockBreakdown(summaryOf({ [K6_METRICS.streamSendWait]: trend(1, 2) })), null);
  });
});

describe('request ids', () => {
  it('are unique across the requests of a phase and across phases', () => {
    const a = requestIdPrefix('main', 1_700_000_000_000);
    const b = requestIdPrefix('main', 1_700_000_000_001);
    const ids = new Set([...[0, 1, 2].map((n) => `${a}${n}`), ...[0, 1, 2].map((n) => `${b}${n}`)]);
    assert.equal(ids.size, 6);
    assert.match(requestIdPrefix('a phase/with spaces', 0), /^rk6-0-a_phase_with_spaces-$/);
  });

  it("lists the streams whose token counts differ from k6.log's lines, each once", () => {
    const log = [
      'time="..." level=info msg="plan ..."',
      `time="..." level=warning msg="${TOKEN_MISMATCH_LOG} rk6-x-main-3 client=4 server=5"`,
      `time="..." level=warning msg="${TOKEN_MISMATCH_LOG} rk6-x-main-9 client=4 server=6"`,
      `time="..." level=warning msg="${TOKEN_MISMATCH_LOG} rk6-x-main-3 client=4 server=5"`,
    ].join('\n');
    assert.deepEqual(mismatchedRequestIds(log), ['rk6-x-main-3', 'rk6-x-main-9']);
  });
});

describe('the measurement floor', () => {
  const truth = [0, 1, 2, 3].map((i) => ({
    arrivedMs: i * 100,
    tokenWritesMs: [i * 100 + 50, i * 100 + 60, i * 100 + 70],
    endMs: i * 100 + 71,
    aborted: false,
  }));
  const metrics = {
    [K6_METRICS.ttft]: { count: 4, 'p(50)': 51.5, 'p(95)': 57, 'p(99)': 58 },
    [K6_METRICS.itl]: { count: 8, 'p(50)': 10.25, 'p(95)': 11, 'p(99)': 12 },
  };

  it("is the client's figures minus the reference server's own writes, in one line", () => {
    const f = floorOf({ clients: 4, gapMs: 10, metrics, truth })!;
    assert.deepEqual([f.streams, f.requests, f.ttftMs, f.itlMs?.p50], [4, 4, { p50: 1.5, p95: 7 }, 0.25]);
    assert.equal(
      f.summary,
      'measurement floor at 4 streams, a chunk every 10 ms: TTFT +1.5 ms p50 / +7.0 ms p95, ITL +0.3 ms p50',
    );
    assert.equal(floorOf({ clients: 4, gapMs: 10, metrics: {}, truth }), null);
  });

  it("runs at the warm-up's own chunk pace on the target, bounded, and says which gap it used", () => {
    assert.deepEqual(floorGap(17.6), {
      gapMs: 18,
      from: "the warm-up's inter-token p50 on the target, 17.6 ms",
    });
    assert.equal(floorGap(950).gapMs, 200);
    assert.match(floorGap(950).from, /950\.0 ms, bounded to 1\.\.200 ms$/);
    assert.equal(floorGap(0.2).gapMs, 1);
    for (const none of [null, undefined, 0, Number.NaN])
      assert.deepEqual(floorGap(none), { gapMs: 20, from: 'the default; no warm-up stream to take it from' });
    const f = floorOf({ clients: 32, gapMs: 18, gapFrom: floorGap(17.6).from, metrics, truth })!;
    assert.match(f.summary, /^measurement floor at 32 streams, a chunk every 18 ms \(the warm-up's inter-token p50/);
    assert.equal(f.gapFrom, floorGap(17.6).from);
  });

  it('sends fewer tokens per calibration stream at a slow pace, so its decoding stays about a second', () => {
    assert.deepEqual([1, 20, 90, 200].map(floorTokens), [12, 12, 12, 6]);
    assert.ok(floorTokens(200) * 200 <= 1400);
    assert.equal(floorTokens(1000), 4);
  });

  it('says which verdicts on TTFT or ITL have a margin inside it, and no other', () => {
    const v = (id: string, metric: string, bound: number, measured: number) =>
      ({ id, metric, op: '<', bound, measured, pass: measured < bound }) as Verdict;
    const notes = verdictsInsideFloor(
      [v('a', 'ttft_p95', 100, 96), v('b', 'ttft_p95', 100, 50), v('c', 'latency_p95', 100, 99.9)],
      floorOf({ clients: 4, gapMs: 10, metrics, truth })!,
    );
    assert.equal(notes.length, 1);
    assert.match(
      notes[0]!,
      /^The verdict a \(ttft_p95 < 100 ms: pass\) is within the measurement floor: its margin 4\.0 ms/,
    );
  });
});
