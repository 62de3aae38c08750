/**
 * What the per-request samples give the report's charts: bands over time and distributions of a
 * bounded size for any number of requests, each phase's span, and the real samples of a spike run
 * (test/fixtures/fault-spike-samples) read the way the runner reads them.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { ScenarioPlan } from '../../src/core/types.js';
import { detailMetrics, DISTRIBUTION_BINS, LatencyDetailLog, logBins } from '../../src/core/watch/latency-detail.js';
import { LatencyHistogram } from '../../src/core/watch/latency-histogram.js';
import { MAX_WINDOWS } from '../../src/core/watch/latency-windows.js';
import { scanSamples } from '../../src/node/watch/samples.js';

const FIXTURE = path.resolve(import.meta.dirname, '..', 'fixtures', 'fault-spike-samples');

describe('the latency detail of a run', () => {
  it('stays bounded for a million requests over an hour: at most MAX_WINDOWS points and 40 bins', () => {
    const log = new LatencyDetailLog(detailMetrics(null, false));
    const t0 = 1_800_000_000_000;
    for (let i = 0; i < 1_000_000; i++) {
      log.add({
        metric: 'http_req_duration',
        tMs: t0 + i * 3.6,
        value: 5 + (i % 97),
        phase: i < 500_000 ? 'baseline' : 'spike',
        endpoint: 'generate',
        check: null,
      });
    }
    const d = log.detail(t0)!;
    assert.equal(d.bands.length, 1);
    assert.ok(d.bands[0]!.series[0]!.points.length <= MAX_WINDOWS);
    assert.equal(d.bands[0]!.requests, 1_000_000);
    assert.equal(
      d.bands[0]!.series[0]!.points.reduce((n, p) => n + p.requests, 0),
      1_000_000,
      'every request is in one window',
    );
    assert.equal(d.distributions[0]!.bins.length, DISTRIBUTION_BINS);
    assert.equal(
      d.distributions[0]!.bins.reduce((n, b) => n + b.count, 0),
      1_000_000,
    );
    assert.deepEqual(
      d.phases.map((p) => [p.name, p.requests]),
      [
        ['baseline', 500_000],
        ['spike', 500_000],
      ],
    );
    assert.ok(JSON.stringify(d).length < 60_000, `${JSON.stringify(d).length} bytes`);
  });

  it('puts TTFT and end-to-end time over time, and TTFT, ITL and end-to-end into distributions, for streams', () => {
    const metrics = detailMetrics('stream_e2e', true);
    assert.deepEqual(
      metrics.filter((m) => m.bands).map((m) => m.metric),
      ['stream_ttft', 'stream_e2e'],
    );
    assert.deepEqual(
      metrics.map((m) => m.metric),
      ['stream_ttft', 'stream_itl', 'stream_e2e'],
    );
  });

  it('bins a histogram logarithmically from its smallest value to its largest, losing no value', () => {
    const h = new LatencyHistogram();
    for (const v of [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1000]) h.add(v);
    const bins = logBins(h, 10);
    assert.equal(bins.length, 10);
    assert.equal(bins[0]!.from, 1);
    assert.equal(bins[9]!.to, 1000);
    assert.equal(
      bins.reduce((n, b) => n + b.count, 0),
      11,
    );
    assert.ok(bins.every((b, i) => i === 0 || Math.abs(b.from - bins[i - 1]!.to) < 1e-9));
    const same = new LatencyHistogram();
    same.add(3);
    same.add(3);
    assert.deepEqual(logBins(same), [{ from: 3, to: 3, count: 2 }]);
  });

  it("reads a real spike run's samples into its three phases, in order, on the run's time axis", async () => {
    const plan = JSON.parse(readFileSync(path.join(FIXTURE, 'plan.json'), 'utf8')) as ScenarioPlan;
    const log = new LatencyDetailLog(detailMetrics(plan.latencyMetric, plan.stream != null));
    let first = Infinity;
    await scanSamples(path.join(FIXTURE, 'samples.csv.gz'), new Set(log.metrics), (s) => {
      first = Math.min(first, s.tMs - s.value);
      log.add(s);
    });
    const d = log.detail(first - 1000)!;
    assert.deepEqual(
      d.phases.map((p) => p.name),
      ['baseline', 'spike', 'recovery'],
    );
    assert.equal(d.phases[0]!.startSec, 1);
    assert.ok(d.phases.every((p, i) => p.endSec >= p.startSec && (i === 0 || p.startSec >= d.phases[i - 1]!.startSec)));
    assert.equal(
      d.phases.reduce((n, p) => n + p.requests, 0),
      27,
    );
    assert.deepEqual(d.bands[0]!.series.map((s) => s.name).sort(), ['generate', 'health', 'tokenize']);
  });
});
