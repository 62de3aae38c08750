/**
 * The server's process during one scenario, from samples the runner took (/proc) and the request
 * timeline k6 recorded (in bounded windows, src/core/watch/latency-windows.ts): memory against the
 * seed's "< 512 MB overhead" target, CPU against "< 80 % average", the leak check (RSS growth per
 * request after warm-up) and latency drift (p95 of the last third against the first). Pure: numbers
 * in, a report section out.
 */
import type { LatencyWindows } from './latency-windows.js';
import type { ResourcesReport } from '../types.js';
import { BYTES_PER_MB, drift, leakVerdict } from './series.js';

export interface ProcessSample {
  tMs: number;
  rssBytes: number;
  cpuSec: number;
  /** 0 when the process was gone at that instant. */
  processes: number;
}

export interface ResourceInput {
  target: string;
  intervalMs: number;
  cores: number;
  /** Every sample of the run, in time order; the scenario's window selects its own. */
  samples: readonly ProcessSample[];
  /** When k6 started and ended this scenario. */
  window: { startMs: number; endMs: number };
  /** The requests over time in bounded windows (k6's samples, src/node/watch/timeline.ts), or null. */
  timeline: LatencyWindows | null;
  /** The first fraction of the requests not fitted by the leak check. */
  warmupFraction: number;
}

const mb = (bytes: number): number => bytes / BYTES_PER_MB;

export function summarizeResources(input: ResourceInput): ResourcesReport {
  const { startMs, endMs } = input.window;
  const alive = input.samples.filter((s) => s.processes > 0);
  const before = alive.filter((s) => s.tMs <= startMs);
  const during = alive.filter((s) => s.tMs >= startMs && s.tMs <= endMs);
  const baseline = before[before.length - 1] ?? during[0];
  const last = during[during.length - 1];

  const peak = during.length === 0 ? null : Math.max(...during.map((s) => s.rssBytes));
  // CPU over the load: from the last sample before it to the last one in it.
  const from = baseline;
  const cpuAvg =
    from !== undefined && last !== undefined && last.tMs > from.tMs
      ? ((last.cpuSec - from.cpuSec) / ((last.tMs - from.tMs) / 1000)) * 100
      : null;
  let cpuPeak: number | null = null;
  const series: ResourcesReport['series'] = [];
  const span = [...(baseline !== undefined && !during.includes(baseline) ? [baseline] : []), ...during];
  span.forEach((s, i) => {
    const prev = span[i - 1];
    const pct =
      prev !== undefined && s.tMs > prev.tMs ? ((s.cpuSec - prev.cpuSec) / ((s.tMs - prev.tMs) / 1000)) * 100 : null;
    if (pct !== null && (cpuPeak === null || pct > cpuPeak)) cpuPeak = pct;
    series.push({ tSec: (s.tMs - startMs) / 1000, rssMb: mb(s.rssBytes), cpuPctOfOneCore: pct });
  });

  let leak: ResourcesReport['leak'] = null;
  let driftReport: ResourcesReport['drift'] = null;
  const timeline = input.timeline;
  if (timeline !== null && timeline.total > 0) {
    const completed = timeline.completed();
    // The bound is applied by the rule's verdict; here only the slope is wanted.
    const v = leakVerdict(span, completed, {
      warmupFraction: input.warmupFraction,
      maxGrowthMbPer1000Requests: Number.MAX_VALUE,
    });
    // leakVerdict's reason names the bound, which is not known here (the rule applies it).
    const reason =
      v.slopeMbPer1000Requests === null ? v.reason : v.reason.replace(/ \((within|above) the bound of [^)]*\)/, '');
    leak = { slopeMbPer1000Requests: v.slopeMbPer1000Requests, samples: v.samples, r2: v.r2, reason };
    const thirds = timeline.thirds();
    if (thirds !== null) {
      const first = thirds.first.percentile(95)!;
      const lastP95 = thirds.last.percentile(95)!;
      driftReport = {
        firstP95Ms: first,
        lastP95Ms: lastP95,
        growthMs: lastP95 - first,
        ratio: drift(first, lastP95, Number.MAX_VALUE).ratio,
        requests: timeline.total,
      };
    }
  }

  return {
    target: input.target,
    intervalMs: input.intervalMs,
    samples: during.length,
    cores: input.cores,
    baselineRssMb: baseline === undefined ? null : mb(baseline.rssBytes),
    peakRssMb: peak === null ? null : mb(peak),
    finalRssMb: last === undefined ? null : mb(last.rssBytes),
    overheadMb: peak === null || baseline === undefined ? null : mb(Math.max(0, peak - baseline.rssBytes)),
    cpuAvgPctOfOneCore: cpuAvg,
    cpuPeakPctOfOneCore: cpuPeak,
    cpuAvgPctOfAllCores: cpuAvg === null ? null : cpuAvg / input.cores,
    leak,
    drift: driftReport,
    series,
  };
}
