/**
 * The per-request samples behind a compared report: each scenario's (and each repetition's)
 * samples.csv.gz in the run folder beside report.json, read for the latency metrics compare bootstraps
 * (src/core/commands/compare-noise.ts). A run without --samples has k6's one-second windows instead:
 * each request is then its histogram bucket's middle, to within about 5 %, and its rows say so. A report
 * copied away from its run folder (a saved baseline) has neither, and compare then falls back to its
 * medians alone.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { compareWithNoise, type NoiseOptions, type NoiseRow } from '../../core/commands/compare-noise.js';
import { K6_FILES } from '../../core/contract.js';
import { K6_METRICS } from '../../core/rules/metric-table.js';
import type { Report } from '../../core/types.js';
import { scanSamples } from '../watch/samples.js';
import { scanWindows } from '../watch/windows-read.js';

/** The latency metrics compared, and the percentiles of each. */
const COMPARED = [
  { metric: K6_METRICS.ttft, stats: [50, 95], floor: 'ttft' },
  { metric: K6_METRICS.itl, stats: [50, 95], floor: 'itl' },
  { metric: K6_METRICS.e2e, stats: [50, 95], floor: 'ttft' },
  { metric: K6_METRICS.latency, stats: [50, 95], floor: null },
] as const;
const WANTED: ReadonlySet<string> = new Set(COMPARED.map((c) => c.metric));

/** Scenario → metric → one array of samples per run; and the scenarios read from k6's windows. */
export interface RunSamples {
  byScenario: Map<string, Map<string, number[][]>>;
  fromWindows: Set<string>;
}

export function runFolderOf(file: string): string {
  return existsSync(file) && statSync(file).isDirectory() ? file : path.dirname(file);
}

export async function readRunSamples(file: string, report: Report): Promise<RunSamples> {
  const dir = runFolderOf(file);
  const out: RunSamples = { byScenario: new Map(), fromWindows: new Set() };
  for (const s of report.scenarios) {
    if (s.status !== 'completed') continue;
    const folder = path.join(dir, 'k6', s.repeat === undefined || s.repeat === null ? s.name : `${s.name}-${s.repeat}`);
    const perMetric = new Map<string, number[]>();
    const take = (metric: string, value: number, n = 1): void => {
      let xs = perMetric.get(metric);
      if (xs === undefined) perMetric.set(metric, (xs = []));
      for (let i = 0; i < n; i++) xs.push(value);
    };
    const found = await scanSamples(path.join(folder, K6_FILES.samples), WANTED, (x) => take(x.metric, x.value));
    if (found === null) {
      const seen = await scanWindows(
        path.join(folder, K6_FILES.windows),
        (w) => {
          for (const b of w.latency) take(K6_METRICS.latency, b.ms, b.count);
          for (const [metric, buckets] of Object.entries(w.also)) for (const b of buckets) take(metric, b.ms, b.count);
        },
        K6_METRICS.latency,
        undefined,
        [...WANTED],
      );
      if (seen === null) continue;
      out.fromWindows.add(s.name);
    }
    const byMetric = out.byScenario.get(s.name) ?? new Map<string, number[][]>();
    for (const [metric, xs] of perMetric) byMetric.set(metric, [...(byMetric.get(metric) ?? []), xs]);
    out.byScenario.set(s.name, byMetric);
  }
  return out;
}

/** The floor a run measured for a metric, ms (its p95 bias: what the client cannot resolve); 0 if none. */
export type FloorOf = (scenario: string, kind: 'ttft' | 'itl') => number;

export function noiseRows(
  base: RunSamples,
  current: RunSamples,
  o: Omit<NoiseOptions, 'stat' | 'floorMs'>,
  floorOf: FloorOf,
): NoiseRow[] {
  const rows: NoiseRow[] = [];
  for (const [scenario, bm] of base.byScenario) {
    const cm = current.byScenario.get(scenario);
    if (cm === undefined) continue;
    const fromWindows = base.fromWindows.has(scenario) || current.fromWindows.has(scenario);
    for (const c of COMPARED) {
      const b = bm.get(c.metric);
      const k = cm.get(c.metric);
      if (b === undefined || k === undefined) continue;
      const floorMs = c.floor === null ? 0 : floorOf(scenario, c.floor);
      for (const stat of c.stats) {
        const r = compareWithNoise(b, k, { ...o, stat, floorMs });
        if (r !== null) rows.push({ ...r, scenario, metric: `${c.metric} p${stat}`, fromWindows });
      }
    }
  }
  return rows;
}
