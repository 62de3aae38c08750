/**
 * Per second of the run: how many requests completed and how many failed, from k6's per-request
 * samples; and the outages in it. An outage is a run of at least two consecutive failed requests (in
 * the order they completed, no success in between) lasting, from its first failure to the first
 * success after it, at least OUTAGE_MIN_SEC: a server restarting, a port nobody listens on.
 * Scattered errors are not outages, they are the error rate. Its time to recover runs from its
 * first failure to the first success after it, as the clients saw it. Pure.
 */
import type { TimelineReport } from '../types.js';

export const OUTAGE_MIN_SEC = 1;

export interface RequestOutcome {
  /** When the request completed, ms since the epoch. */
  tMs: number;
  failed: boolean;
}

/** Request outcomes as they are read, two numbers' worth each: a million requests take 8 MB. */
export class OutcomeLog {
  /** Completion time in ms, negated for a failed request. */
  private readonly signed: number[] = [];

  add(tMs: number, failed: boolean): void {
    this.signed.push(failed ? -tMs : tMs);
  }

  get size(): number {
    return this.signed.length;
  }

  /** In completion order. */
  sorted(): RequestOutcome[] {
    return this.signed.map((v) => ({ tMs: Math.abs(v), failed: v < 0 })).sort((a, b) => a.tMs - b.tMs);
  }

  static of(outcomes: readonly RequestOutcome[]): OutcomeLog {
    const log = new OutcomeLog();
    for (const o of outcomes) log.add(o.tMs, o.failed);
    return log;
  }
}

/** `originMs` is second 0: the run's start, or (null) the first request's completion. */
export function timelineOf(log: OutcomeLog, originMs: number | null): TimelineReport | null {
  if (log.size === 0) return null;
  const sorted = log.sorted();
  originMs ??= sorted[0]!.tMs;
  const sec = (tMs: number): number => (tMs - originMs) / 1000;
  const first = Math.floor(sec(sorted[0]!.tMs));
  const last = Math.floor(sec(sorted[sorted.length - 1]!.tMs));
  const seconds: TimelineReport['seconds'] = [];
  for (let t = first; t <= last; t++) seconds.push({ tSec: t, requests: 0, failures: 0 });
  for (const o of sorted) {
    const bucket = seconds[Math.floor(sec(o.tMs)) - first]!;
    bucket.requests++;
    if (o.failed) bucket.failures++;
  }

  const outages: TimelineReport['outages'] = [];
  let i = 0;
  while (i < sorted.length) {
    if (!sorted[i]!.failed) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1]!.failed) j++;
    const start = sorted[i]!.tMs;
    const end = sorted[j]!.tMs;
    const recovered = j + 1 < sorted.length ? sorted[j + 1]!.tMs : null;
    // An outage that the run's end cut short counts from its start to the end of the run.
    if (j > i && (recovered ?? end) - start >= OUTAGE_MIN_SEC * 1000) {
      outages.push({
        startSec: round3(sec(start)),
        lastFailureSec: round3(sec(end)),
        failures: j - i + 1,
        recoveredAtSec: recovered === null ? null : round3(sec(recovered)),
        timeToRecoverSec: recovered === null ? null : round3((recovered - start) / 1000),
      });
    }
    i = j + 1;
  }
  return { originAt: new Date(originMs).toISOString(), bucketSec: 1, outageMinSec: OUTAGE_MIN_SEC, seconds, outages };
}

/** What one window of k6's own aggregates held (src/core/windows/windows.ts), every endpoint together. */
export interface WindowOutcome {
  startMs: number;
  /** Its newest request, and when k6 pushed it (its end). */
  endMs: number;
  pushedMs: number;
  requests: number;
  failures: number;
}

/**
 * The same timeline from windows k6 counted itself (the default; --samples writes every request). A
 * window's requests fall in the second its middle is in: its newest request would put two windows of
 * about a second in one second now and then, and none in the next. An outage is a run of windows in
 * which every request failed, from the start of its first to the start of the first window with a
 * success, so each end is known to within a window, where per-request samples place it to the
 * millisecond.
 */
export function timelineOfWindows(list: readonly WindowOutcome[], originMs: number | null): TimelineReport | null {
  const sorted = list.filter((w) => w.requests > 0).sort((a, b) => a.pushedMs - b.pushedMs);
  if (sorted.length === 0) return null;
  originMs ??= sorted[0]!.startMs;
  const sec = (tMs: number): number => (tMs - originMs) / 1000;
  const secondOf = (w: WindowOutcome): number => Math.floor(sec((w.startMs + w.pushedMs) / 2));
  // The windows of several runners (a split run) interleave: one pushed later may have begun earlier.
  let [first, last] = [Infinity, -Infinity];
  for (const w of sorted) [first, last] = [Math.min(first, secondOf(w)), Math.max(last, secondOf(w))];
  const seconds: TimelineReport['seconds'] = [];
  for (let t = first; t <= last; t++) seconds.push({ tSec: t, requests: 0, failures: 0 });
  for (const w of sorted) {
    const bucket = seconds[secondOf(w) - first]!;
    bucket.requests += w.requests;
    bucket.failures += w.failures;
  }
  const down = (w: WindowOutcome): boolean => w.failures > 0 && w.failures === w.requests;
  const outages: TimelineReport['outages'] = [];
  for (let i = 0; i < sorted.length; i++) {
    if (!down(sorted[i]!)) continue;
    let j = i;
    while (j + 1 < sorted.length && down(sorted[j + 1]!)) j++;
    const start = sorted[i]!.startMs;
    const recovered = j + 1 < sorted.length ? sorted[j + 1]!.startMs : null;
    const failures = sorted.slice(i, j + 1).reduce((n, w) => n + w.failures, 0);
    if (failures > 1 && (recovered ?? sorted[j]!.endMs) - start >= OUTAGE_MIN_SEC * 1000) {
      outages.push({
        startSec: round3(sec(start)),
        lastFailureSec: round3(sec(sorted[j]!.endMs)),
        failures,
        recoveredAtSec: recovered === null ? null : round3(sec(recovered)),
        timeToRecoverSec: recovered === null ? null : round3((recovered - start) / 1000),
      });
    }
    i = j;
  }
  return { originAt: new Date(originMs).toISOString(), bucketSec: 1, outageMinSec: OUTAGE_MIN_SEC, seconds, outages };
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/** The seconds worth showing next to the outages: each outage with two seconds either side. */
export function secondsAroundOutages(t: TimelineReport): TimelineReport['seconds'] {
  return t.seconds.filter((s) =>
    t.outages.some(
      (o) => s.tSec >= Math.floor(o.startSec) - 2 && s.tSec <= Math.floor(o.recoveredAtSec ?? o.lastFailureSec) + 2,
    ),
  );
}
