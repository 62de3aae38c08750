import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { K6_METRICS, METRIC_ENTRIES, METRICS, SLO_METRICS, SLO_STATS } from '../../src/core/rules/metric-table.js';
import { LATENCY_PLACEHOLDER, RULE_METRICS } from '../../src/core/rules/metrics.js';
import { SERVER_CLOCK_METRICS } from '../../src/core/stream/server-clock.js';
import { SAMPLE_METRIC_TYPES } from '../../src/core/summary/samples-summary.js';
import { parseSlos } from '../../src/node/config/sweep.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

async function schemaMetricNames(): Promise<string[]> {
  const text = await readFile(path.join(ROOT, 'schemas', 'thresholds.schema.json'), 'utf8');
  const m = /"metric":\s*\{\s*"description":\s*"[^"]*",\s*"enum":\s*\[([^\]]*)\]/.exec(text);
  assert.ok(m, 'the schema lists the metrics a rule may name');
  return m[1]!.split(',').map((n) => JSON.parse(n) as string);
}

/** The names rules may use, as the table spells them out. */
const ruleNamesOf = (rule: { name: string; stats?: readonly string[] }): string[] =>
  rule.stats === undefined ? [rule.name] : rule.stats.map((s) => `${rule.name}_${s}`);

describe('the metric table', () => {
  it("names every metric of the thresholds schema's enum, and no other, as a rule's metric", async () => {
    const names = METRIC_ENTRIES.flatMap(([, e]) => (e.rule === undefined ? [] : ruleNamesOf(e.rule)));
    assert.deepEqual(names.sort(), (await schemaMetricNames()).sort());
  });

  it('gives each k6 metric one entry: no k6 name twice', () => {
    const names = METRIC_ENTRIES.flatMap(([, e]) => (e.k6 === null ? [] : [e.k6]));
    assert.equal(new Set(names).size, names.length);
  });

  it('types every metric k6 records, none the runner measures, and has times only among Trends', () => {
    for (const [key, e] of METRIC_ENTRIES) {
      assert.equal(e.k6 === null, e.type === null, key);
      assert.equal(e.k6 === null, e.at === 'server-process' || e.at === 'timeline' || e.at === 'server-metrics', key);
      if (e.isTime) assert.equal(e.type, 'trend', key);
    }
    const { ttft, streamStartLate, tokensPerSecond, streamWindowStartMs } = METRICS;
    assert.deepEqual([ttft.isTime, streamStartLate.isTime, tokensPerSecond.isTime], [true, true, false]);
    assert.equal(streamWindowStartMs.type, 'gauge');
  });
});

describe('the tables derived from the metric table', () => {
  it('K6_METRICS: the k6 name of every entry that has one, under its key', () => {
    const expected = Object.fromEntries(METRIC_ENTRIES.flatMap(([key, e]) => (e.k6 === null ? [] : [[key, e.k6]])));
    assert.deepEqual({ ...K6_METRICS }, expected);
    assert.equal(K6_METRICS.streamStartLate, 'stream_start_late');
    assert.equal(K6_METRICS.latency, 'http_req_duration');
  });

  it("SERVER_CLOCK_METRICS: the server clock's entries, by their short names", () => {
    const clock = METRIC_ENTRIES.filter(([, e]) => e.at === 'server-clock').map(([, e]) => e.k6);
    assert.deepEqual(Object.values(SERVER_CLOCK_METRICS).sort(), [...clock].sort());
    assert.equal(SERVER_CLOCK_METRICS.ttftDiff, 'server_clock_ttft_diff_ms');
    assert.equal(SERVER_CLOCK_METRICS.tokenMismatches, 'server_clock_token_mismatches');
    assert.equal(SERVER_CLOCK_METRICS.streams, 'server_clock_streams');
  });

  it('SAMPLE_METRIC_TYPES: the metrics read back from the samples, each with its type in the table', () => {
    for (const [name, type] of Object.entries(SAMPLE_METRIC_TYPES)) {
      const entry = METRIC_ENTRIES.find(([, e]) => e.k6 === name)?.[1];
      assert.equal(entry?.type, type, name);
      assert.equal(entry?.fromSamples, true, name);
    }
    assert.deepEqual(Object.keys(SAMPLE_METRIC_TYPES).sort(), [
      'arrivals_dropped',
      'checks',
      'dropped_iterations',
      'goodput',
      'goodput_tokens',
      'http_req_duration',
      'request_failed',
      'request_start_late',
      'requests_ok',
      'stream_e2e',
      'stream_itl',
      'stream_output_tokens_per_second',
      'stream_ttft',
      'stream_window_ms',
      'tokens_generated',
    ]);
  });

  it("RULE_METRICS: each rule reads its entry's k6 metric, the plan's latency for latency rules", () => {
    for (const [key, e] of METRIC_ENTRIES) {
      if (e.rule === undefined) continue;
      for (const name of ruleNamesOf(e.rule)) {
        const spec = RULE_METRICS[name as keyof typeof RULE_METRICS];
        assert.equal(spec.k6Metric, e.rule.planLatency === true ? LATENCY_PLACEHOLDER : e.k6, `${key}: ${name}`);
        assert.deepEqual([spec.op, spec.unit], [e.rule.op, e.rule.unit], name);
      }
    }
    assert.deepEqual([RULE_METRICS.ttft_p95.stat, RULE_METRICS.ttft_p95.label], ['p(95)', 'p95 time to first token']);
    assert.deepEqual([RULE_METRICS.error_rate.stat, RULE_METRICS.error_rate.toK6(5)], ['rate', 0.05]);
    assert.deepEqual([RULE_METRICS.throughput.stat, RULE_METRICS.throughput.toK6(5)], ['rate', 5]);
    assert.equal(RULE_METRICS.output_tokens_per_second_p50.label, 'median output tokens per second');
    assert.equal(RULE_METRICS.memory_overhead_mb.k6Metric, null);
  });

  it("the sweep's objectives: the entries marked for it, at the report's latency stats", () => {
    assert.deepEqual(SLO_METRICS, ['latency', 'ttft', 'itl', 'e2e']);
    assert.deepEqual(SLO_STATS, ['p50', 'p90', 'p95', 'p99']);
    const slos = parseSlos('--slo', 'p95<500,e2e_p99<900ms,itl_p50<20');
    assert.deepEqual(
      slos.map((s) => [s.metric, s.stat, s.boundMs, s.text]),
      [
        ['latency', 'p95', 500, 'p95<500ms'],
        ['e2e', 'p99', 900, 'e2e_p99<900ms'],
        ['itl', 'p50', 20, 'itl_p50<20ms'],
      ],
    );
  });

  it('refuses an objective on a metric the table does not offer, naming the flag and the metrics it allows', () => {
    const allowed = /--slo: expected an objective on latency, ttft, itl or e2e/;
    assert.throws(() => parseSlos('--slo', 'tokens_p95<5'), allowed);
    assert.throws(() => parseSlos('--slo', 'tokens_p95<5'), /found 'tokens_p95<5'/);
    assert.throws(() => parseSlos('--slo', 'p95<500,output_tokens_per_second_p50<1'), allowed);
    const stats = /--slo: expected an objective's stat among p50, p90, p95 or p99, found 'ttft_p42<5'/;
    assert.throws(() => parseSlos('--slo', 'ttft_p42<5'), stats);
  });
});
