/**
 * Statistics over samples, computed the way k6 computes them, so a figure the toolkit computes itself
 * (from k6's per-request samples, from a timeline) means what k6's own would. Pure.
 */

/**
 * k6's percentile (its TrendSink.P): linear interpolation between the closest ranks of the sorted
 * values — at rank i = p/100 · (n - 1), the value at floor(i) plus the fraction of i times the step to
 * the value at ceil(i).
 *
 * @param sorted the values in ascending order (Float64Array's sort, or sort((a, b) => a - b))
 * @param p the percentile as k6 names its stats, from 0 to 100 (95 for `p(95)`, 50 for the median)
 * @returns null when there are no values (k6 writes 0 there: a caller that must match k6 says so)
 */
export function percentile(sorted: ArrayLike<number>, p: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const rank = (p / 100) * (n - 1);
  const lo = sorted[Math.floor(rank)]!;
  const hi = sorted[Math.ceil(rank)]!;
  return lo + (hi - lo) * (rank - Math.floor(rank));
}
