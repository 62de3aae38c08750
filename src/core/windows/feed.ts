/**
 * k6's windows fed to what per-request samples would feed: the latency windows of the drift and leak
 * checks and the bands, the report's latency detail, and its timeline of requests, failures and
 * outages (one outcome per push). Pure.
 */
import type { LatencyDetailLog } from '../watch/latency-detail.js';
import type { LatencyWindows } from '../watch/latency-windows.js';
import type { WindowOutcome } from '../watch/outages.js';
import type { Window } from './windows.js';

/** Said in the report of a run without per-request samples (the default): what it does not give. */
export const NO_SAMPLES_NOTE =
  "Per-request samples were not written (the default; --samples writes them): k6's summary gives every " +
  "figure above, exactly. The outage timeline, latency bands and the drift and leak checks come from k6's " +
  "own one-second windows (windows.jsonl: latencies to within about 5 %, an outage's start and end to " +
  "within a window). Had k6 died, the figures would be rebuilt from the windows, without k6's checks, and " +
  "compare bootstraps from the windows' buckets.";

/** A window's latencies into `timeline`, at the window's end. */
export function addWindowTo(timeline: LatencyWindows, w: Window): void {
  for (const b of w.latency) timeline.add(w.endMs, b.ms, w.endpoint, b.count);
}

/** The same into the report's latency detail, as samples of `metric` (and of each other time the window has). */
export function addWindowToDetail(detail: LatencyDetailLog, w: Window, metric: string): void {
  for (const [m, buckets] of [[metric, w.latency] as const, ...Object.entries(w.also)])
    for (const b of buckets)
      detail.add({ metric: m, tMs: w.endMs, value: b.ms, phase: w.phase, endpoint: w.endpoint, check: null }, b.count);
}

/** Requests and failures per push, every phase and endpoint of it together. */
export class WindowOutcomes {
  private readonly byPush = new Map<number, WindowOutcome>();

  add(w: Window): void {
    const o = this.byPush.get(w.push) ?? {
      startMs: w.startMs,
      endMs: w.endMs,
      pushedMs: w.pushedMs,
      requests: 0,
      failures: 0,
    };
    o.endMs = Math.max(o.endMs, w.endMs);
    o.requests += w.judged;
    o.failures += w.failures;
    this.byPush.set(w.push, o);
  }

  list(): WindowOutcome[] {
    return [...this.byPush.values()];
  }
}
