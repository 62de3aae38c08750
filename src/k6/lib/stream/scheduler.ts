/**
 * The schedule of a streamed phase, run in the browser page so that no request waits for a round
 * trip to k6 (src/k6/lib/stream/run.ts drives it): it tells the engines (src/k6/lib/stream/engine.ts,
 * one per origin) which request to send on which client, collects what they report, and hands the
 * results to k6 in batches.
 * - closed: every client sends its next request as soon as its last one ended, until `requests`
 *   have been taken;
 * - open: request i is due at i * intervalMs from the start (or at dueMs[i], a drawn or replayed
 *   schedule); it goes to a free client, or, when every client is busy, it is dropped (counted, never sent);
 * - conversations (closed): a client takes the next conversation and sends its turns one after the
 *   other, each after the think time, each carrying the conversation so far: every earlier message
 *   with the reply the server actually streamed (in a chat request's messages, or before a prompt).
 * `installStreamScheduler` is handed to page.evaluate as source text: it may use only its
 * argument and the page's globals, typed by the local interfaces below.
 */
import type { EngineResult, FromEngine, PortLike, ToEngine } from './engine.js';
import type { SseParser } from '../../../core/stream/sse.js';
import type { Chunk, StreamApi, StreamTimings } from '../../../core/stream/stream.js';
import type { ScheduleConfig, StreamPageResult, StreamScheduler } from './schedule-types.js';

export function installStreamScheduler(): boolean {
  interface Globals {
    performance: { now(): number; timeOrigin: number };
    setTimeout(f: () => void, ms: number): unknown;
    clearTimeout(t: unknown): void;
    __realizarK6Stream?: StreamScheduler;
  }
  const g = globalThis as unknown as Globals;
  const engines: PortLike[] = [];
  type Timings = (chunks: Chunk[], api: StreamApi, makeParser: () => SseParser, keepText: boolean) => StreamTimings;
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
  interface Message {
    role: string;
    content: string;
  }
  /** Conversations: bodies as sent to the engines (the first turns'), what each client's conversation holds so far. */
  let bodyTexts: string[] = [];
  const held: Array<{ session: number; turn: number; history: Message[]; base: Message[] } | null> = [];
  /** How many requests (or, with conversations, conversations) have been handed out. */
  const units = (): number => (config!.conversations === null ? config!.requests : config!.conversations.starts.length);

  const allEnded = (): boolean =>
    config !== null && next >= units() && finished === started && held.every((h) => h === null);
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

  const sendOn = (slot: number, n: number, text?: string): void => {
    const c = config!;
    busy[slot] = true;
    started++;
    const [path, body] = c.order[n]!;
    const m: ToEngine =
      text === undefined ? { t: 'send', n, slot, path, body } : { t: 'send', n, slot, path, body, text };
    engines[c.slotEngine[slot]!]!.postMessage(m);
  };

  /** A turn's body: the conversation so far before its own message(s), or before its prompt. */
  const turnText = (n: number, history: Message[]): { text: string; base: Message[] } => {
    const body = JSON.parse(bodyTexts[config!.order[n]![1]]!) as { messages?: Message[]; prompt?: string };
    const base = body.messages ?? [{ role: 'user', content: body.prompt ?? '' }];
    if (history.length === 0) return { text: bodyTexts[config!.order[n]![1]]!, base };
    if (body.messages !== undefined) body.messages = [...history, ...body.messages];
    else body.prompt = [...history.map((m) => m.content), body.prompt ?? ''].join('\n\n');
    return { text: JSON.stringify(body), base };
  };

  /** A client's next turn of its conversation, with what the conversation holds so far. */
  const sendTurn = (slot: number): void => {
    const h = held[slot]!;
    const n = config!.conversations!.starts[h.session]! + h.turn;
    const { text, base } = turnText(n, h.history);
    h.base = base;
    sendOn(slot, n, h.history.length === 0 ? undefined : text);
  };

  /** Closed model: the client takes the next request (or conversation), if any remain. */
  const nextOn = (slot: number): void => {
    if (stopped || next >= units()) return;
    if (config!.conversations === null) {
      sendOn(slot, next++);
      return;
    }
    held[slot] = { session: next++, turn: 0, history: [], base: [] };
    sendTurn(slot);
  };

  /** Conversations: the reply joins the client's conversation; its next turn after the think time, or the next one. */
  const afterTurn = (slot: number, reply: string): void => {
    const c = config!;
    const h = held[slot]!;
    h.history = [...h.history, ...h.base, { role: 'assistant', content: reply }];
    h.turn++;
    if (stopped || h.turn >= c.conversations!.turns[h.session]!) {
      held[slot] = null;
      nextOn(slot);
      return;
    }
    busy[slot] = true;
    g.setTimeout(() => {
      if (stopped) {
        held[slot] = null;
        settle();
      } else sendTurn(slot);
    }, c.conversations!.thinkMs);
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
    // many times slower and shares the CPU). A conversation's next turn needs this one's reply first.
    const talking = c.conversations !== null;
    if (c.model === 'closed' && !talking) nextOn(r.slot);
    const t = timings!(r.chunks, api, makeParser!, talking);
    if (talking) {
      const complete = r.status === 200 && r.error === null && t.error === null && t.done;
      afterTurn(r.slot, complete ? t.replyText : '');
      // The reply stays in the page: k6 records figures, not texts.
      t.replyText = '';
    }
    results.push({
      n: r.n,
      slot: r.slot,
      sentMs,
      sendWaitMs: r.sendWaitMs,
      lateMs,
      status: r.status,
      error: r.error,
      timings: t,
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
      bodyTexts = arg.engines[0]?.bodies ?? [];
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
      for (let i = 0; i < c.slotEngine.length; i++) {
        busy.push(false);
        held.push(null);
      }
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
