/**
 * Compare that knows its noise: for one latency metric of one scenario, the difference of a
 * percentile between the baseline's per-request samples and the current ones, with a seeded
 * bootstrap confidence interval, read as one of four answers against a margin below which a change
 * does not matter (a share of the baseline, and never less than the measurement floor — what the
 * client cannot resolve on that machine):
 *
 * - regressed:   the whole interval lies above +margin (slower, beyond doubt and beyond the margin);
 * - improved:    the whole interval lies below −margin;
 * - no change:   the whole interval lies inside ±margin;
 * - inconclusive: the interval crosses ±margin — the noise is larger than the change it would take.
 *
 * The resampling unit is the request (every sample of the metric) when either side has one run, and
 * the run when both sides have several (--runs N): runs are drawn with replacement and their samples
 * pooled, so the spread between runs — on a shared machine larger than within one — is in the
 * interval. Inter-token samples of one stream are not independent; resampling them one by one makes
 * the interval somewhat too narrow, which the margin absorbs. Pure; the same seed gives the same
 * interval.
 */
import { seededRandom } from '../workload/prompts.js';

export type NoiseVerdict = 'regressed' | 'improved' | 'no change' | 'inconclusive';

export interface NoiseOptions {
  /** Percentile compared (50, 95...). */
  stat: number;
  /** A change smaller than this share of the baseline's percentile does not matter. */
  minChangePct: number;
  /** The measurement floor for this metric in ms (0: none known); the margin is never below it. */
  floorMs: number;
  /** Bootstrap resamples. */
  iterations: number;
  /** Two-sided confidence level, e.g. 0.95. */
  confidence: number;
  seed: number;
}

export const DEFAULT_NOISE_OPTIONS: Readonly<Omit<NoiseOptions, 'stat' | 'floorMs'>> = Object.freeze({
  minChangePct: 5,
  iterations: 1000,
  confidence: 0.95,
  seed: 1,
});

export interface NoiseResult {
  verdict: NoiseVerdict;
  /** Current − baseline percentile, ms. */
  diffMs: number;
  ci: { lo: number; hi: number };
  marginMs: number;
  baselineMs: number;
  currentMs: number;
  unit: 'requests' | 'runs';
  samples: { baseline: number; current: number };
}

/** The k-th smallest of a[0..n) (Hoare's quickselect, in place): O(n), where a sort would be O(n log n). */
function select(a: Float64Array, n: number, k: number): number {
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[k]!;
}

/** k6's percentile (linear interpolation between closest ranks, src/core/stats.ts) of a[0..n), by selection. */
export function percentileOf(a: Float64Array, n: number, p: number): number {
  const rank = (p / 100) * (n - 1);
  const k = Math.floor(rank);
  const lo = select(a, n, k);
  if (rank === k) return lo;
  // After selecting k, everything right of k is >= a[k]: the next rank is their minimum.
  let hi = Infinity;
  for (let i = k + 1; i < n; i++) if (a[i]! < hi) hi = a[i]!;
  return lo + (hi - lo) * (rank - k);
}

/** One resample's percentile: draw from the runs (unit 'runs') or from the pooled samples. */
function drawer(
  runs: readonly (readonly number[])[],
  byRun: boolean,
  random: () => number,
): { draw: (p: number) => number; size: number } {
  const pooled = runs.flat();
  const size = pooled.length;
  // By run, a resample may draw the longest run every time.
  const longest = Math.max(...runs.map((r) => r.length));
  const buf = new Float64Array(byRun ? longest * runs.length : size);
  return {
    size,
    draw: (p) => {
      let n = 0;
      if (byRun) {
        for (let r = 0; r < runs.length; r++) {
          const run = runs[Math.floor(random() * runs.length)]!;
          for (const v of run) buf[n++] = v;
        }
      } else {
        for (let i = 0; i < size; i++) buf[n++] = pooled[Math.floor(random() * size)]!;
      }
      return n === 0 ? NaN : percentileOf(buf, n, p);
    },
  };
}

/**
 * Baseline and current, each as one array of samples per run. Null when a side has no sample: there
 * is nothing to compare.
 */
export function compareWithNoise(
  baseline: readonly (readonly number[])[],
  current: readonly (readonly number[])[],
  o: NoiseOptions,
): NoiseResult | null {
  const b = baseline.filter((r) => r.length > 0);
  const c = current.filter((r) => r.length > 0);
  if (b.length === 0 || c.length === 0) return null;
  const byRun = b.length > 1 && c.length > 1;
  const random = seededRandom(o.seed);
  const all = (runs: readonly (readonly number[])[]): Float64Array => Float64Array.from(runs.flat());
  const bAll = all(b);
  const cAll = all(c);
  const baselineMs = percentileOf(bAll, bAll.length, o.stat);
  const currentMs = percentileOf(cAll, cAll.length, o.stat);
  const bd = drawer(b, byRun, random);
  const cd = drawer(c, byRun, random);
  const diffs = new Float64Array(o.iterations);
  for (let i = 0; i < o.iterations; i++) diffs[i] = cd.draw(o.stat) - bd.draw(o.stat);
  diffs.sort();
  const tail = ((1 - o.confidence) / 2) * 100;
  const ci = { lo: percentileOf(diffs, diffs.length, tail), hi: percentileOf(diffs, diffs.length, 100 - tail) };
  const marginMs = Math.max((o.minChangePct / 100) * Math.abs(baselineMs), o.floorMs);
  const verdict: NoiseVerdict =
    ci.lo > marginMs
      ? 'regressed'
      : ci.hi < -marginMs
        ? 'improved'
        : ci.lo >= -marginMs && ci.hi <= marginMs
          ? 'no change'
          : 'inconclusive';
  return {
    verdict,
    diffMs: currentMs - baselineMs,
    ci,
    marginMs,
    baselineMs,
    currentMs,
    unit: byRun ? 'runs' : 'requests',
    samples: { baseline: bd.size, current: cd.size },
  };
}

export interface NoiseRow extends NoiseResult {
  scenario: string;
  /** The k6 metric and its percentile: `stream_ttft p95`. */
  metric: string;
  /** A side ran without --samples: its requests are k6's histogram buckets, each read at its middle. */
  fromWindows?: boolean;
}

const f1 = (n: number): string => n.toFixed(1);
const signed = (n: number): string => `${n >= 0 ? '+' : ''}${f1(n)}`;

export function renderNoiseMarkdown(rows: readonly NoiseRow[], o: Omit<NoiseOptions, 'stat' | 'floorMs'>): string {
  if (rows.length === 0)
    return 'No per-request samples on both sides (samples.csv.gz, or windows.jsonl): no bootstrap comparison.\n';
  const pct = Math.round(o.confidence * 100);
  const windowed = rows.some((r) => r.fromWindows === true);
  const lines = [
    `Per-request samples, ${pct}% bootstrap interval of the difference (${o.iterations} resamples, seed ${o.seed}); ` +
      `a change inside ±margin (${o.minChangePct}% of the baseline, at least the measurement floor) does not count.` +
      (windowed
        ? " Rows marked (windows): a side ran without --samples, and each of its requests is k6's histogram bucket, " +
          'read at its middle: within about 5 %.'
        : ''),
    '',
    `| scenario | metric | baseline | current | difference | ${pct}% interval | margin | over | answer |`,
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | --- |',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.scenario.replace(/\|/g, '\\|')} | ${r.metric} | ${f1(r.baselineMs)} ms | ${f1(r.currentMs)} ms | ` +
        `${signed(r.diffMs)} ms | ${signed(r.ci.lo)}..${signed(r.ci.hi)} ms | ±${f1(r.marginMs)} ms | ` +
        `${r.samples.baseline}/${r.samples.current} samples${r.unit === 'runs' ? ', by run' : ''}` +
        `${r.fromWindows === true ? ' (windows)' : ''} | ` +
        `${r.verdict} |`,
    );
  }
  return lines.join('\n') + '\n';
}
