import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { metricKind, packMetricKinds } from '../../src/core/rules/metric-kinds.js';
import { METRIC_ENTRIES } from '../../src/core/rules/metric-table.js';

describe('the metric table packed for k6 scripts', () => {
  const packed = packMetricKinds(METRIC_ENTRIES);

  it('gives back every k6 metric of the table with its name, type and isTime', () => {
    for (const [key, e] of METRIC_ENTRIES) {
      if (e.k6 === null || e.type === null) continue;
      assert.deepEqual(metricKind(packed, key), { k6: e.k6, type: e.type, isTime: e.isTime }, key);
    }
  });

  it('tells a key apart from another that begins with it', () => {
    assert.equal(metricKind(packed, 'goodput').k6, 'goodput');
    assert.equal(metricKind(packed, 'goodputTokens').k6, 'goodput_tokens');
  });

  it('refuses a key the runner measures, which k6 never records', () => {
    const runnerOnly = METRIC_ENTRIES.find(([, e]) => e.k6 === null)!;
    assert.throws(() => metricKind(packed, runnerOnly[0]), /not in the packed metric table/);
  });
});
