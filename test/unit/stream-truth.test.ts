import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lateness, stats, truthFigures } from '../../src/core/stream/reference-truth.js';

describe("the server's truth about its streams", () => {
  const requests = [
    { arrivedMs: 1000, tokenWritesMs: [1100, 1120, 1141], endMs: 1141.5, aborted: false },
    { arrivedMs: 1010, tokenWritesMs: [1112, 1131, 1150], endMs: 1150, aborted: false },
    { arrivedMs: 1020, tokenWritesMs: [1125], endMs: null, aborted: true },
  ];

  it('takes TTFT, gaps and end-to-end from when it wrote, for the streams it finished', () => {
    const t = truthFigures(requests);
    assert.deepEqual([t.completed, t.aborted], [2, 1]);
    assert.deepEqual(t.ttftMs, [100, 102]);
    assert.deepEqual(t.itlMs, [20, 21, 19, 19]);
    assert.deepEqual(t.e2eMs, [141.5, 140]);
    assert.equal(t.windowMs, 150);
  });

  it("subtracts the server's percentiles from the client's, as k6 computes them", () => {
    const s = stats([4, 1, 3, 2])!;
    assert.deepEqual([s.count, s.p50], [4, 2.5]);
    assert.ok(Math.abs(s.p95 - 3.85) < 1e-9 && Math.abs(s.p99 - 3.97) < 1e-9, 'between the closest ranks, linearly');
    const late = lateness({ p50: 104, p95: 110, p99: 120, count: 2 }, [100, 102]);
    assert.ok(late !== null && Math.abs(late.p50 - 3) < 1e-9 && Math.abs(late.p95 - (110 - 101.9)) < 1e-9);
    assert.equal(lateness(null, [1]), null);
    assert.equal(lateness({ p50: 1, p95: 1, p99: 1, count: 1 }, []), null);
  });
});
