/**
 * At most `max` points from a long series, for a plot that stays small and readable whatever the
 * run's length: consecutive points are grouped evenly and each group becomes one point at its mean
 * x, with the group's largest y (`'max'`: a peak must stay visible, as for memory) or its mean
 * (`'mean'`: a rate, as for CPU). Pure.
 */
export interface XY {
  x: number;
  y: number;
}

export function downsample(points: readonly XY[], max: number, pick: 'max' | 'mean'): XY[] {
  if (!(Number.isInteger(max) && max >= 1))
    throw new RangeError(`downsample max: expected a whole number >= 1, found ${String(max)}`);
  if (points.length <= max) return [...points];
  const out: XY[] = [];
  for (let g = 0; g < max; g++) {
    const from = Math.floor((g * points.length) / max);
    const to = Math.floor(((g + 1) * points.length) / max);
    let sx = 0;
    let sy = 0;
    let top = -Infinity;
    for (let i = from; i < to; i++) {
      sx += points[i]!.x;
      sy += points[i]!.y;
      top = Math.max(top, points[i]!.y);
    }
    const n = to - from;
    out.push({ x: sx / n, y: pick === 'max' ? top : sy / n });
  }
  return out;
}
