/**
 * A run's requests over time in bounded memory: consecutive time windows, each holding a latency
 * histogram (all requests, and one per endpoint), fed one request at a time as k6's samples are
 * streamed. Windows start 1 ms wide, from the first request's completion; whenever the run
 * outgrows MAX_WINDOWS of them, neighbours are merged in pairs and the width doubles. So a run of
 * 0.02 s keeps millisecond detail and a run of a million requests over 17 minutes keeps at most
 * MAX_WINDOWS windows of 8 s: memory depends on neither the number of requests nor the run's length.
 *
 * What is kept is what the checks and plots need: the leak check's completed requests over time,
 * the drift check's p95 of the first and last thirds of the requests, and percentile bands per
 * window. The thirds are made of whole windows (taken from each end until they hold a third of
 * the requests), so with many windows they match the exact thirds to within one window. Pure.
 */
import type { BandPoint, BandSeries } from '../charts/band-chart.js';
import { LatencyHistogram } from './latency-histogram.js';

export const MAX_WINDOWS = 128;
const FIRST_WIDTH_MS = 1;

export interface LatencyWindow {
  startMs: number;
  widthMs: number;
  /** When the window's first and last request completed. */
  firstMs: number;
  lastMs: number;
  all: LatencyHistogram;
  byEndpoint: Map<string, LatencyHistogram>;
}

export interface CompletedPoint {
  tMs: number;
  /** Requests completed by tMs, counted from the run's start. */
  completed: number;
}

export class LatencyWindows {
  private slots: (LatencyWindow | undefined)[] = [];
  private width = FIRST_WIDTH_MS;
  /** Requests added; also the earliest start and latest completion seen (start = completion - latency). */
  total = 0;
  firstStartMs = Infinity;
  lastEndMs = -Infinity;

  /** Where window 0 starts: the first request's completion, moved back when an earlier one comes. */
  private originMs = NaN;

  get widthMs(): number {
    return this.width;
  }

  /** A request completed at tMs; or `n` of them, a bucket of a window k6 aggregated itself. */
  add(tMs: number, latencyMs: number, endpoint: string | null, n = 1): void {
    if (!Number.isFinite(tMs) || !Number.isFinite(latencyMs) || !(n > 0)) return;
    if (Number.isNaN(this.originMs)) this.originMs = tMs;
    if (tMs < this.originMs) {
      // k6 writes samples roughly, not strictly, in time order: make room before window 0.
      const k = Math.ceil((this.originMs - tMs) / this.width);
      this.slots = [...new Array<LatencyWindow | undefined>(k), ...this.slots];
      this.originMs -= k * this.width;
    }
    let i = Math.floor((tMs - this.originMs) / this.width);
    while (i >= MAX_WINDOWS || this.slots.length > MAX_WINDOWS) {
      this.halve();
      i = Math.floor((tMs - this.originMs) / this.width);
    }
    let w = this.slots[i];
    if (w === undefined) {
      w = {
        startMs: this.originMs + i * this.width,
        widthMs: this.width,
        firstMs: tMs,
        lastMs: tMs,
        all: new LatencyHistogram(),
        byEndpoint: new Map(),
      };
      this.slots[i] = w;
    }
    w.firstMs = Math.min(w.firstMs, tMs);
    w.lastMs = Math.max(w.lastMs, tMs);
    w.all.add(latencyMs, n);
    if (endpoint !== null) {
      let h = w.byEndpoint.get(endpoint);
      if (h === undefined) w.byEndpoint.set(endpoint, (h = new LatencyHistogram()));
      h.add(latencyMs, n);
    }
    this.total += n;
    this.firstStartMs = Math.min(this.firstStartMs, tMs - latencyMs);
    this.lastEndMs = Math.max(this.lastEndMs, tMs);
  }

  /** Double the width: window 2k and 2k+1 become window k. */
  private halve(): void {
    const merged: (LatencyWindow | undefined)[] = [];
    this.width *= 2;
    this.slots.forEach((w, i) => {
      if (w === undefined) return;
      const k = Math.floor(i / 2);
      const into = merged[k];
      if (into === undefined) {
        merged[k] = { ...w, startMs: this.originMs + k * this.width, widthMs: this.width };
        return;
      }
      into.firstMs = Math.min(into.firstMs, w.firstMs);
      into.lastMs = Math.max(into.lastMs, w.lastMs);
      into.all.merge(w.all);
      for (const [e, h] of w.byEndpoint) {
        const mine = into.byEndpoint.get(e);
        if (mine === undefined) into.byEndpoint.set(e, h);
        else mine.merge(h);
      }
    });
    this.slots = merged;
  }

  /** Windows holding at least one request, in time order. */
  windows(): LatencyWindow[] {
    return this.slots.filter((w): w is LatencyWindow => w !== undefined);
  }

  /**
   * Completed requests over time, two points per window (its first and last completion): the
   * leak check interpolates between them.
   */
  completed(): CompletedPoint[] {
    const out: CompletedPoint[] = [];
    let done = 0;
    for (const w of this.windows()) {
      out.push({ tMs: w.firstMs, completed: done + 1 });
      done += w.all.count;
      out.push({ tMs: w.lastMs, completed: done });
    }
    return out;
  }

  /** Latencies of the first and the last third of the requests (whole windows, see above). */
  thirds(): { first: LatencyHistogram; last: LatencyHistogram } | null {
    const third = Math.floor(this.total / 3);
    if (third === 0) return null;
    const take = (ordered: LatencyWindow[]): LatencyHistogram => {
      const h = new LatencyHistogram();
      for (const w of ordered) {
        if (h.count >= third) break;
        h.merge(w.all);
      }
      return h;
    };
    const list = this.windows();
    return { first: take(list), last: take([...list].reverse()) };
  }
}

/** Points in a latency plot at most: enough to show a trend, few enough for each to hold many requests. */
export const PLOT_WINDOWS = 60;

/**
 * Percentile bands over time, one series per endpoint (or one named 'requests' when no sample
 * named its endpoint), x in seconds since `fromMs`: what src/core/charts/band-chart.ts draws. Consecutive
 * windows are merged into at most `maxPoints` points, so each percentile rests on more requests.
 */
export function latencyBands(timeline: LatencyWindows, fromMs: number, maxPoints = PLOT_WINDOWS): BandSeries[] {
  const windows = timeline.windows();
  const per = Math.max(1, Math.ceil(windows.length / maxPoints));
  const byName = new Map<string, BandPoint[]>();
  for (let g = 0; g < windows.length; g += per) {
    const group = windows.slice(g, g + per);
    const first = group[0]!;
    const last = group[group.length - 1]!;
    const x = ((first.startMs + last.startMs + last.widthMs) / 2 - fromMs) / 1000;
    const merged = new Map<string, LatencyHistogram>();
    for (const w of group) {
      const parts: [string, LatencyHistogram][] = w.byEndpoint.size === 0 ? [['requests', w.all]] : [...w.byEndpoint];
      for (const [name, h] of parts) merged.set(name, (merged.get(name) ?? new LatencyHistogram()).merge(h));
    }
    for (const [name, h] of merged) {
      const points = byName.get(name) ?? [];
      points.push({ x, p50: h.percentile(50)!, p95: h.percentile(95)!, p99: h.percentile(99)! });
      byName.set(name, points);
    }
  }
  return [...byName].map(([name, points]) => ({ name, points }));
}
