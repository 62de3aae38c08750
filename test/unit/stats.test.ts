import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { percentile } from '../../src/core/stats.js';

describe("the toolkit's one percentile", () => {
  it("is k6's: at rank p/100 · (n - 1) of the sorted values, interpolated between the two closest", () => {
    const sorted = [10, 20, 30, 40, 50];
    assert.equal(percentile(sorted, 0), 10);
    assert.equal(percentile(sorted, 50), 30);
    assert.equal(percentile(sorted, 100), 50);
    // rank 0.9 · 4 = 3.6: 40 + 0.6 · 10
    assert.equal(percentile(sorted, 90), 46);
    // rank 0.95 · 4 = 3.8
    assert.ok(Math.abs(percentile(sorted, 95)! - 48) < 1e-9);
  });

  it('gives a single value at every percentile, and the mean of the middle two as the median of an even count', () => {
    assert.deepEqual([percentile([7], 1), percentile([7], 99)], [7, 7]);
    assert.equal(percentile([1, 2, 3, 4], 50), 2.5);
  });

  it('reads a Float64Array as well as an array', () => {
    assert.equal(percentile(Float64Array.from([3, 1, 2]).sort(), 50), 2);
  });

  it('says there is no figure, rather than 0, when there are no values', () => {
    assert.equal(percentile([], 50), null);
    assert.equal(percentile(new Float64Array(0), 99), null);
  });
});
