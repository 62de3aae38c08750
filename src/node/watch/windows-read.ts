/**
 * The windows file the receiver wrote (src/node/watch/windows-receiver.ts) read back, and fed to what
 * per-request samples would feed: the latency windows of the drift and leak checks and the bands,
 * the report's latency detail and its timeline of requests, failures and outages.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { K6_METRICS } from '../../core/rules/metric-table.js';
import type { LatencyDetailLog } from '../../core/watch/latency-detail.js';
import type { LatencyWindows } from '../../core/watch/latency-windows.js';
import type { WindowOutcome } from '../../core/watch/outages.js';
import { windowsOf, type Window, type WindowPush } from '../../core/windows/windows.js';

/** Every window of the file, in push order; null when there is no such file. A last line cut short is left out. */
export async function readWindows(file: string, latencyMetric: string = K6_METRICS.latency): Promise<Window[] | null> {
  if (!existsSync(file)) return null;
  const pushes: WindowPush[] = [];
  for (const line of (await readFile(file, 'utf8')).split('\n')) {
    if (line === '') continue;
    try {
      pushes.push(JSON.parse(line) as WindowPush);
    } catch {
      // The receiver stopped mid-line (the runner killed): the windows before it stand.
    }
  }
  return windowsOf(pushes, latencyMetric);
}

/** Each window's latencies into `timeline`, at the window's end. */
export function addWindowsTo(timeline: LatencyWindows, windows: readonly Window[]): LatencyWindows {
  for (const w of windows) for (const b of w.latency) timeline.add(w.endMs, b.ms, w.endpoint, b.count);
  return timeline;
}

/** The same into the report's latency detail, as samples of `metric`. */
export function addWindowsToDetail(detail: LatencyDetailLog, windows: readonly Window[], metric: string): void {
  for (const w of windows)
    for (const b of w.latency)
      detail.add({ metric, tMs: w.endMs, value: b.ms, phase: w.phase, endpoint: w.endpoint, check: null }, b.count);
}

/** Requests and failures per window, every phase and endpoint of a push together. */
export function windowOutcomes(windows: readonly Window[]): WindowOutcome[] {
  const byPush = new Map<number, WindowOutcome>();
  for (const w of windows) {
    const o = byPush.get(w.push) ?? {
      startMs: w.startMs,
      endMs: w.endMs,
      pushedMs: w.pushedMs,
      requests: 0,
      failures: 0,
    };
    o.endMs = Math.max(o.endMs, w.endMs);
    o.requests += w.judged;
    o.failures += w.failures;
    byPush.set(w.push, o);
  }
  return [...byPush.values()];
}
