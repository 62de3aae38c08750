/**
 * The per-request samples behind a compared report: each scenario's (and each repetition's)
 * samples.csv.gz in the run folder beside report.json, read for the latency metrics compare bootstraps
 * (src/core/commands/compare-noise.ts). A report copied away from its run folder (a saved baseline)
 * has none, and compare then falls back to its medians alone.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { compareWithNoise, type NoiseOptions, type NoiseRow } from '../../core/commands/compare-noise.js';
import { K6_FILES } from '../../core/contract.js';
import { K6_METRICS } from '../../core/rules/metric-table.js';
import type { Report } from '../../core/types.js';
import { scanSamples } from '../watch/samples.js';

/** The latency metrics compared, and the percentiles of each. */
const COMPARED = [
  { metric: K6_METRICS.ttft, stats: [50, 95], floor: 'ttft' },
  { metric: K6_METRICS.itl, stats: [50, 95], floor: 'itl' },
  { metric: K6_METRICS.e2e, stats: [50, 95], floor: 'ttft' },
  { metric: K6_METRICS.latency, stats: [50, 95], floor: null },
] as const;
const WANTED: ReadonlySet<string> = new Set(COMPARED.map((c) => c.metric));

/** Scenario → metric → one array of samples per run. */
export type RunSamples = Map<string, Map<string, number[][]>>;

export function runFolderOf(file: string): string {
  return existsSync(file) && statSync(file).isDirectory() ? file : path.dirname(file);
}

export async function readRunSamples(file: string, report: Report): Promise<RunSamples> {
  const dir = runFolderOf(file);
  const out: RunSamples = new Map();
  for (const s of report.scenarios) {
    if (s.status !== 'completed') continue;
    const folder = s.repeat === undefined || s.repeat === null ? s.name : `${s.name}-${s.repeat}`;
    const perMetric = new Map<string, number[]>();
    const found = await scanSamples(path.join(dir, 'k6', folder, K6_FILES.samples), WANTED, (x) => {
      let xs = perMetric.get(x.metric);
      if (xs === undefined) perMetric.set(x.metric, (xs = []));
      xs.push(x.value);
    });
    if (found === null) continue;
    const byMetric = out.get(s.name) ?? new Map<string, number[][]>();
    for (const [metric, xs] of perMetric) byMetric.set(metric, [...(byMetric.get(metric) ?? []), xs]);
    out.set(s.name, byMetric);
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
  for (const [scenario, bm] of base) {
    const cm = current.get(scenario);
    if (cm === undefined) continue;
    for (const c of COMPARED) {
      const b = bm.get(c.metric);
      const k = cm.get(c.metric);
      if (b === undefined || k === undefined) continue;
      const floorMs = c.floor === null ? 0 : floorOf(scenario, c.floor);
      for (const stat of c.stats) {
        const r = compareWithNoise(b, k, { ...o, stat, floorMs });
        if (r !== null) rows.push({ ...r, scenario, metric: `${c.metric} p${stat}` });
      }
    }
  }
  return rows;
}
