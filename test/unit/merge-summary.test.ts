/**
 * What the runners' own k6 summaries add to a merge, beside their samples
 * (src/core/merge/merge-summary.ts): only what adds up exactly, and a note for what does not.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mergeSummaries } from '../../src/core/merge/merge-summary.js';
import { K6_METRICS } from '../../src/core/rules/metric-table.js';
import { SummaryFromSamples } from '../../src/core/summary/samples-summary.js';
import type { K6Metric, K6Summary } from '../../src/core/types.js';

const summary = (durationMs: number, metrics: Record<string, K6Metric>): K6Summary => ({
  state: { testRunDurationMs: durationMs },
  metrics,
  root_group: { name: '', checks: [], groups: [] },
});
const trend = (count: number, p95: number): K6Metric => ({
  type: 'trend',
  values: { count, 'p(95)': p95, 'p(50)': p95 / 2, min: 0, max: p95, avg: p95 / 2 },
});

describe("the runners' own summaries in a merge", () => {
  it('add counters and rates, keep the earliest gauge, and take a trend only one runner measured', () => {
    const union = new SummaryFromSamples();
    union.add({ metric: K6_METRICS.requestFailed, tMs: 1000, value: 0, phase: 'p', endpoint: 'health', check: null });
    const a = summary(3000, {
      [K6_METRICS.serverClockStreams]: { type: 'counter', values: { count: 4, rate: 1 } },
      [K6_METRICS.streamWindowStartMs]: { type: 'gauge', values: { value: 5000, min: 5000, max: 5000 } },
      [K6_METRICS.streamSendWait]: trend(4, 12),
    });
    const b = summary(4000, {
      [K6_METRICS.serverClockStreams]: { type: 'counter', values: { count: 6, rate: 1 } },
      [K6_METRICS.streamWindowStartMs]: { type: 'gauge', values: { value: 4000, min: 4000, max: 4000 } },
    });
    const { summary: merged, notes } = mergeSummaries({ union: union.result(), runners: [a, b], streamedRunners: 0 });
    assert.equal(merged.state.testRunDurationMs, 4000, "the longest runner's run, all having started together");
    assert.deepEqual(merged.metrics[K6_METRICS.serverClockStreams]!.values, { count: 10, rate: 2.5 });
    assert.equal(merged.metrics[K6_METRICS.streamWindowStartMs]!.values['value'], 4000);
    assert.equal(merged.metrics[K6_METRICS.streamSendWait]!.values['p(95)'], 12);
    assert.equal(merged.metrics[K6_METRICS.requestFailed]!.values['fails'], 1, 'sampled metrics come from the samples');
    assert.deepEqual(notes, []);
  });

  it('leave out a trend several runners measured, saying why, and never average their percentiles', () => {
    const union = new SummaryFromSamples().result();
    const { summary: merged, notes } = mergeSummaries({
      union,
      runners: [
        summary(1000, { [K6_METRICS.streamSendWait]: trend(3, 10) }),
        summary(1000, { [K6_METRICS.streamSendWait]: trend(5, 30) }),
      ],
      streamedRunners: 0,
    });
    assert.equal(merged.metrics[K6_METRICS.streamSendWait], undefined);
    assert.match(
      notes[0]!,
      /^stream_send_wait is left out: several runners measured it and k6 keeps no per-request samples of it/,
    );
  });

  it("keep a workload's token counts by their count, least, most and mean, without percentiles", () => {
    const tokens = (count: number, min: number, max: number, avg: number): K6Metric => ({
      type: 'trend',
      values: { count, min, max, avg, 'p(50)': avg, 'p(95)': max },
    });
    const { summary: merged, notes } = mergeSummaries({
      union: new SummaryFromSamples().result(),
      runners: [
        summary(1000, {
          [K6_METRICS.inputAsked]: tokens(3, 10, 30, 20),
          [`${K6_METRICS.inputAsked}{turn:1}`]: tokens(1, 10, 10, 10),
        }),
        summary(1000, {
          [K6_METRICS.inputAsked]: tokens(1, 40, 40, 40),
          [`${K6_METRICS.inputAsked}{turn:1}`]: tokens(2, 5, 9, 7),
        }),
      ],
      streamedRunners: 0,
    });
    assert.deepEqual(merged.metrics[K6_METRICS.inputAsked]!.values, { count: 4, min: 10, max: 40, avg: 25 });
    assert.deepEqual(merged.metrics[`${K6_METRICS.inputAsked}{turn:1}`]!.values, { count: 3, min: 5, max: 10, avg: 8 });
    assert.deepEqual(notes.length, 1);
    assert.match(
      notes[0]!,
      /^workload_input_tokens_asked: their counts, least, most and mean over all runners are exact/,
    );
  });

  it("span the streams' measured window from the earliest runner's start to the latest's end", () => {
    const union = new SummaryFromSamples();
    union.add({ metric: K6_METRICS.streamWindowMs, tMs: 1, value: 800, phase: null, endpoint: null, check: null });
    union.add({ metric: K6_METRICS.streamWindowMs, tMs: 2, value: 500, phase: null, endpoint: null, check: null });
    const runner = (start: number, windowMs: number): K6Summary =>
      summary(2000, {
        [K6_METRICS.streamWindowMs]: { type: 'counter', values: { count: windowMs, rate: 0 } },
        [K6_METRICS.streamWindowStartMs]: { type: 'gauge', values: { value: start, min: start, max: start } },
      });
    const { summary: merged } = mergeSummaries({
      union: union.result(),
      runners: [runner(10_000, 800), runner(10_400, 500)],
      streamedRunners: 2,
    });
    assert.equal(merged.metrics[K6_METRICS.streamWindowMs]!.values['count'], 900, '10.0 s to 10.9 s, not 800 + 500');
    const { notes } = mergeSummaries({
      union: union.result(),
      runners: [runner(10_000, 800), null],
      streamedRunners: 2,
    });
    assert.match(notes[0]!, /the longest runner's/);
  });
});
