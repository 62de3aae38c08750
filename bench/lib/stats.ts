/** Medians with their spread, for figures measured several times (interleaved rounds). */
export interface Stat {
  median: number;
  min: number;
  max: number;
  runs: number[];
}

export function stat(runs: readonly number[]): Stat {
  const sorted = [...runs].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const median = sorted.length % 2 === 1 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]!, runs: [...runs] };
}

export const fixed = (n: number, digits = 0): string => n.toFixed(digits);

/** `median (min–max)`, the benchmark's way of showing a figure. */
export const spread = (s: Stat, digits = 0): string =>
  s.runs.length === 1
    ? fixed(s.median, digits)
    : `${fixed(s.median, digits)} (${fixed(s.min, digits)}–${fixed(s.max, digits)})`;

/**
 * The list as round `round` (from 1) runs it: each round starts one further along, so neither a slow
 * minute of the machine nor going first falls on one of them.
 */
export const rotated = <T>(list: readonly T[], round: number): T[] =>
  list.map((_, i) => list[(i + round - 1) % list.length]!);

/** Collects runs per key, in the order keys first appear. */
export class Runs {
  private readonly byKey = new Map<string, number[]>();
  /** Fixes a key's place in stats() before any run of it. */
  declare(key: string): void {
    if (!this.byKey.has(key)) this.byKey.set(key, []);
  }
  add(key: string, value: number): void {
    const list = this.byKey.get(key) ?? [];
    list.push(value);
    this.byKey.set(key, list);
  }
  stats(): Record<string, Stat> {
    return Object.fromEntries([...this.byKey].map(([k, v]) => [k, stat(v)]));
  }
}
