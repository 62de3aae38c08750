/**
 * The truth a streamed measurement is judged against: what a server recorded on its own clock
 * (when each request arrived, when it wrote each token, when it ended the stream), turned into the
 * same figures the client reports — TTFT, inter-token latency, end-to-end — and the client's
 * figures minus the server's, percentile by percentile. Pure: the accuracy benchmark and the
 * streamed tests use it with test/support/stream-truth-server.ts.
 */
import { percentile } from '../stats.js';

export interface TruthRequest {
  arrivedMs: number;
  tokenWritesMs: number[];
  endMs: number | null;
  aborted: boolean;
}

export interface TruthFigures {
  /** Streams the server finished (every token and the end written). */
  completed: number;
  aborted: number;
  ttftMs: number[];
  itlMs: number[];
  e2eMs: number[];
  /** First arrival to last end, on the server's clock (null: nothing completed). */
  windowMs: number | null;
}

export function truthFigures(requests: readonly TruthRequest[]): TruthFigures {
  const done = requests.filter((r) => r.endMs !== null && r.tokenWritesMs.length > 0);
  const itl: number[] = [];
  for (const r of done)
    for (let i = 1; i < r.tokenWritesMs.length; i++) itl.push(r.tokenWritesMs[i]! - r.tokenWritesMs[i - 1]!);
  const starts = requests.map((r) => r.arrivedMs);
  const ends = done.map((r) => r.endMs!);
  return {
    completed: done.length,
    aborted: requests.filter((r) => r.aborted).length,
    ttftMs: done.map((r) => r.tokenWritesMs[0]! - r.arrivedMs),
    itlMs: itl,
    e2eMs: done.map((r) => r.endMs! - r.arrivedMs),
    windowMs: done.length === 0 ? null : Math.max(...ends) - Math.min(...starts),
  };
}

/** p50, p95 and p99 as k6 computes them (linear interpolation between closest ranks). */
export function stats(values: readonly number[]): { p50: number; p95: number; p99: number; count: number } | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50)!,
    p95: percentile(sorted, 95)!,
    p99: percentile(sorted, 99)!,
    count: sorted.length,
  };
}

export interface ClientStat {
  p50: number;
  p95: number;
  p99: number;
  count: number;
}

/** The client's percentiles minus the server's (positive: the client read late). */
export function lateness(
  client: ClientStat | null,
  truth: readonly number[],
): { p50: number; p95: number; p99: number } | null {
  const t = stats(truth);
  if (client === null || t === null) return null;
  return { p50: client.p50 - t.p50, p95: client.p95 - t.p95, p99: client.p99 - t.p99 };
}
