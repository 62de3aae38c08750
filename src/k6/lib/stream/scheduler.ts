/**
 * The schedule of a streamed phase, run in the browser page so that no request waits for a round
 * trip to k6 (src/k6/lib/stream/run.ts drives it): it tells the engines (src/k6/lib/stream/engine.ts,
 * one per origin) which request to send on which client, collects what they report, and hands the
 * results to k6 in batches.
 * - closed: every client sends its next request as soon as its last one ended, until `requests`
 *   have been taken;
 * - open: request i is due at i * intervalMs from the start (or at dueMs[i], a drawn or replayed
 *   schedule); it goes to a free client, or, when every client is busy, it is dropped (counted, never sent).
 * `installStreamScheduler` is handed to page.evaluate as source text: it may use only its
 * argument and the page's globals, typed by the local interfaces below.
 */
import type { EngineResult, EngineSetup, FromEngine, PortLike, ToEngine } from './engine.js';
import type { SseParser } from '../../../core/stream/sse.js';
import type { Chunk, StreamApi, StreamTimings } from '../../../core/stream/stream.js';

export interface ScheduleConfig {
  model: 'closed' | 'open';
  requests: number;
  /** Open model: time between arrivals. */
  intervalMs: number;
  /** Open model on its own schedule: each request's due time, ms from the start (null: every intervalMs). */
  dueMs: number[] | null;
  /** Per client (slot): the engine that sends its requests. */
  slotEngine: number[];
  /** Per request: [path index, body index] into the engines' setup. */
  order: Array<[number, number]>;
  /** After this long (from the start), every request in flight is aborted and nothing new starts. */
  deadlineMs: number;
}

/** One request as k6 records it. */
export interface StreamPageResult {
  /** The request's number in the phase. */
  n: number;
  slot: number;
  /** When it was sent, in ms since the window started. */
  sentMs: number;
  /** From the page's call to the browser writing the request, when the browser said (null otherwise). */
  sendWaitMs: number | null;
  /** Open model: how long after its due time the request was written (null in the closed model). */
  lateMs: number | null;
  status: number;
  error: string | null;
  timings: StreamTimings;
}

export interface StreamPageBatch {
  results: StreamPageResult[];
  /** Open model: arrivals since the last batch that found every client busy. */
  dropped: number;
  started: number;
  finished: number;
  /** Every request has ended (or was dropped), or the deadline passed and all in flight unwound. */
  done: boolean;
  /** When the window started, in ms since the epoch. */
  windowStartEpochMs: number;
  /** From the start to the end of the last request so far. */
  windowMs: number;
}

export interface StreamScheduler {
  addEngine(port: PortLike): number;
  /**
   * Sends each engine its set-up and takes the code that times the streams (the source text of
   * src/core/stream/stream.ts's streamTimings and src/core/stream/sse.ts's createSseParser); true once every
   * engine answered within waitMs.
   */
  setup(arg: {
    engines: EngineSetup[];
    api: StreamApi;
    timingsSource: string;
    parserSource: string;
    waitMs: number;
  }): Promise<boolean>;
  /** Each engine opens `counts[i]` connections at once (GET path), so no request of the window pays for a connect. */
  warm(path: string, counts: number[]): Promise<number>;
  start(config: ScheduleConfig): void;
  /**
   * Results collected so far, after waiting `waitMs` (less if everything ends sooner): k6 collects
   * in batches, so that few round trips compete with the streams for the CPU.
   */
  drain(waitMs: number): Promise<StreamPageBatch>;
  abort(): void;
}

export function installStreamScheduler(): boolean {
  interface Globals {
    performance: { now(): number; timeOrigin: number };
    setTimeout(f: () => void, ms: number): unknown;
    clearTimeout(t: unknown): void;
    __realizarK6Stream?: StreamScheduler;
  }
  const g = globalThis as unknown as Globals;
  const engines: PortLike[] = [];
  type Timings = (chunks: Chunk[], api: StreamApi, makeParser: () => SseParser) => StreamTimings;
  let timings: Timings | null = null;
  let makeParser: (() => SseParser) | null = null;
  let api: StreamApi = 'realizar';
  let onEngine: (i: number, m: FromEngine) => void = () => undefined;

  let config: ScheduleConfig | null = null;
  let startEpochMs = 0;
  let t0 = 0;
  let next = 0;
  let started = 0;
  let finished = 0;
  let dropped = 0;
  let droppedReported = 0;
  let lastEndEpochMs = 0;
  let stopped = false;
  let results: StreamPageResult[] = [];
  let waiter: (() => void) | null = null;
  let deadline: unknown = null;
  const busy: boolean[] = [];

  const allEnded = (): boolean => config !== null && next >= config.requests && finished === started;
  /** Nothing more will happen: all ended, or stopped and every aborted request has unwound. */
  const over = (): boolean => allEnded() || (stopped && finished === started);
  /** Once nothing more will happen: a waiting drain returns at once, and no timer is left behind. */
  const settle = (): void => {
    if (!over()) return;
    if (deadline !== null) g.clearTimeout(deadline);
    deadline = null;
    const w = waiter;
    waiter = null;
    if (w !== null) w();
  };

  const sendOn = (slot: number, n: number): void => {
    const c = config!;
    busy[slot] = true;
    started++;
    const [path, body] = c.order[n]!;
    const m: ToEngine = { t: 'send', n, slot, path, body };
    engines[c.slotEngine[slot]!]!.postMessage(m);
  };

  /** Closed model: the client takes the next request, if any remain. */
  const nextOn = (slot: number): void => {
    if (stopped || next >= config!.requests) return;
    sendOn(slot, next++);
  };

  /** When request n is due, ms from the start. */
  const dueOf = (n: number): number => {
    const c = config!;
    return c.dueMs === null ? n * c.intervalMs : c.dueMs[n]!;
  };

  /** Open model: every arrival due by now goes to a free client, or is dropped. */
  const arrive = (): void => {
    const c = config!;
    const now = g.performance.now() - t0;
    while (!stopped && next < c.requests && dueOf(next) <= now) {
      const n = next++;
      const slot = busy.indexOf(false);
      if (slot === -1) dropped++;
      else sendOn(slot, n);
    }
    settle();
    // Set for the next due time from the start, so lateness never accumulates.
    if (!stopped && next < c.requests) g.setTimeout(arrive, Math.max(0, dueOf(next) - (g.performance.now() - t0)));
  };

  const onResult = (r: EngineResult): void => {
    const c = config!;
    busy[r.slot] = false;
    finished++;
    lastEndEpochMs = Math.max(lastEndEpochMs, r.endEpochMs);
    const sentMs = r.sentEpochMs - startEpochMs;
    // Due at n intervals from the start; written sentMs from it (the browser's own send wait included).
    const lateMs = c.model === 'open' ? Math.max(0, sentMs - dueOf(r.n)) : null;
    // The client's next request first; then the stream is timed, here on the page's thread rather
    // than the engine's (which is still reading its other streams) or k6's (whose interpreter is
    // many times slower and shares the CPU).
    if (c.model === 'closed') nextOn(r.slot);
    results.push({
      n: r.n,
      slot: r.slot,
      sentMs,
      sendWaitMs: r.sendWaitMs,
      lateMs,
      status: r.status,
      error: r.error,
      timings: timings!(r.chunks, api, makeParser!),
    });
    settle();
  };

  const stop = (): void => {
    stopped = true;
    const m: ToEngine = { t: 'abort' };
    engines.forEach((e) => e.postMessage(m));
    settle();
  };

  const scheduler: StreamScheduler = {
    addEngine(port) {
      const i = engines.push(port) - 1;
      port.onmessage = (e) => {
        const m = e.data as FromEngine;
        if (m.t === 'result') onResult(m.r);
        else onEngine(i, m);
      };
      return i;
    },
    setup(arg) {
      api = arg.api;
      timings = new Function(`return (${arg.timingsSource})`)() as Timings;
      makeParser = new Function(`return (${arg.parserSource})`)() as () => SseParser;
      return new Promise((resolve) => {
        const ready = new Set<number>();
        const timer = g.setTimeout(() => resolve(false), arg.waitMs);
        onEngine = (i, m) => {
          if (m.t !== 'ready') return;
          ready.add(i);
          if (ready.size === engines.length) {
            g.clearTimeout(timer);
            resolve(true);
          }
        };
        engines.forEach((e, i) => {
          const m: ToEngine = { t: 'setup', setup: arg.engines[i]! };
          e.postMessage(m);
        });
      });
    },
    warm(path, counts) {
      return new Promise((resolve) => {
        let waiting = engines.length;
        let opened = 0;
        onEngine = (_, m) => {
          if (m.t !== 'warmed') return;
          opened += m.count;
          if (--waiting === 0) resolve(opened);
        };
        engines.forEach((e, i) => {
          const m: ToEngine = { t: 'warm', path, count: counts[i] ?? 0 };
          e.postMessage(m);
        });
      });
    },
    start(c) {
      config = c;
      for (let i = 0; i < c.slotEngine.length; i++) busy.push(false);
      t0 = g.performance.now();
      startEpochMs = g.performance.timeOrigin + t0;
      lastEndEpochMs = startEpochMs;
      deadline = g.setTimeout(stop, c.deadlineMs);
      if (c.model === 'closed') for (let slot = 0; slot < c.slotEngine.length; slot++) nextOn(slot);
      else arrive();
      settle();
    },
    async drain(waitMs) {
      if (!over()) {
        await new Promise<void>((resolve) => {
          const timer = g.setTimeout(() => {
            waiter = null;
            resolve();
          }, waitMs);
          waiter = () => {
            g.clearTimeout(timer);
            resolve();
          };
        });
      }
      const batch = results;
      results = [];
      const newlyDropped = dropped - droppedReported;
      droppedReported = dropped;
      return {
        results: batch,
        dropped: newlyDropped,
        started,
        finished,
        done: over(),
        windowStartEpochMs: startEpochMs,
        windowMs: lastEndEpochMs - startEpochMs,
      };
    },
    abort: stop,
  };
  g.__realizarK6Stream = scheduler;
  return true;
}
