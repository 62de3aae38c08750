/**
 * A series over time in bounded memory: values are added one at a time, and whenever more than
 * `maxPoints` points are held, neighbours are merged in pairs, so each point then stands for twice
 * as many values. A scrape a second for a week keeps the same few hundred points as one for a
 * minute. Each point keeps the mean time and value of what it stands for, and their least and
 * greatest value: a short peak stays visible after merging. Pure.
 */

export interface SeriesPoint {
  tSec: number;
  /** Mean of the values the point stands for. */
  value: number;
  min: number;
  max: number;
}

interface Bucket {
  sumT: number;
  sumV: number;
  n: number;
  min: number;
  max: number;
}

export class BoundedSeries {
  private buckets: Bucket[] = [];
  /** Values a bucket takes before the next one starts: doubles at every merge. */
  private per = 1;
  count = 0;
  min = Infinity;
  max = -Infinity;
  private sum = 0;

  constructor(readonly maxPoints: number) {
    if (!(Number.isInteger(maxPoints) && maxPoints >= 2))
      throw new RangeError(`BoundedSeries maxPoints: expected a whole number >= 2, found ${String(maxPoints)}`);
  }

  add(tSec: number, value: number): void {
    if (!Number.isFinite(tSec) || !Number.isFinite(value)) return;
    this.count++;
    this.sum += value;
    this.min = Math.min(this.min, value);
    this.max = Math.max(this.max, value);
    const last = this.buckets[this.buckets.length - 1];
    if (last !== undefined && last.n < this.per) {
      last.sumT += tSec;
      last.sumV += value;
      last.n++;
      last.min = Math.min(last.min, value);
      last.max = Math.max(last.max, value);
      return;
    }
    this.buckets.push({ sumT: tSec, sumV: value, n: 1, min: value, max: value });
    if (this.buckets.length > this.maxPoints) this.halve();
  }

  private halve(): void {
    const merged: Bucket[] = [];
    for (let i = 0; i < this.buckets.length; i += 2) {
      const a = this.buckets[i]!;
      const b = this.buckets[i + 1];
      merged.push(
        b === undefined
          ? a
          : {
              sumT: a.sumT + b.sumT,
              sumV: a.sumV + b.sumV,
              n: a.n + b.n,
              min: Math.min(a.min, b.min),
              max: Math.max(a.max, b.max),
            },
      );
    }
    this.buckets = merged;
    this.per *= 2;
  }

  get mean(): number | null {
    return this.count === 0 ? null : this.sum / this.count;
  }

  points(): SeriesPoint[] {
    return this.buckets.map((b) => ({ tSec: b.sumT / b.n, value: b.sumV / b.n, min: b.min, max: b.max }));
  }
}
