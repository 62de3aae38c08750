import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Latency } from '../../src/core/types.js';
import { RULE_METRICS, type MeasureInput } from '../../src/core/rules/metrics.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

/** A scope where every figure is there, each a different number, so a metric reading the wrong one shows. */
const full: MeasureInput = {
  figures: {
    totals: { successes: 90, requests: 100 },
    errorRatePct: 2.5,
    latencyMs: { p50: 11, p95: 12, p99: 13 } as unknown as Latency,
  },
  durationSec: 3,
  resources: {
    overheadMb: 40,
    cpuAvgPctOfAllCores: 55,
    leak: { slopeMbPer1000Requests: 0.7 },
    drift: { growthMs: 4 },
  } as unknown as MeasureInput['resources'],
  telemetry: {
    series: [
      { role: 'queue', max: 6 },
      { role: 'kv-cache', max: 35 },
      { role: 'running', max: 4 },
    ],
  } as unknown as MeasureInput['telemetry'],
  trend: (k6Metric, stat) => `${k6Metric}:${stat}`.length,
  value: (k6Metric, stat) => (k6Metric === 'goodput' && stat === 'passes' ? 81 : null),
};

describe('the metric table', () => {
  it("has an entry for every metric a thresholds file may name (the schema's enum)", async () => {
    const schema = JSON.parse(await readFile(path.join(ROOT, 'schemas', 'thresholds.schema.json'), 'utf8')) as {
      $defs?: unknown;
      definitions?: unknown;
    };
    const text = JSON.stringify(schema);
    const enumOfMetric = /"metric":\{"description":"[^"]*","enum":\[([^\]]*)\]/.exec(text);
    assert.ok(enumOfMetric, 'the schema lists the metrics');
    const names = enumOfMetric[1]!.split(',').map((n) => JSON.parse(n) as string);
    assert.deepEqual(names.sort(), Object.keys(RULE_METRICS).sort());
  });

  it('measures every metric from the figures it is about: none comes out as "no data" when all were measured', () => {
    for (const [name, spec] of Object.entries(RULE_METRICS)) assert.equal(typeof spec.measure(full), 'number', name);
    assert.equal(RULE_METRICS.latency_p95.measure(full), 12);
    assert.equal(RULE_METRICS.error_rate.measure(full), 2.5);
    assert.equal(RULE_METRICS.throughput.measure(full), 30);
    // Of every planned request, not only those sent.
    assert.equal(RULE_METRICS.goodput.measure(full), 81);
    assert.equal(RULE_METRICS.rss_growth_mb_per_1000_requests.measure(full), 0.7);
    assert.equal(RULE_METRICS.server_queue_max.measure(full), 6);
    assert.equal(RULE_METRICS.server_kv_cache_max_pct.measure(full), 35);
  });

  it('says nothing was measured, rather than a figure, when the scope or the server was not measured', () => {
    const none: MeasureInput = { figures: null, durationSec: 0, resources: null, trend: () => null, value: () => null };
    for (const [name, spec] of Object.entries(RULE_METRICS)) assert.equal(spec.measure(none), null, name);
  });
});
