/**
 * The server's series over time: real scrapes of Realizar 0.8.6 and of llama-server read against
 * their profiles (test/fixtures/README.md), rates from counters, llama.cpp's KV cache from its slot
 * monitor, series that stay bounded whatever the run's length, and the rules that read them.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Rule, ServerProfile, TelemetryReport } from '../../src/core/types.js';
import { BoundedSeries } from '../../src/core/scrape/bounded-series.js';
import { parsePrometheusText } from '../../src/core/scrape/prometheus.js';
import { kvCachePctFromSlots, roleMax, SLOTS_SERIES_NAME, TelemetryLog } from '../../src/core/scrape/telemetry.js';
import { RULE_METRICS } from '../../src/core/rules/metrics.js';
import { whyUnjudged } from '../../src/core/rules/unjudged.js';
import { validateServerProfile } from '../../src/generated/file-validators.cjs';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const FIXTURES = path.join(ROOT, 'test', 'fixtures');
const fixture = (name: string): string => readFileSync(path.join(FIXTURES, name), 'utf8');
const profile = (name: string): ServerProfile =>
  JSON.parse(readFileSync(path.join(ROOT, 'profiles', `${name}.json`), 'utf8')) as ServerProfile;

const ORIGIN = 1_800_000_000_000;
const NO_COST: TelemetryReport['cost'] = {
  perScrapeCpuMs: null,
  scrapeCpuSec: null,
  serverCpuSec: null,
  sharePct: null,
  method: 'not measured',
};
const SCRAPES: TelemetryReport['scrapes'] = { attempted: 2, failed: 0, meanMs: 1, maxMs: 1, lastFailure: null };

describe('a bounded series', () => {
  it('keeps at most its points for a week of scrapes, with the peak and the mean of every value', () => {
    const s = new BoundedSeries(300);
    const week = 7 * 24 * 3600;
    for (let t = 0; t < week; t++) s.add(t, t === 123_456 ? 1000 : t % 10);
    const points = s.points();
    assert.ok(points.length <= 300 && points.length >= 150, `${points.length} points`);
    assert.equal(s.count, week);
    assert.equal(s.max, 1000);
    assert.equal(Math.max(...points.map((p) => p.max)), 1000, 'the one-second peak survives the merging');
    assert.ok(
      points.every((p, i) => i === 0 || p.tSec > points[i - 1]!.tSec),
      'points in time order',
    );
    assert.ok(Math.abs(s.mean! - 4.5) < 0.01);
  });

  it('keeps every value of a short run as its own point', () => {
    const s = new BoundedSeries(300);
    for (let t = 0; t < 40; t++) s.add(t, t);
    assert.deepEqual(
      s.points().map((p) => [p.tSec, p.value, p.min, p.max]),
      Array.from({ length: 40 }, (_, t) => [t, t, t, t]),
    );
  });
});

describe("Realizar's series", () => {
  it('turns its counters into rates between two scrapes and reads its gauge', () => {
    const log = new TelemetryLog(profile('realizar'), ORIGIN);
    log.add({ tMs: ORIGIN + 1000, samples: parsePrometheusText(fixture('realizar-metrics-before.txt')) });
    log.add({ tMs: ORIGIN + 3000, samples: parsePrometheusText(fixture('realizar-metrics.txt')) });
    const t = log.report({ intervalSec: 1, scrapes: SCRAPES, cost: NO_COST });
    const by = Object.fromEntries(t.series.map((s) => [s.name, s]));
    // 3 requests and 15 tokens in the two seconds between the scrapes.
    assert.equal(by['realizar_requests_total']?.max, 1.5);
    assert.equal(by['realizar_tokens_generated']?.max, 7.5);
    assert.equal(by['realizar_requests_total']?.kind, 'rate');
    assert.deepEqual(by['realizar_requests_total']?.points, [{ tSec: 3, value: 1.5, min: 1.5, max: 1.5 }]);
    assert.equal(by['realizar_avg_latency_ms']?.samples, 2, 'a gauge is read at every scrape');
    assert.equal(by['realizar_avg_latency_ms']?.max, 0.88);
    assert.deepEqual(t.notExported, []);
    assert.equal(t.originAt, new Date(ORIGIN).toISOString());
  });

  it('draws no rate across a counter that went down (the server restarted)', () => {
    const log = new TelemetryLog(profile('realizar'), ORIGIN);
    log.add({ tMs: ORIGIN + 1000, samples: parsePrometheusText(fixture('realizar-metrics.txt')) });
    log.add({ tMs: ORIGIN + 2000, samples: parsePrometheusText(fixture('realizar-metrics-before.txt')) });
    const t = log.report({ intervalSec: 1, scrapes: SCRAPES, cost: NO_COST });
    assert.equal(
      t.series.find((s) => s.name === 'realizar_requests_total'),
      undefined,
      'no rate from the two readings',
    );
    assert.ok(!t.notExported.includes('realizar_requests_total'), 'the counter was exported all the same');
  });

  it('lists what the profile names and no scrape found', () => {
    const p: ServerProfile = {
      ...profile('realizar'),
      gauges: [{ name: 'realizar_queue_depth', label: 'queue', unit: 'requests' }],
    };
    const log = new TelemetryLog(p, ORIGIN);
    log.add({ tMs: ORIGIN, samples: parsePrometheusText(fixture('realizar-metrics.txt')) });
    assert.deepEqual(log.report({ intervalSec: 1, scrapes: SCRAPES, cost: NO_COST }).notExported, [
      'realizar_queue_depth',
    ]);
  });
});

describe("llama.cpp's series", () => {
  const slots = JSON.parse(fixture('llamacpp-slots-load.json')) as unknown;

  it('reads requests processing and deferred, and the KV cache from /slots, under a load of eight streams', () => {
    const log = new TelemetryLog(profile('llamacpp'), ORIGIN);
    log.add({
      tMs: ORIGIN + 500,
      samples: parsePrometheusText(fixture('llamacpp-metrics-load.txt')),
      slotsKvPct: kvCachePctFromSlots(slots),
    });
    const t = log.report({ intervalSec: 1, scrapes: SCRAPES, cost: NO_COST });
    const by = Object.fromEntries(t.series.map((s) => [s.name, s]));
    assert.equal(by['llamacpp:requests_processing']?.max, 4);
    assert.equal(by['llamacpp:requests_processing']?.role, 'running');
    assert.equal(by['llamacpp:requests_deferred']?.max, 4);
    assert.equal(by['llamacpp:prompt_tokens_seconds']?.max, 162.621);
    // Four busy slots of 2048 tokens: 39 + 39 + 40 + 40 tokens held.
    assert.equal(by[SLOTS_SERIES_NAME]?.max, Number(((158 / 8192) * 100).toPrecision(6)));
    assert.equal(roleMax(t, 'queue'), 4);
    assert.equal(roleMax(t, 'kv-cache'), by[SLOTS_SERIES_NAME]?.max);
  });

  it('counts only the slots processing a request, and refuses what is not a list of slots', () => {
    assert.equal(
      kvCachePctFromSlots([
        { n_ctx: 100, is_processing: true, n_prompt_tokens: 50 },
        { n_ctx: 100, is_processing: false, n_prompt_tokens: 90 },
      ]),
      25,
    );
    assert.equal(kvCachePctFromSlots({ error: 'This server does not support slots endpoint' }), null);
    assert.equal(kvCachePctFromSlots([]), null);
    assert.equal(kvCachePctFromSlots([{ id: 0 }]), null);
  });
});

describe('the server profiles', () => {
  for (const file of readdirSync(path.join(ROOT, 'profiles'))) {
    it(`${file} is a valid profile whose series have units and labels`, () => {
      const p = JSON.parse(readFileSync(path.join(ROOT, 'profiles', file), 'utf8')) as ServerProfile;
      assert.ok(validateServerProfile(p), JSON.stringify(validateServerProfile.errors));
      assert.ok(TelemetryLog.follows(p), 'it names series to follow during the load');
    });
  }

  it("names vLLM's documented queue and KV-cache gauges, the KV cache in %", () => {
    const p = profile('vllm');
    const names = (p.gauges ?? []).map((g) => g.name);
    assert.ok(names.includes('vllm:num_requests_running') && names.includes('vllm:num_requests_waiting'));
    assert.equal(p.gauges?.find((g) => g.name === 'vllm:num_requests_waiting')?.role, 'queue');
    const kv = p.gauges?.find((g) => g.name === 'vllm:kv_cache_usage_perc');
    assert.equal(kv?.scale, 100);
    const log = new TelemetryLog(p, ORIGIN);
    log.add({
      tMs: ORIGIN,
      samples: parsePrometheusText(
        'vllm:num_requests_waiting{model_name="m"} 3\nvllm:kv_cache_usage_perc{model_name="m"} 0.42\n',
      ),
    });
    const t = log.report({ intervalSec: 1, scrapes: SCRAPES, cost: NO_COST });
    assert.equal(roleMax(t, 'queue'), 3);
    assert.equal(roleMax(t, 'kv-cache'), 42);
    assert.ok(t.notExported.includes('vllm:gpu_cache_usage_perc'), 'the older name is said missing');
  });
});

describe('rules on the server’s series', () => {
  const rule = (metric: Rule['metric']): Rule => ({ id: 'queue', metric, acceptable: 2, source: 'test' });
  const telemetry = (queue: number): TelemetryReport => {
    const log = new TelemetryLog(profile('llamacpp'), ORIGIN);
    log.add({
      tMs: ORIGIN,
      samples: parsePrometheusText(`llamacpp:requests_deferred ${queue}\nllamacpp:requests_processing 4\n`),
      slotsKvPct: 12.5,
    });
    return log.report({ intervalSec: 1, scrapes: SCRAPES, cost: NO_COST });
  };
  const measure = (metric: Rule['metric'], t: TelemetryReport | null): number | null =>
    RULE_METRICS[metric].measure({
      figures: null,
      durationSec: 1,
      resources: null,
      telemetry: t,
      trend: () => null,
      value: () => null,
    });

  it("measures the queue's and the KV cache's highest values", () => {
    assert.equal(measure('server_queue_max', telemetry(4)), 4);
    assert.equal(measure('server_kv_cache_max_pct', telemetry(0)), 12.5);
    assert.equal(RULE_METRICS.server_queue_max.k6Metric, null, 'k6 never sees it');
  });

  it('is not judged, and says why, when the series were not scraped', () => {
    assert.match(
      whyUnjudged(rule('server_queue_max'), { resources: null, telemetry: null }) ?? '',
      /not judged: the server's metrics were not scraped during the load/,
    );
    assert.equal(whyUnjudged(rule('server_queue_max'), { resources: null, telemetry: telemetry(1) }), null);
    assert.match(
      whyUnjudged(rule('memory_overhead_mb'), { resources: null, telemetry: telemetry(1) }) ?? '',
      /server's process was not watched/,
    );
    assert.equal(whyUnjudged(rule('latency_p95'), { resources: null, telemetry: null }), null);
  });
});
