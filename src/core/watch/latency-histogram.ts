/**
 * Latencies in a fixed amount of memory: counts per logarithmic bucket (each 2 % wider than the
 * last, from 1 µs), so a histogram of a billion requests takes no more room than one of a thousand.
 * Percentiles are found the way k6 finds them (linear interpolation between the closest ranks),
 * reading each rank as its bucket's middle, clamped to the smallest and largest value seen: within
 * 1 % of the exact figure, and exact when every value is equal. Pure.
 */

/** Values at or below this many ms share the first bucket (k6 reports to the microsecond). */
const FLOOR_MS = 0.001;
/** Each bucket spans [FLOOR·G^i, FLOOR·G^(i+1)): a 2 % step reads as ±1 % around its middle. */
const GROWTH = 1.02;
const LOG_GROWTH = Math.log(GROWTH);

function bucketOf(ms: number): number {
  return ms <= FLOOR_MS ? 0 : Math.floor(Math.log(ms / FLOOR_MS) / LOG_GROWTH);
}

function middleOf(bucket: number): number {
  return FLOOR_MS * GROWTH ** (bucket + 0.5);
}

export class LatencyHistogram {
  /** bucket → requests in it; sparse, since one run's latencies span few buckets. */
  private readonly counts = new Map<number, number>();
  count = 0;
  sum = 0;
  min = Infinity;
  max = -Infinity;

  /** `n` requests of `ms` each (a bucket of k6's own histograms, src/core/windows/windows.ts). */
  add(ms: number, n = 1): void {
    if (!Number.isFinite(ms) || ms < 0 || !(n > 0)) return;
    const b = bucketOf(ms);
    this.counts.set(b, (this.counts.get(b) ?? 0) + n);
    this.count += n;
    this.sum += ms * n;
    if (ms < this.min) this.min = ms;
    if (ms > this.max) this.max = ms;
  }

  merge(other: LatencyHistogram): this {
    for (const [b, n] of other.counts) this.counts.set(b, (this.counts.get(b) ?? 0) + n);
    this.count += other.count;
    this.sum += other.sum;
    this.min = Math.min(this.min, other.min);
    this.max = Math.max(this.max, other.max);
    return this;
  }

  /** Buckets in use: what this histogram costs in memory. */
  get buckets(): number {
    return this.counts.size;
  }

  /** Each bucket in use as its middle (clamped to the values seen) and its count, smallest first. */
  entries(): Array<{ ms: number; count: number }> {
    return [...this.counts.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([b, count]) => ({ ms: Math.min(this.max, Math.max(this.min, middleOf(b))), count }));
  }

  /** p in [0, 100]; null when empty. */
  percentile(p: number): number | null {
    if (this.count === 0) return null;
    const sorted = [...this.counts.entries()].sort((a, b) => a[0] - b[0]);
    const rank = (p / 100) * (this.count - 1);
    const at = (k: number): number => {
      let seen = 0;
      for (const [b, n] of sorted) {
        seen += n;
        if (k < seen) return Math.min(this.max, Math.max(this.min, middleOf(b)));
      }
      return this.max;
    };
    const lo = at(Math.floor(rank));
    const hi = at(Math.ceil(rank));
    return lo + (hi - lo) * (rank - Math.floor(rank));
  }
}
