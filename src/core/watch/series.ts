/**
 * Judgements over what was sampled while the server was under load: a least-squares line, the
 * memory-leak check (does RSS keep growing with the requests served?) and latency drift (is the end
 * of a run slower than its start?). Pure functions of numbers; the sampling itself (RSS, CPU,
 * /metrics scrapes) belongs to the Node zone.
 *
 * A verdict that cannot be made (too few samples, no request completed) fails with a reason, as a
 * threshold verdict with nothing measured does in the report: an unwatched server is not a pass.
 *
 * MB here is 2^20 bytes, the unit of ps, top and /proc (whose kB are KiB).
 */
import { f2 } from '../report/render.js';

export const BYTES_PER_MB = 1024 * 1024;

export interface Point {
  x: number;
  y: number;
}

export interface LinearFit {
  slope: number;
  intercept: number;
  /** Coefficient of determination, 0..1; 1 when every y is equal (the flat line fits exactly). */
  r2: number;
}

/**
 * Ordinary least squares y = slope·x + intercept. Null for fewer than 2 points or when every x is
 * equal (no line is determined). Points must be finite; callers drop failed samples first.
 */
export function linearFit(points: readonly Point[]): LinearFit | null {
  const n = points.length;
  if (n < 2) return null;
  let sx = 0;
  let sy = 0;
  for (const p of points) {
    sx += p.x;
    sy += p.y;
  }
  const mx = sx / n;
  const my = sy / n;
  // Centred sums: RSS in bytes (~1e8) squared would lose the slope's digits in the naive formula.
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const p of points) {
    const dx = p.x - mx;
    const dy = p.y - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  let ssRes = 0;
  for (const p of points) {
    const r = p.y - (slope * p.x + intercept);
    ssRes += r * r;
  }
  const r2 = syy === 0 ? 1 : Math.max(0, 1 - ssRes / syy);
  return { slope, intercept, r2 };
}

/** Resident set size of the server process at one instant. */
export interface RssSample {
  tMs: number;
  rssBytes: number;
}

/** Requests the load had completed by one instant (cumulative: from k6, or a /metrics counter). */
export interface CompletedSample {
  tMs: number;
  completed: number;
}

export interface LeakOptions {
  /**
   * 0 ≤ f < 1: the first f of the requests completed during the load are warm-up and not fitted,
   * because allocators, caches and thread pools grow once at the start without leaking.
   */
  warmupFraction: number;
  /** Fails above this growth of RSS, in MB per 1000 completed requests. */
  maxGrowthMbPer1000Requests: number;
  /** Fewest RSS samples after warm-up for a fit worth a verdict (default 3; two points always fit). */
  minSamples?: number;
}

export interface LeakVerdict {
  /** Fitted RSS growth in MB per 1000 completed requests; null when no fit could be made. */
  slopeMbPer1000Requests: number | null;
  pass: boolean;
  /** RSS samples the fit used (after warm-up, inside the load). */
  samples: number;
  /** r² of the fit: near 1 for a steady leak, near 0 for noise around a flat line; null without a fit. */
  r2: number | null;
  /** One sentence for the report: what was measured against what bound, or why nothing was. */
  reason: string;
}

/**
 * Completed requests at time t, linearly interpolated between the two samples around it; null
 * outside the sampled span, where nothing says how many requests were done.
 */
function completedAt(requests: readonly CompletedSample[], t: number): number | null {
  const first = requests[0];
  const last = requests[requests.length - 1];
  if (first === undefined || last === undefined || t < first.tMs || t > last.tMs) return null;
  // Few samples (one per second of load), so a linear scan beats the bookkeeping of a search.
  for (let i = 1; i < requests.length; i++) {
    const a = requests[i - 1]!;
    const b = requests[i]!;
    if (t > b.tMs) continue;
    if (b.tMs === a.tMs) return b.completed;
    return a.completed + ((b.completed - a.completed) * (t - a.tMs)) / (b.tMs - a.tMs);
  }
  return first.completed; // a single sample, and t equals its time
}

function checkLeakOptions(opts: LeakOptions): number {
  const { warmupFraction: w, maxGrowthMbPer1000Requests: max, minSamples = 3 } = opts;
  if (!(Number.isFinite(w) && w >= 0 && w < 1))
    throw new RangeError(`leakVerdict warmupFraction: expected a number in [0, 1), found ${String(w)}`);
  if (!(Number.isFinite(max) && max >= 0))
    throw new RangeError(`leakVerdict maxGrowthMbPer1000Requests: expected a finite number >= 0, found ${String(max)}`);
  if (!(Number.isInteger(minSamples) && minSamples >= 2))
    throw new RangeError(`leakVerdict minSamples: expected an integer >= 2, found ${String(minSamples)}`);
  return minSamples;
}

/**
 * The memory-leak check: RSS fitted against completed requests (not time, so an idle pause or a
 * spike does not read as growth or its absence), over the load after warm-up.
 *
 * The load is the time span of `requests`; RSS samples outside it are ignored. Each RSS sample gets
 * the completed count interpolated at its time, so the two series may be sampled independently.
 * Warm-up is the first `warmupFraction` of the requests completed during the load. Passes when the
 * fitted growth is at most `maxGrowthMbPer1000Requests`; a shrinking RSS passes.
 */
export function leakVerdict(
  rss: readonly RssSample[],
  requests: readonly CompletedSample[],
  opts: LeakOptions,
): LeakVerdict {
  const minSamples = checkLeakOptions(opts);
  const bound = opts.maxGrowthMbPer1000Requests;
  const fail = (samples: number, reason: string): LeakVerdict => ({
    slopeMbPer1000Requests: null,
    pass: false,
    samples,
    r2: null,
    reason,
  });

  const byTime = requests
    .filter((r) => Number.isFinite(r.tMs) && Number.isFinite(r.completed))
    .sort((a, b) => a.tMs - b.tMs);
  const first = byTime[0];
  const last = byTime[byTime.length - 1];
  if (first === undefined || last === undefined)
    return fail(0, 'no completed-request samples: the load was not observed');
  const served = last.completed - first.completed;
  if (served <= 0) return fail(0, 'no request completed during the load, so RSS cannot be related to requests');

  const warmupEnd = first.completed + opts.warmupFraction * served;
  const points: Point[] = [];
  for (const s of rss) {
    if (!Number.isFinite(s.rssBytes)) continue;
    const done = completedAt(byTime, s.tMs);
    if (done === null || done < warmupEnd) continue;
    points.push({ x: done, y: s.rssBytes / BYTES_PER_MB });
  }
  const window = `from ${Math.ceil(warmupEnd)} to ${last.completed} completed requests`;
  if (points.length < minSamples)
    return fail(points.length, `${points.length} RSS samples ${window}, fewer than the ${minSamples} a fit needs`);
  const fit = linearFit(points);
  if (fit === null)
    return fail(
      points.length,
      `every RSS sample ${window} was taken at the same request count, so no growth per request can be fitted`,
    );

  const perThousand = fit.slope * 1000;
  const pass = perThousand <= bound;
  return {
    slopeMbPer1000Requests: perThousand,
    pass,
    samples: points.length,
    r2: fit.r2,
    reason:
      `RSS grew ${f2(perThousand)} MB per 1000 requests (${pass ? 'within' : 'above'} the bound of ${f2(bound)}), ` +
      `fitted over ${points.length} samples ${window}, r² ${f2(fit.r2)}`,
  };
}

export interface DriftVerdict {
  /** lastThird / firstThird; null when the first third gives no base to divide by. */
  ratio: number | null;
  pass: boolean;
  reason: string;
}

/**
 * Latency consistency over a run: the p95 of its last third against the p95 of its first third.
 * Passes when last / first ≤ maxRatio. Only slowing down counts: a run whose end is faster than its
 * start (a cold start) is consistent for this purpose.
 */
export function drift(firstThird: number, lastThird: number, maxRatio: number): DriftVerdict {
  if (!(Number.isFinite(maxRatio) && maxRatio > 0))
    throw new RangeError(`drift maxRatio: expected a finite number > 0, found ${String(maxRatio)}`);
  if (!Number.isFinite(firstThird) || !Number.isFinite(lastThird) || firstThird < 0 || lastThird < 0) {
    return {
      ratio: null,
      pass: false,
      reason:
        'p95 of the first and last thirds must be finite and >= 0, ' +
        `found ${String(firstThird)} and ${String(lastThird)}`,
    };
  }
  if (firstThird === 0) {
    return { ratio: null, pass: false, reason: 'p95 of the first third is 0 ms, so no ratio can be formed' };
  }
  const ratio = lastThird / firstThird;
  const pass = ratio <= maxRatio;
  return {
    ratio,
    pass,
    reason:
      `p95 went from ${f2(firstThird)} ms in the first third to ${f2(lastThird)} ms in the last: ` +
      `${f2(ratio)}× (${pass ? 'within' : 'above'} the bound of ${f2(maxRatio)}×)`,
  };
}
