/**
 * The windows file the receiver wrote (src/node/watch/windows-receiver.ts) read back a line at a time,
 * and fed to what per-request samples would feed: the latency windows of the drift and leak checks
 * and the bands, the report's latency detail and its timeline of requests, failures and outages.
 */
import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { K6_METRICS } from '../../core/rules/metric-table.js';
import type { LatencyDetailLog } from '../../core/watch/latency-detail.js';
import type { LatencyWindows } from '../../core/watch/latency-windows.js';
import type { WindowOutcome } from '../../core/watch/outages.js';
import { WindowDeltas, type Window, type WindowPush } from '../../core/windows/windows.js';

/**
 * Hand every window of the file to `visit`, in push order; null when there is no such file, else how
 * many windows there were. A last line cut short (the runner killed mid-write) is left out.
 */
export async function scanWindows(
  file: string,
  visit: (w: Window) => void,
  latencyMetric: string = K6_METRICS.latency,
): Promise<number | null> {
  if (!existsSync(file)) return null;
  const deltas = new WindowDeltas(latencyMetric);
  let seen = 0;
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    if (line === '') continue;
    let push: WindowPush;
    try {
      push = JSON.parse(line) as WindowPush;
    } catch {
      continue;
    }
    for (const w of deltas.add(push)) {
      visit(w);
      seen++;
    }
  }
  return seen;
}

/** A window's latencies into `timeline`, at the window's end. */
export function addWindowTo(timeline: LatencyWindows, w: Window): void {
  for (const b of w.latency) timeline.add(w.endMs, b.ms, w.endpoint, b.count);
}

/** The same into the report's latency detail, as samples of `metric`. */
export function addWindowToDetail(detail: LatencyDetailLog, w: Window, metric: string): void {
  for (const b of w.latency)
    detail.add({ metric, tMs: w.endMs, value: b.ms, phase: w.phase, endpoint: w.endpoint, check: null }, b.count);
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
