import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { judgeStreams } from '../../bench/experiments/streams.js';
import { stat } from '../../bench/lib/stats.js';
import { readerCostPerChunk } from '../../bench/stream-accuracy.js';
import type { GeneratorReport } from '../../src/core/types.js';

const generator = (pct: number | null, loadSec: number | null): GeneratorReport =>
  ({ loadCpuPctOfOneCore: pct, loadSec }) as unknown as GeneratorReport;

describe("the reader's CPU per chunk", () => {
  it("is k6's and Chromium's CPU over the window divided by every token and end the server wrote", () => {
    const requests = [
      { tokenWritesMs: [1, 2, 3], endMs: 4 },
      { tokenWritesMs: [1, 2, 3], endMs: 4 },
      { tokenWritesMs: [1], endMs: null },
    ];
    // 50 % of a core for 2 s = 1,000 ms of CPU over 9 events.
    assert.deepEqual(readerCostPerChunk(generator(50, 2), requests), { events: 9, cpuMs: 1000 / 9 });
  });

  it('is not given when the generator was not measured or nothing was written', () => {
    assert.equal(readerCostPerChunk(null, [{ tokenWritesMs: [1], endMs: 2 }]).cpuMs, null);
    assert.equal(readerCostPerChunk(generator(null, 2), [{ tokenWritesMs: [1], endMs: 2 }]).cpuMs, null);
    assert.deepEqual(readerCostPerChunk(generator(50, 2), []), { events: 0, cpuMs: null });
  });
});

describe('the goals of 128 streams', () => {
  const figures = {
    'TTFT p50 late': stat([4, 6]),
    'TTFT p95 late': stat([12]),
    'ITL p50 late': stat([0.2]),
    'end-to-end p50 late': null,
    'reader CPU per chunk': stat([0.09]),
    'browser send wait p50': stat([60]),
    'browser send wait p95': stat([110]),
  };
  const goals = judgeStreams(figures);
  const met = (start: string): boolean | null | undefined => goals.find((g) => g.goal.startsWith(start))?.met;

  it('are judged on the medians over the rounds, each against its bound', () => {
    assert.equal(met('TTFT p50'), true);
    assert.equal(met('TTFT p95'), false);
    assert.equal(met('ITL p50'), true);
    assert.equal(met('reader CPU'), true);
  });

  it('leave a figure that was not measured unjudged, and the send wait known but unbounded', () => {
    assert.equal(met('end-to-end'), null);
    assert.deepEqual(
      goals.filter((g) => g.goal.startsWith('browser send wait')).map((g) => [g.measured, g.bound, g.met]),
      [
        [60, null, null],
        [110, null, null],
      ],
    );
  });
});
