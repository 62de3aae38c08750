/**
 * The shapes the stream scheduler (src/k6/lib/stream/scheduler.ts) and k6 exchange: its configuration,
 * each request's result and the batches k6 drains. Types only, apart from the scheduler's source text,
 * which page.evaluate serialises whole.
 */
import type { EngineSetup, PortLike } from './engine.js';
import type { StreamApi, StreamTimings } from '../../../core/stream/stream.js';

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
  /** Conversations: each one's first request and number of turns, and the pause before each later turn. */
  conversations: { starts: number[]; turns: number[]; thinkMs: number } | null;
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
