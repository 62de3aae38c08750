/**
 * What the runners of a split run really sent, read straight from each runner's per-request samples
 * (samples.csv.gz), with no merge code in between: every latency, per phase and in all, and the
 * requests and failures per endpoint. The merge's figures are checked against it (the merge tests,
 * and the truth record of npm run bench -- segments-truth).
 */
import path from 'node:path';
import { K6_FILES } from '../../src/core/contract.js';
import { K6_METRICS } from '../../src/core/rules/metric-table.js';
import { percentile } from '../../src/core/stats.js';
import { scanSamples } from '../../src/node/watch/samples.js';

export interface SamplesTruth {
  /** Every request's latency (the plan's latency metric), of every runner. */
  latencies: number[];
  byPhase: Map<string, number[]>;
  byEndpoint: Map<string, { sent: number; failed: number }>;
  sent: number;
  failed: number;
}

export async function samplesTruth(
  dirs: readonly string[],
  latencyMetric: string = K6_METRICS.latency,
): Promise<SamplesTruth> {
  const t: SamplesTruth = { latencies: [], byPhase: new Map(), byEndpoint: new Map(), sent: 0, failed: 0 };
  for (const d of dirs)
    await scanSamples(path.join(d, K6_FILES.samples), new Set([latencyMetric, K6_METRICS.requestFailed]), (s) => {
      if (s.metric === latencyMetric) {
        t.latencies.push(s.value);
        if (s.phase !== null) t.byPhase.set(s.phase, [...(t.byPhase.get(s.phase) ?? []), s.value]);
        return;
      }
      t.sent++;
      if (s.value !== 0) t.failed++;
      const e = t.byEndpoint.get(s.endpoint ?? '') ?? { sent: 0, failed: 0 };
      e.sent++;
      if (s.value !== 0) e.failed++;
      t.byEndpoint.set(s.endpoint ?? '', e);
    });
  return t;
}

/** k6's percentile (the one in src/core/stats.ts) of the values given. */
export function pct(values: readonly number[], p: number): number | null {
  return percentile(Float64Array.from(values).sort(), p);
}
