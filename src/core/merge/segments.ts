/**
 * k6's execution segments, as k6 itself computes them (go.k6.io/k6 lib/execution_segment.go), so that
 * the Node side knows each runner's exact share of a split run without running k6: how many clients
 * and requests of a phase a runner of segment `from:to` in a sequence gets.
 *
 * k6 does not cut a count into proportional slices: it stripes. Every segment of the sequence takes
 * indices 0, 1, 2, ... in a repeating pattern of period `lcd` (the least common denominator of the
 * segments' lengths), so a segment's share of a count n is how many of the indices below n are its
 * own, and the shares always add up to n. An executor re-stripes by its VUs first (shared-iterations,
 * per-VU, arrival-rate executors alike), so a runner with no VU gets no iteration and the others take
 * them. Pure.
 */
import { turnsAt } from '../workload/sequence.js';

/** A non-negative rational number, in lowest terms. */
export interface Fraction {
  num: number;
  den: number;
}

function gcd(a: number, b: number): number {
  let [x, y] = [Math.abs(a), Math.abs(b)];
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

function frac(num: number, den: number): Fraction {
  const g = gcd(num, den) || 1;
  return { num: num / g, den: den / g };
}

const sub = (a: Fraction, b: Fraction): Fraction => frac(a.num * b.den - b.num * a.den, a.den * b.den);
const cmp = (a: Fraction, b: Fraction): number => a.num * b.den - b.num * a.den;

/** How k6 writes a rational (big.Rat's RatString): "1/4", "0", "1". */
export const fractionText = (f: Fraction): string => (f.den === 1 ? String(f.num) : `${f.num}/${f.den}`);

/** A point of a segment or a sequence as k6 reads it: "1/4", "0.25" or "25%". Null when it is none of those. */
export function parseFraction(text: string): Fraction | null {
  const t = text.trim();
  let m = /^(\d+)%$/.exec(t);
  if (m !== null) return frac(Number(m[1]), 100);
  m = /^(\d+)\/(\d+)$/.exec(t);
  if (m !== null) return Number(m[2]) === 0 ? null : frac(Number(m[1]), Number(m[2]));
  m = /^(\d+)(?:\.(\d+))?$/.exec(t);
  if (m !== null) {
    const decimals = m[2] ?? '';
    return frac(Number(`${m[1]}${decimals}`), 10 ** decimals.length);
  }
  return null;
}

export interface Segment {
  from: Fraction;
  to: Fraction;
}

export const segmentText = (s: Segment): string => `${fractionText(s.from)}:${fractionText(s.to)}`;

const ZERO = frac(0, 1);
const ONE = frac(1, 1);

/** `--execution-segment`: "from:to", or "to" alone (from 0), with 0 <= from < to <= 1. */
export function parseSegment(text: string): Segment | null {
  const parts = text.split(':');
  if (parts.length > 2) return null;
  const from = parts.length === 2 ? parseFraction(parts[0]!) : ZERO;
  const to = parseFraction(parts[parts.length - 1]!);
  if (from === null || to === null || cmp(from, to) >= 0 || cmp(to, ONE) > 0) return null;
  return { from, to };
}

/** `--execution-segment-sequence`: "0,1/4,1/2,3/4,1", points rising; its segments in order. */
export function parseSequence(text: string): Segment[] | null {
  const points = text.split(',').map(parseFraction);
  if (points.length < 2 || points.some((p) => p === null)) return null;
  const ps = points as Fraction[];
  const segments: Segment[] = [];
  for (let i = 1; i < ps.length; i++) {
    if (cmp(ps[i - 1]!, ps[i]!) >= 0 || cmp(ps[i]!, ONE) > 0) return null;
    segments.push({ from: ps[i - 1]!, to: ps[i]! });
  }
  return segments;
}

export const sequenceText = (segments: readonly Segment[]): string =>
  [segments[0]!.from, ...segments.map((s) => s.to)].map(fractionText).join(',');

const sameSegment = (a: Segment, b: Segment): boolean => cmp(a.from, b.from) === 0 && cmp(a.to, b.to) === 0;

/** k6's GetFilledExecutionSegmentSequence: no sequence means the segment and what is around it, up to 0 and 1. */
export function filledSequence(sequence: readonly Segment[] | null, segment: Segment | null): Segment[] {
  const base = sequence !== null && sequence.length > 0 ? [...sequence] : segment === null ? [] : [segment];
  if (base.length === 0) return [{ from: ZERO, to: ONE }];
  if (cmp(base[0]!.from, ZERO) !== 0) base.unshift({ from: ZERO, to: base[0]!.from });
  if (cmp(base[base.length - 1]!.to, ONE) !== 0) base.push({ from: base[base.length - 1]!.to, to: ONE });
  return base;
}

/** A sequence with its striping: per segment, its first index then the steps to each next one. */
export interface Striping {
  segments: Segment[];
  lcd: number;
  /** offsets[i] = [start, step, step, ...] (k6's ExecutionSegmentSequenceWrapper.offsets). */
  offsets: number[][];
}

/** k6's NewExecutionSegmentSequenceWrapper: the striping algorithm, with k6's own integer arithmetic. */
export function stripe(segments: readonly Segment[]): Striping {
  const lengths = segments.map((s) => sub(s.to, s.from));
  let lcd = lengths[0]!.den;
  for (const l of lengths.slice(1)) if (lcd % l.den !== 0) lcd *= l.den / gcd(lcd, l.den);
  const sorted = lengths
    .map((l, index) => ({ norm: l.num * (lcd / l.den), index }))
    // Stable, biggest first, as k6's sort.SliceStable.
    .sort((a, b) => b.norm - a.norm);
  const offsets: number[][] = segments.map(() => []);
  const prev = segments.map(() => 0);
  const chosen = segments.map(() => 0);
  for (let i = 0; i < lcd; i++) {
    for (let k = 0; k < sorted.length; k++) {
      const num = chosen[k]! * lcd;
      const denom = sorted[k]!.norm;
      const q = Math.floor(num / denom);
      if (i > q || (i === q && num % denom === 0)) {
        chosen[k]!++;
        const index = sorted[k]!.index;
        offsets[index]!.push(i - prev[index]!);
        prev[index] = i;
        if (offsets[index]!.length === denom) offsets[index]!.push(offsets[index]![0]! + lcd - i);
        break;
      }
    }
  }
  return { segments: [...segments], lcd, offsets };
}

/** k6's ScaleInt64: how many of the indices 0 .. value-1 belong to segment `index` of the striping. */
export function scaleCount(s: Striping, index: number, value: number): number {
  if (s.segments.length === 1) return value;
  const [start, ...steps] = s.offsets[index]!;
  let result = Math.floor(value / s.lcd) * steps.length;
  for (let gi = 0, i = start!; i < value % s.lcd; i += steps[gi]!, gi++) result++;
  return result;
}

/** k6's SegmentedIndex: the indices among 0 .. value-1 that segment `index` holds, in order. */
export function heldIndices(s: Striping, index: number, value: number): number[] {
  if (s.segments.length === 1) return Array.from({ length: value }, (_, i) => i);
  const [start, ...steps] = s.offsets[index]!;
  const held: number[] = [];
  for (let gi = 0, i = start!; i < value; i += steps[gi % steps.length]!, gi++) held.push(i);
  return held;
}

/** One runner's place: its segment in a striped sequence. */
export interface Tuple {
  striping: Striping;
  index: number;
}

/** k6's NewExecutionTuple: null when the segment is not one of the sequence's. */
export function tupleOf(segment: Segment | null, sequence: readonly Segment[] | null): Tuple | null {
  const segments = filledSequence(sequence, segment);
  const index = segment === null ? 0 : segments.findIndex((s) => sameSegment(s, segment));
  return index === -1 ? null : { striping: stripe(segments), index };
}

/**
 * k6's GetNewExecutionTupleFromValue: the sequence re-cut so that each segment's length is its share
 * of `value` (an executor's VUs), segments with none dropped. Null: this runner's segment gets none.
 */
export function resegment(t: Tuple, value: number): Tuple | null {
  if (value < 1) return null;
  const s = t.striping;
  if (value % s.lcd === 0) return t;
  const segments: Segment[] = [];
  let index = -1;
  let prev = 0;
  s.segments.forEach((_, i) => {
    const share = scaleCount(s, i, value);
    if (share === 0) return;
    if (i === t.index) index = segments.length;
    segments.push({ from: frac(prev, value), to: frac(prev + share, value) });
    prev += share;
  });
  return index === -1 ? null : { striping: stripe(segments), index };
}

/** A phase's share for one runner: its clients (k6 VUs) and requests (iterations). */
export interface PhaseShare {
  clients: number;
  requests: number;
}

/**
 * One runner's share of a phase of `clients` clients and `requests` requests, as k6's
 * shared-iterations and constant-arrival-rate executors (and shared-iterations on a drawn schedule)
 * give it: VUs scaled by the tuple, then iterations by the tuple re-cut by the VUs. A streamed phase
 * is one iteration of one VU (one browser page runs the whole schedule), so one runner takes it whole.
 */
export function phaseShare(
  t: Tuple,
  phase: { clients: number; requests: number; sessions?: readonly (readonly number[])[] },
  streamed = false,
): PhaseShare {
  if (streamed) {
    const vus = scaleCount(t.striping, t.index, 1);
    return { clients: vus === 0 ? 0 : phase.clients, requests: vus === 0 ? 0 : phase.requests };
  }
  // Conversations: an iteration is a session (src/k6/lib/k6-scenario.ts); a runner sends its sessions' turns.
  if (phase.sessions !== undefined) {
    const count = phase.sessions.reduce((n, run) => n + run[1]!, 0);
    const vus = Math.min(phase.clients, count);
    const clients = scaleCount(t.striping, t.index, vus);
    const byVus = clients === 0 ? null : resegment(t, vus);
    const held = byVus === null ? [] : heldIndices(byVus.striping, byVus.index, count);
    return { clients, requests: turnsAt(phase.sessions, held) };
  }
  const clients = scaleCount(t.striping, t.index, phase.clients);
  const byVus = clients === 0 ? null : resegment(t, phase.clients);
  return { clients, requests: byVus === null ? 0 : scaleCount(byVus.striping, byVus.index, phase.requests) };
}

/** N equal segments of one sequence, as the k6-operator gives its N runners. */
export function equalSegments(n: number): { segments: string[]; sequence: string } {
  const point = (i: number): string => (i === 0 ? '0' : i === n ? '1' : fractionText(frac(i, n)));
  return {
    segments: Array.from({ length: n }, (_, i) => `${point(i)}:${point(i + 1)}`),
    sequence: Array.from({ length: n + 1 }, (_, i) => point(i)).join(','),
  };
}
