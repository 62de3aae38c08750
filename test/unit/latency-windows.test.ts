import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bandChart } from '../../src/core/charts/band-chart.js';
import { downsample } from '../../src/core/watch/downsample.js';
import { LatencyHistogram } from '../../src/core/watch/latency-histogram.js';
import { latencyBands, LatencyWindows, MAX_WINDOWS, PLOT_WINDOWS } from '../../src/core/watch/latency-windows.js';
import { percentile } from '../../src/core/stats.js';

/** A seeded generator (mulberry32), so every run of the test sees the same latencies. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Log-normal latencies around 1 ms with a long tail, as a loaded server gives. */
function latencies(n: number, seed = 1): number[] {
  const rnd = seeded(seed);
  return Array.from({ length: n }, () =>
    Math.exp(Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd()) * 0.6),
  );
}

/** A run of `n` requests evenly over `seconds`, one endpoint. */
function run(n: number, seconds: number): LatencyWindows {
  const w = new LatencyWindows();
  const values = latencies(n);
  for (let i = 0; i < n; i++) w.add(1_700_000_000_000 + (i * seconds * 1000) / n, values[i]!, 'health');
  return w;
}

function totalBuckets(w: LatencyWindows): number {
  return w
    .windows()
    .reduce((n, x) => n + x.all.buckets + [...x.byEndpoint.values()].reduce((m, h) => m + h.buckets, 0), 0);
}

describe('latencies in bounded memory', () => {
  it('gives percentiles within 1 % of the exact ones, and exact ones when every value is equal', () => {
    const values = latencies(20_000, 7);
    const h = new LatencyHistogram();
    for (const v of values) h.add(v);
    const sorted = [...values].sort((a, b) => a - b);
    for (const p of [50, 90, 95, 99]) {
      const exact = percentile(sorted, p)!;
      assert.ok(Math.abs(h.percentile(p)! - exact) / exact < 0.01, `p${p}: ${h.percentile(p)} against ${exact}`);
    }
    const flat = new LatencyHistogram();
    for (let i = 0; i < 10; i++) flat.add(12.345);
    assert.equal(flat.percentile(95), 12.345);
    assert.equal(new LatencyHistogram().percentile(50), null);
  });

  it('keeps a million requests over 1000 s in ≤ MAX_WINDOWS windows, as many buckets as the latencies span', () => {
    const big = run(1_000_000, 1000);
    assert.equal(big.total, 1_000_000);
    assert.ok(big.windows().length <= MAX_WINDOWS, `${big.windows().length} windows`);
    // Every window holds at most the buckets between the smallest and largest latency, twice
    // (all requests, and the endpoint's): a bound set by the latencies, not by their number.
    const all = new LatencyHistogram();
    for (const w of big.windows()) all.merge(w.all);
    const span = Math.ceil(Math.log(all.max / all.min) / Math.log(1.02)) + 1;
    assert.ok(totalBuckets(big) <= MAX_WINDOWS * 2 * span, `${totalBuckets(big)} buckets for a span of ${span}`);
    const small = run(100, 0.02);
    assert.equal(small.total, 100);
    assert.ok(small.windows().length > 1, 'a run of 20 ms still has windows of its own');
  });

  it('counts completed requests in time order, ending at the total', () => {
    const w = run(5000, 30);
    const points = w.completed();
    for (let i = 1; i < points.length; i++) {
      assert.ok(points[i]!.tMs >= points[i - 1]!.tMs && points[i]!.completed >= points[i - 1]!.completed);
    }
    assert.equal(points.at(-1)?.completed, 5000);
  });

  it('takes samples that arrive out of time order, as k6 writes them', () => {
    const w = new LatencyWindows();
    for (const t of [5000, 4000, 6000, 1000, 7000]) w.add(t, 1, 'health');
    assert.equal(w.total, 5);
    assert.deepEqual(
      w
        .completed()
        .map((p) => p.completed)
        .at(-1),
      5,
    );
    assert.deepEqual([w.firstStartMs, w.lastEndMs], [999, 7000]);
  });

  it('finds the first and last thirds of the requests for the drift check', () => {
    const w = new LatencyWindows();
    // 300 requests over 30 s; the last 100 are 30 ms slower.
    for (let i = 0; i < 300; i++) w.add(i * 100, i >= 200 ? 40 : 10, 'generate');
    const thirds = w.thirds()!;
    assert.deepEqual([thirds.first.percentile(95), thirds.last.percentile(95)], [10, 40]);
    assert.equal(new LatencyWindows().thirds(), null);
  });
});

describe('latency plots as percentile bands', () => {
  it('draw one point per window, so a million requests make a file no bigger than a hundred', () => {
    const chart = (w: LatencyWindows): string =>
      bandChart({ title: 't', xLabel: 'x', yLabel: 'y', series: latencyBands(w, 1_700_000_000_000) });
    const small = chart(run(100, 1));
    const big = chart(run(1_000_000, 1000));
    for (const svg of [small, big]) {
      const medians = /<polyline[^>]* points="([^"]*)"/.exec(svg)?.[1]?.split(' ') ?? [];
      assert.ok(medians.length >= 2 && medians.length <= PLOT_WINDOWS, `${medians.length} points`);
      assert.match(svg, /<polygon[^>]*fill-opacity="0\.35"/, 'the p50 to p95 band');
      assert.match(svg, /<polygon[^>]*fill-opacity="0\.15"/, 'the p95 to p99 band');
    }
    assert.ok(big.length < 40_000 && big.length < small.length * 3, `${small.length} and ${big.length} bytes`);
  });

  it('draw one band per endpoint of a mix, named in the legend', () => {
    const w = new LatencyWindows();
    for (let i = 0; i < 300; i++) w.add(i * 10, i % 2 === 0 ? 0.3 : 1.2, i % 2 === 0 ? 'health' : 'generate');
    const series = latencyBands(w, 0);
    assert.deepEqual(series.map((s) => s.name).sort(), ['generate', 'health']);
    const svg = bandChart({ title: 't', xLabel: 'x', yLabel: 'y', series });
    assert.equal((svg.match(/<polyline/g) ?? []).length, 2);
    assert.match(svg, />health</);
  });

  it('thin a long resource series to a fixed number of points, keeping its peak', () => {
    const series = Array.from({ length: 14_400 }, (_, i) => ({ x: i / 4, y: i === 7000 ? 900 : 100 }));
    const thin = downsample(series, 300, 'max');
    assert.equal(thin.length, 300);
    assert.equal(Math.max(...thin.map((p) => p.y)), 900);
    assert.equal(downsample(series.slice(0, 10), 300, 'mean').length, 10);
  });
});
