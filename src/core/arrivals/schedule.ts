/**
 * When the requests of an open phase are due. k6's constant-arrival-rate sends request i at exactly
 * i/R: a load no real traffic has, since users do not coordinate. Real arrivals bunch up and thin
 * out, and a server's queue grows in the bunches; so a phase may instead draw its gaps:
 * - constant: i * 1000/R ms, k6's own schedule (gaps all equal);
 * - poisson: independent users, exponential gaps of mean 1000/R (coefficient of variation 1);
 * - gamma:CV: burstier (CV > 1) or smoother (CV < 1) than Poisson at the same mean rate, gamma gaps
 *   of shape 1/CV² (the usual model of bursty LLM traffic, as in vLLM's benchmark).
 * Each schedule starts with a request at 0 and is drawn from a seed: the same seed gives the same
 * schedule, on Node and inside k6 alike (pure, no runtime API).
 */
import { describeValue } from '../errors/describe.js';
import { ValidationError } from '../errors/ValidationError.js';
import { seededRandom } from '../workload/prompts.js';
import { exponential, gammaByMeanCv } from './distributions.js';

export type ArrivalSpec = { process: 'constant' } | { process: 'poisson' } | { process: 'gamma'; cv: number };

export const ARRIVALS_EXPECTED = "'constant', 'poisson' or 'gamma:CV' with CV a number greater than 0 (e.g. gamma:2)";

/** A plain decimal, optionally with an exponent: not '0x10', '', 'Infinity' or ' 2'. */
const DECIMAL = /^(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** --arrivals constant | poisson | gamma:CV (the signature of a flag parser, src/node/flags/values.ts). */
export function parseArrivals(flag: string, text: string): ArrivalSpec {
  const refuse = (expected: string): never => {
    throw new ValidationError(flag, [{ path: '', expected, found: describeValue(text) }]);
  };
  if (text === 'constant' || text === 'poisson') return { process: text };
  const m = /^gamma:(.*)$/.exec(text);
  if (m === null) return refuse(ARRIVALS_EXPECTED);
  const cv = Number(m[1]);
  if (!DECIMAL.test(m[1]!) || !Number.isFinite(cv) || cv <= 0) {
    return refuse(`a coefficient of variation after 'gamma:', a finite number greater than 0 (e.g. gamma:2)`);
  }
  return { process: 'gamma', cv };
}

/** As the user would write it: 'constant', 'poisson', 'gamma:2'. */
export function arrivalSpecText(spec: ArrivalSpec): string {
  return spec.process === 'gamma' ? `gamma:${spec.cv}` : spec.process;
}

export interface ScheduleOptions {
  spec: ArrivalSpec;
  /** Requests in the phase. */
  count: number;
  /** Mean arrivals per second. */
  ratePerSec: number;
  seed: number;
}

/** When each request is due, in ms from the phase's start: non-decreasing, the first at 0. */
export function arrivalSchedule(o: ScheduleOptions): number[] {
  if (!Number.isInteger(o.count) || o.count < 0) throw new RangeError(`count must be a whole number, got ${o.count}`);
  if (!(o.ratePerSec > 0) || !Number.isFinite(o.ratePerSec))
    throw new RangeError(`rate must be a positive finite number, got ${o.ratePerSec}`);
  const meanMs = 1000 / o.ratePerSec;
  const spec = o.spec;
  // Multiplied, not summed, so that the last of many equal gaps carries no rounding drift.
  if (spec.process === 'constant') return Array.from({ length: o.count }, (_, i) => i * meanMs);
  const random = seededRandom(o.seed);
  const gap =
    spec.process === 'poisson' ? () => exponential(random, meanMs) : () => gammaByMeanCv(random, meanMs, spec.cv);
  const offsets = new Array<number>(o.count);
  let t = 0;
  for (let i = 0; i < o.count; i++) {
    if (i > 0) t += gap();
    offsets[i] = t;
  }
  return offsets;
}

export interface ScheduleStats {
  arrivals: number;
  /** Mean gap between consecutive arrivals, ms (null: fewer than 2 arrivals). */
  meanGapMs: number | null;
  /** Standard deviation of the gaps over their mean: 0 for constant, 1 for Poisson. */
  gapCv: number | null;
  windowMs: number;
  /** Whole windows of windowMs from 0 that the counts were taken over. */
  windows: number;
  /**
   * Index of dispersion of the counts in those windows, variance over mean: 0 for constant
   * arrivals (a whole number of gaps per window), 1 for Poisson, about CV² for gamma gaps once a
   * window holds many arrivals (null: fewer than 2 windows).
   */
  dispersion: number | null;
}

/** How bursty a schedule is: the figures a test or a benchmark compares with the process asked for. */
export function scheduleStats(offsets: readonly number[], windowMs: number): ScheduleStats {
  if (!(windowMs > 0)) throw new RangeError(`window must be greater than 0 ms, got ${windowMs}`);
  const gaps: number[] = [];
  for (let i = 1; i < offsets.length; i++) gaps.push(offsets[i]! - offsets[i - 1]!);
  const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = (xs: readonly number[], m: number, less: number): number =>
    xs.reduce((a, x) => a + (x - m) * (x - m), 0) / (xs.length - less);
  const meanGapMs = gaps.length === 0 ? null : mean(gaps);
  const gapCv = meanGapMs === null || meanGapMs === 0 ? null : Math.sqrt(variance(gaps, meanGapMs, 0)) / meanGapMs;

  const first = offsets.length === 0 ? 0 : offsets[0]!;
  const last = offsets.length === 0 ? 0 : offsets[offsets.length - 1]!;
  // Only whole windows: a part-window at the end would look like a lull.
  const windows = Math.floor((last - first) / windowMs);
  let dispersion: number | null = null;
  if (windows >= 2) {
    const counts = new Array<number>(windows).fill(0);
    for (const t of offsets) {
      const w = Math.floor((t - first) / windowMs);
      if (w < windows) counts[w]!++;
    }
    const m = mean(counts);
    dispersion = m === 0 ? null : variance(counts, m, 1) / m;
  }
  return { arrivals: offsets.length, meanGapMs, gapCv, windowMs, windows, dispersion };
}
