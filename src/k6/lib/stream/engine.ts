/**
 * The reader of one origin's streams, inside the browser (src/k6/lib/stream/run.ts sets it up):
 * it sends the requests its scheduler (src/k6/lib/stream/scheduler.ts) tells it to, over at most 6
 * connections to its own origin, reads each response as it streams, timestamps every chunk with
 * performance.now() the moment the read returns it, and when a stream ends reports what arrived and
 * when back over its message port (the scheduler, on another thread, times it).
 *
 * Each stream is timed from when the browser began writing the request to its connection
 * (Resource Timing's requestStart), not from the fetch() call: a burst of requests waits in the
 * browser before going out, and that wait is the client's, not the server's. The browser gives
 * requestStart only for a same-origin request, which is why there is one engine per origin, each
 * in a frame of that origin.
 *
 * `createStreamEngine` travels as source text into a worker (or a frame), so it may use nothing
 * from this module's scope: only its argument and the globals typed by the local interfaces below.
 * Node has the same globals, which is how it is unit-tested.
 */
import type { Chunk } from '../../../core/stream/stream.js';

/** What every request of a phase shares, sent once to each engine. */
export interface EngineSetup {
  origin: string;
  headers: Record<string, string>;
  paths: string[];
  bodies: string[];
  timeoutMs: number;
  /** Each request's X-Request-Id is this and its number (src/core/stream/server-clock.ts, requestIdPrefix). */
  requestIdPrefix?: string;
}

/** Scheduler → engine. */
export type ToEngine =
  | { t: 'setup'; setup: EngineSetup }
  | { t: 'warm'; path: string; count: number }
  /** `text`: the body as sent, when it is not one of the set-up's (a conversation's later turn). */
  | { t: 'send'; n: number; slot: number; path: number; body: number; text?: string }
  | { t: 'abort' };

/** One request as an engine saw it. Epoch times: each engine and the scheduler have clocks of their own. */
export interface EngineResult {
  n: number;
  slot: number;
  sentEpochMs: number;
  endEpochMs: number;
  /** From the fetch() call to the browser writing the request; null when the browser did not say. */
  sendWaitMs: number | null;
  status: number;
  /** The request failed (network, timeout, abort) before the stream ended. */
  error: string | null;
  /** What arrived, each chunk's time in ms from the send. */
  chunks: Chunk[];
}

/** Engine → scheduler. */
export type FromEngine = { t: 'ready' } | { t: 'warmed'; count: number } | { t: 'result'; r: EngineResult };

export interface PortLike {
  postMessage(m: unknown): void;
  onmessage: ((e: { data: unknown }) => void) | null;
}

export function createStreamEngine(port: PortLike): void {
  interface Reader {
    read(): Promise<{ done: boolean; value?: Uint8Array }>;
  }
  interface Globals {
    fetch(
      url: string,
      init: {
        method: string;
        headers?: Record<string, string>;
        body?: string;
        signal?: unknown;
        cache?: string;
        priority?: string;
        credentials?: string;
        referrerPolicy?: string;
      },
    ): Promise<{
      status: number;
      body: { getReader(): Reader } | null;
      text(): Promise<string>;
    }>;
    TextDecoder: new () => { decode(v?: Uint8Array, o?: { stream: boolean }): string };
    AbortController: new () => { signal: unknown; abort(): void };
    performance: { now(): number; timeOrigin: number; clearResourceTimings?(): void };
    PerformanceObserver?: new (cb: (list: { getEntries(): Array<{ name: string; requestStart: number }> }) => void) => {
      observe(o: { type: string }): void;
    };
    setTimeout(f: () => void, ms: number): unknown;
    clearTimeout(t: unknown): void;
  }
  const g = globalThis as unknown as Globals;
  let setup: EngineSetup | null = null;
  let stopped = false;
  const controllers = new Set<{ abort(): void }>();
  const post = (m: FromEngine): void => port.postMessage(m);

  // Every request, the warm-up's too (the same options put them on the same connections): no cookies,
  // no referrer. The network service then skips the cookie look-up (and its "cookies blocked" notice
  // to the browser's main thread: the frames are third-party to the page), about a sixth of each
  // request's CPU at 2 tokens a stream. The mode stays the default: the requests are same-origin by
  // construction, and a server's redirect is followed as before.
  const BARE = { cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer' };

  // requestStart of each request, by URL: its fragment (#rk6-<n>, never sent) makes it unique.
  const requestStarts = new Map<string, number>();
  const waitingFor = new Map<string, (requestStart: number) => void>();
  let observing = false;
  try {
    if (g.PerformanceObserver !== undefined) {
      new g.PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          if (e.name.indexOf('#rk6-') === -1) continue;
          const w = waitingFor.get(e.name);
          if (w === undefined) requestStarts.set(e.name, e.requestStart);
          else {
            waitingFor.delete(e.name);
            w(e.requestStart);
          }
        }
        // Taken: the timeline's own buffer (250 entries by default) would only fill up.
        if (g.performance.clearResourceTimings !== undefined) g.performance.clearResourceTimings();
      }).observe({ type: 'resource' });
      observing = true;
    }
  } catch {
    observing = false;
  }
  /** requestStart in ms on this clock, or null: not exposed (0), or not seen within waitMs. */
  const requestStartOf = (url: string, waitMs: number): Promise<number | null> => {
    if (!observing) return Promise.resolve(null);
    const known = requestStarts.get(url);
    if (known !== undefined) {
      requestStarts.delete(url);
      return Promise.resolve(known > 0 ? known : null);
    }
    return new Promise((resolve) => {
      const timer = g.setTimeout(() => {
        waitingFor.delete(url);
        resolve(null);
      }, waitMs);
      waitingFor.set(url, (v) => {
        g.clearTimeout(timer);
        resolve(v > 0 ? v : null);
      });
    });
  };

  async function send(n: number, slot: number, pathIndex: number, bodyIndex: number, text?: string): Promise<void> {
    const s = setup!;
    const abort = new g.AbortController();
    controllers.add(abort);
    const timer = g.setTimeout(() => abort.abort(), s.timeoutMs);
    const arrivals: Chunk[] = [];
    let status = 0;
    let error: string | null = null;
    let done = false;
    const url = `${s.origin}${s.paths[pathIndex]!}#rk6-${n}`;
    const sent = g.performance.now();
    try {
      // One headers object per request: the browser copies it into the request anyway, and a fetch()
      // costs far more than an object of three fields.
      const headers =
        s.requestIdPrefix === undefined ? s.headers : { ...s.headers, 'X-Request-Id': `${s.requestIdPrefix}${n}` };
      const res = await g.fetch(url, {
        method: 'POST',
        headers,
        body: text ?? s.bodies[bodyIndex]!,
        signal: abort.signal,
        priority: 'high',
        ...BARE,
      });
      status = res.status;
      if (res.body === null) error = 'no response body';
      else {
        const reader = res.body.getReader();
        const decoder = new g.TextDecoder();
        for (;;) {
          const read = await reader.read();
          // Taken before anything else is done with the chunk: this is its arrival.
          const at = g.performance.now();
          if (read.done) break;
          arrivals.push({ tMs: at, text: decoder.decode(read.value, { stream: true }) });
        }
        done = true;
      }
    } catch (err) {
      error = stopped ? `stopped at the end of the phase: ${String(err)}` : String(err);
    } finally {
      g.clearTimeout(timer);
      controllers.delete(abort);
    }
    const end = g.performance.now();
    const requestStart = done ? await requestStartOf(url, 2000) : null;
    const from = requestStart !== null && requestStart >= sent ? requestStart : sent;
    const chunks = arrivals.map((a) => ({ tMs: a.tMs - from, text: a.text }));
    post({
      t: 'result',
      r: {
        n,
        slot,
        sentEpochMs: g.performance.timeOrigin + sent,
        endEpochMs: g.performance.timeOrigin + end,
        sendWaitMs: from === sent ? null : from - sent,
        status,
        error,
        chunks,
      },
    });
  }

  port.onmessage = (e) => {
    const m = e.data as ToEngine;
    if (m.t === 'setup') {
      setup = m.setup;
      post({ t: 'ready' });
    } else if (m.t === 'warm') {
      // As many connections as this engine's clients, opened at once before the window.
      const all: Array<Promise<unknown>> = [];
      for (let i = 0; i < m.count; i++)
        all.push(g.fetch(setup!.origin + m.path, { method: 'GET', ...BARE }).then((r) => r.text()));
      void Promise.all(all).then(
        () => post({ t: 'warmed', count: all.length }),
        () => post({ t: 'warmed', count: 0 }),
      );
    } else if (m.t === 'send') {
      void send(m.n, m.slot, m.path, m.body, m.text);
    } else if (m.t === 'abort') {
      stopped = true;
      controllers.forEach((a) => a.abort());
    }
  };
}
