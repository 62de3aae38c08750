/**
 * The measurement floor from one calibration run (src/node/calibrate/floor.ts): the client's TTFT and
 * inter-token percentiles minus the reference server's own, its one line, and whether a verdict's
 * margin lies inside it. Pure.
 */
import type { MeasurementFloor, Verdict } from '../types.js';
import { K6_METRICS } from '../rules/metric-table.js';
import { lateness, truthFigures, type TruthRequest } from './reference-truth.js';

type Values = Record<string, number> | undefined;
const clientStat = (v: Values): { p50: number; p95: number; p99: number; count: number } | null =>
  v === undefined || !v['count']
    ? null
    : { p50: v['p(50)'] ?? 0, p95: v['p(95)'] ?? 0, p99: v['p(99)'] ?? 0, count: v['count'] };

const signed = (n: number): string => `${n >= 0 ? '+' : ''}${n.toFixed(1)}`;

/**
 * The reference server's gap between chunks: the run's own, as its warm-up streams showed it on the
 * target (their inter-token p50), bounded so a stalled or a bunched warm-up cannot make the floor
 * unlike any real stream; else a small model's pace on a CPU.
 */
export const FLOOR_GAP = { defaultMs: 20, minMs: 1, maxMs: 200 } as const;
/** Tokens per calibration stream: fewer at a slow pace, so a stream's decoding stays about a second. */
export const FLOOR_TOKENS = { max: 12, min: 4, decodeBudgetMs: 1000 } as const;

export interface FloorGap {
  gapMs: number;
  /** Said in the floor's line: where the gap came from. */
  from: string;
}

export function floorGap(warmupItlP50Ms: number | null | undefined): FloorGap {
  if (warmupItlP50Ms == null || !Number.isFinite(warmupItlP50Ms) || warmupItlP50Ms <= 0)
    return { gapMs: FLOOR_GAP.defaultMs, from: 'the default; no warm-up stream to take it from' };
  const gapMs = Math.round(Math.min(FLOOR_GAP.maxMs, Math.max(FLOOR_GAP.minMs, warmupItlP50Ms)));
  const bounded = gapMs !== Math.round(warmupItlP50Ms) ? `, bounded to ${FLOOR_GAP.minMs}..${FLOOR_GAP.maxMs} ms` : '';
  return { gapMs, from: `the warm-up's inter-token p50 on the target, ${warmupItlP50Ms.toFixed(1)} ms${bounded}` };
}

export function floorTokens(gapMs: number): number {
  const fit = Math.floor(FLOOR_TOKENS.decodeBudgetMs / Math.max(gapMs, 1)) + 1;
  return Math.min(FLOOR_TOKENS.max, Math.max(FLOOR_TOKENS.min, fit));
}

export function floorOf(o: {
  clients: number;
  gapMs: number;
  /** Where the gap came from (floorGap), said in the line; absent: not said. */
  gapFrom?: string;
  metrics: Record<string, Values>;
  truth: readonly TruthRequest[];
}): MeasurementFloor | null {
  const t = truthFigures(o.truth);
  const ttft = lateness(clientStat(o.metrics[K6_METRICS.ttft]), t.ttftMs);
  const itl = lateness(clientStat(o.metrics[K6_METRICS.itl]), t.itlMs);
  if (ttft === null && itl === null) return null;
  const ttftText = ttft === null ? 'TTFT not measured' : `TTFT ${signed(ttft.p50)} ms p50 / ${signed(ttft.p95)} ms p95`;
  const itlText = itl === null ? 'ITL not measured' : `ITL ${signed(itl.p50)} ms p50`;
  const at = `${o.clients} stream${o.clients === 1 ? '' : 's'}, a chunk every ${o.gapMs} ms`;
  const from = o.gapFrom === undefined ? '' : ` (${o.gapFrom})`;
  return {
    streams: o.clients,
    gapMs: o.gapMs,
    ...(o.gapFrom === undefined ? {} : { gapFrom: o.gapFrom }),
    requests: t.completed,
    ttftMs: ttft === null ? null : { p50: ttft.p50, p95: ttft.p95 },
    itlMs: itl === null ? null : { p50: itl.p50, p95: itl.p95 },
    summary: `measurement floor at ${at}${from}: ${ttftText}, ${itlText}`,
  };
}

/**
 * The notes for verdicts on TTFT or inter-token latency whose margin (bound − measured) is smaller
 * than the floor's p95 for that figure: the client cannot tell that pass or fail from its own bias.
 */
export function verdictsInsideFloor(verdicts: readonly Verdict[], floor: MeasurementFloor): string[] {
  const notes: string[] = [];
  for (const v of verdicts) {
    const kind = v.metric.startsWith('ttft_') ? floor.ttftMs : v.metric.startsWith('itl_') ? floor.itlMs : null;
    if (kind === null || v.measured === null) continue;
    const margin = Math.abs(v.bound - v.measured);
    const floorMs = Math.abs(kind.p95);
    if (margin < floorMs)
      notes.push(
        `The verdict ${v.id} (${v.metric} ${v.op} ${v.bound} ms: ${v.pass ? 'pass' : 'fail'}) is within the ` +
          `measurement floor: its margin ${margin.toFixed(1)} ms is less than the client's bias of ` +
          `${floorMs.toFixed(1)} ms p95 at ${floor.streams} streams.`,
      );
  }
  return notes;
}
