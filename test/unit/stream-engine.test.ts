/**
 * The in-browser half of the streamed-request engine, run as the browser gets it: bundled the way
 * k6 scripts are (esbuild, ES2020), each function's source text then evaluated in a fresh context
 * that has only a page's globals — which fails if the code reaches for anything outside itself —
 * and driven against a small local SSE server. Node has fetch, streams, message channels and
 * performance like a page; two host names of this machine stand for two origins.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import vm from 'node:vm';
import * as esbuild from 'esbuild';
import type { EngineSetup, PortLike } from '../../src/k6/lib/stream/engine.js';
import type { ScheduleConfig, StreamPageBatch, StreamScheduler } from '../../src/k6/lib/stream/schedule-types.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

/** The functions as the k6 bundle holds them, each cut loose from the bundle. */
async function bundledSources(): Promise<Record<'engine' | 'scheduler' | 'timings' | 'parser', string>> {
  const out = await esbuild.build({
    stdin: {
      contents: [
        `export { createStreamEngine } from './src/k6/lib/stream/engine.ts';`,
        `export { installStreamScheduler } from './src/k6/lib/stream/scheduler.ts';`,
        `export { streamTimings } from './src/core/stream/stream.ts';`,
        `export { createSseParser } from './src/core/stream/sse.ts';`,
      ].join('\n'),
      resolveDir: ROOT,
      loader: 'ts',
    },
    bundle: true,
    write: false,
    format: 'iife',
    globalName: 'bundle',
    platform: 'browser',
    target: 'es2020',
  });
  const box: { bundle?: Record<string, { toString(): string }> } = {};
  vm.runInNewContext(`${out.outputFiles[0]!.text}; this.bundle = bundle;`, box);
  const b = box.bundle!;
  return {
    engine: b['createStreamEngine']!.toString(),
    scheduler: b['installStreamScheduler']!.toString(),
    timings: b['streamTimings']!.toString(),
    parser: b['createSseParser']!.toString(),
  };
}

const channels: Array<{ port1: { close(): void }; port2: { close(): void } }> = [];

/** A scheduler and one engine per origin, each in a context of its own with a page's globals only. */
function browserLike(src: Record<'engine' | 'scheduler', string>, engines: number): StreamScheduler {
  const globals = () => ({
    fetch,
    TextDecoder,
    AbortController,
    performance,
    PerformanceObserver,
    setTimeout,
    clearTimeout,
    Promise,
    Map,
    Set,
  });
  const page = vm.createContext(globals());
  vm.runInContext(`(${src.scheduler})()`, page);
  const scheduler = (page as unknown as { __realizarK6Stream: StreamScheduler }).__realizarK6Stream;
  for (let i = 0; i < engines; i++) {
    const ch = new MessageChannel();
    channels.push(ch);
    const frame = vm.createContext(globals());
    (vm.runInContext(`(${src.engine})`, frame) as (port: PortLike) => void)(ch.port2 as unknown as PortLike);
    scheduler.addEngine(ch.port1 as unknown as PortLike);
  }
  return scheduler;
}

/** 3 tokens, 5 ms apart, after `holdMs`; counts what is in flight and which host each request named. */
function sseServer(holdMs: number) {
  const stats = { inFlight: 0, maxInFlight: 0, requests: 0, probes: 0, hosts: [] as string[] };
  const server = http.createServer((req, res) => {
    if (req.method === 'GET') {
      stats.probes++;
      res.end('ok');
      return;
    }
    stats.requests++;
    stats.hosts.push((req.headers.host ?? '').split(':')[0]!);
    stats.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    let i = 0;
    const tick = (): void => {
      if (i < 3) {
        res.write(`event: token\ndata: {"token_id":${i},"text":"x"}\n\n`);
        i++;
        setTimeout(tick, 5);
        return;
      }
      stats.inFlight--;
      res.end('event: done\ndata: {"num_generated":3}\n\n');
    };
    setTimeout(tick, holdMs);
  });
  return { server, stats };
}

async function listen(s: http.Server): Promise<number> {
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return (s.address() as AddressInfo).port;
}

async function drainAll(s: StreamScheduler): Promise<{ batches: StreamPageBatch[]; last: StreamPageBatch }> {
  const batches: StreamPageBatch[] = [];
  for (let i = 0; i < 200; i++) {
    const b = await s.drain(50);
    batches.push(b);
    if (b.done) return { batches, last: b };
  }
  throw new Error('the phase never finished');
}

describe('the in-browser stream engine', () => {
  let src: Record<'engine' | 'scheduler' | 'timings' | 'parser', string>;
  before(async () => {
    src = await bundledSources();
  });
  after(() => channels.forEach((c) => (c.port1.close(), c.port2.close())));

  const setup = (origin: string): EngineSetup => ({
    origin,
    headers: { 'Content-Type': 'application/json' },
    paths: ['/stream/generate'],
    bodies: ['{"prompt":"Hello"}'],
    timeoutMs: 5000,
  });
  /** Every engine set up for its origin, the scheduler given the code that times the streams. */
  const setUp = (s: StreamScheduler, origins: string[], waitMs = 5000): Promise<boolean> =>
    s.setup({
      engines: origins.map(setup),
      api: 'realizar',
      timingsSource: src.timings,
      parserSource: src.parser,
      waitMs,
    });
  const schedule = (o: Partial<ScheduleConfig>): ScheduleConfig => ({
    model: 'closed',
    requests: 7,
    intervalMs: 0,
    dueMs: null,
    slotEngine: [0, 0, 1],
    order: Array.from({ length: o.requests ?? 7 }, () => [0, 0] as [number, number]),
    deadlineMs: 10_000,
    conversations: null,
    ...o,
  });

  describe('closed model over two origins', () => {
    const { server, stats } = sseServer(20);
    let port = 0;
    before(async () => (port = await listen(server)));
    after(() => server.close());

    it('sends every request once, each client over its own origin, never more at once than clients', async () => {
      const s = browserLike(src, 2);
      assert.equal(await setUp(s, [`http://127.0.0.1:${port}`, `http://localhost:${port}`]), true);
      assert.equal(await s.warm('/health', [2, 1]), 3);
      s.start(schedule({}));
      const { batches, last } = await drainAll(s);
      const results = batches.flatMap((b) => b.results);
      assert.deepEqual(
        results.map((r) => r.n).sort((a, b) => a - b),
        [0, 1, 2, 3, 4, 5, 6],
      );
      assert.equal(stats.requests, 7);
      assert.equal(stats.maxInFlight, 3);
      assert.deepEqual([last.started, last.finished, last.dropped], [7, 7, 0]);
      // Client 2 is the second origin's: every request it sent named that host, and no other did.
      const slot2 = results.filter((r) => r.slot === 2).length;
      assert.ok(slot2 >= 1);
      assert.equal(stats.hosts.filter((h) => h === 'localhost').length, slot2);
      for (const r of results) {
        assert.equal(r.error, null);
        assert.deepEqual([r.status, r.timings.done, r.timings.outputTokens, r.timings.itlMs.length], [200, true, 3, 2]);
        // Wide bounds: the server holds 20 ms before the first token; this machine may be busy.
        assert.ok(r.timings.ttftMs! >= 19 && r.timings.ttftMs! < 2000, `ttft ${r.timings.ttftMs}`);
        assert.ok(r.sendWaitMs === null || r.sendWaitMs >= 0);
        assert.equal(r.lateMs, null, 'a closed client has no due time');
      }
      assert.ok(last.windowMs >= 20 * 3, `window ${last.windowMs}`);
      assert.ok(Math.abs(last.windowStartEpochMs - Date.now()) < 60_000);
    });
  });

  describe('open model', () => {
    const { server, stats } = sseServer(150);
    let port = 0;
    before(async () => (port = await listen(server)));
    after(() => server.close());

    it('drops an arrival that finds every client busy, and counts it instead of sending it', async () => {
      const s = browserLike(src, 1);
      assert.equal(await setUp(s, [`http://127.0.0.1:${port}`]), true);
      // 10 arrivals 10 ms apart, 2 clients, each stream lasting over 150 ms: only the first 2 go out.
      s.start(schedule({ model: 'open', requests: 10, intervalMs: 10, slotEngine: [0, 0] }));
      const { batches, last } = await drainAll(s);
      const dropped = batches.reduce((n, b) => n + b.dropped, 0);
      const sent = batches.flatMap((b) => b.results).length;
      assert.equal(sent + dropped, 10);
      assert.equal(sent, stats.requests);
      assert.ok(stats.maxInFlight <= 2);
      assert.ok(dropped >= 6, `${dropped} dropped`);
      assert.equal(last.started, sent);
      // Each sent request is timed against its due time, n intervals from the start (wide bound).
      for (const r of batches.flatMap((b) => b.results))
        assert.ok(r.lateMs !== null && r.lateMs >= 0 && r.lateMs < 2000, `request ${r.n} late by ${r.lateMs} ms`);
    });

    it('sends each request of a drawn schedule at its own due time, not on an even beat', async () => {
      const s = browserLike(src, 1);
      assert.equal(await setUp(s, [`http://127.0.0.1:${port}`]), true);
      // Two clients, requests due at 0 and 400 ms: both go out, the second not before its due time.
      const dueMs = [0, 400];
      const started = Date.now();
      s.start(schedule({ model: 'open', requests: 2, intervalMs: 1, dueMs, slotEngine: [0, 0] }));
      const { batches } = await drainAll(s);
      const results = batches.flatMap((b) => b.results).sort((a, b) => a.n - b.n);
      assert.equal(results.length, 2);
      assert.ok(
        results[1]!.sentMs >= 400,
        `the second request went out at ${results[1]!.sentMs} ms, before it was due`,
      );
      assert.ok(Date.now() - started >= 400);
      for (const r of results) assert.ok(r.lateMs !== null && r.lateMs < 2000, `request ${r.n} late by ${r.lateMs}`);
    });
  });

  describe('the deadline, and an engine that never answers', () => {
    const hung = http.createServer((req) => req.resume());
    let port = 0;
    before(async () => (port = await listen(hung)));
    after(() => {
      hung.closeAllConnections();
      hung.close();
    });

    it('aborts what is in flight at the deadline, starts nothing more, and says so in each result', async () => {
      const s = browserLike(src, 2);
      assert.equal(await setUp(s, [`http://127.0.0.1:${port}`, `http://localhost:${port}`]), true);
      s.start(schedule({ deadlineMs: 200 }));
      const { batches, last } = await drainAll(s);
      const results = batches.flatMap((b) => b.results);
      assert.equal(results.length, 3, 'one request per client was in flight; the other four never started');
      assert.equal(last.started, 3);
      for (const r of results) assert.match(r.error ?? '', /stopped at the end of the phase/);
    });

    it('reports a set-up that some engine did not answer', async () => {
      const s = browserLike(src, 1);
      const silent = new MessageChannel();
      channels.push(silent);
      s.addEngine(silent.port1 as unknown as PortLike);
      assert.equal(await setUp(s, [`http://127.0.0.1:${port}`, `http://127.0.0.1:${port}`], 300), false);
    });
  });

  describe('conversations', () => {
    /** An OpenAI chat stream whose reply to the n-th request is "reply-n"; keeps every body it got. */
    const got: Array<{ messages: Array<{ role: string; content: string }>; prompt?: string; at: number }> = [];
    const ends: number[] = [];
    const chat = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        if (req.method === 'GET') return res.end('ok');
        const n = got.push({ ...(JSON.parse(body) as { messages: [] }), at: Date.now() }) - 1;
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        const data = (o: unknown): string => `data: ${JSON.stringify(o)}\n\n`;
        res.write(data({ choices: [{ delta: { content: 'reply-' } }] }));
        setTimeout(() => {
          ends[n] = Date.now();
          res.end(data({ choices: [{ delta: { content: String(n) } }] }) + 'data: [DONE]\n\n');
        }, 5);
      });
    });
    let port = 0;
    before(async () => (port = await listen(chat)));
    after(() => chat.close());

    it("sends each turn after the think time with the conversation so far: the server's actual replies", async () => {
      const s = browserLike(src, 1);
      const bodies = ['u0', 'u1', 'u2', 'v0', 'v1'].map((u) =>
        JSON.stringify({ messages: [{ role: 'user', content: u }], stream: true }),
      );
      const engine = {
        origin: `http://127.0.0.1:${port}`,
        headers: {},
        paths: ['/v1/chat/completions'],
        bodies,
        timeoutMs: 5000,
      };
      const api = 'openai' as const;
      assert.equal(
        await s.setup({ engines: [engine], api, timingsSource: src.timings, parserSource: src.parser, waitMs: 5000 }),
        true,
      );
      // Two conversations (3 turns, then 2) held by one client, 50 ms of thinking before each later turn.
      const conversations = { starts: [0, 3], turns: [3, 2], thinkMs: 50 };
      const order = bodies.map((_, i) => [0, i] as [number, number]);
      s.start(schedule({ requests: 5, slotEngine: [0], order, conversations }));
      const { batches, last } = await drainAll(s);
      const results = batches.flatMap((b) => b.results);
      assert.deepEqual([results.length, last.started, last.finished], [5, 5, 5]);
      const sent = got.map((g) => g.messages.map((m) => `${m.role}:${m.content}`).join(' '));
      assert.deepEqual(sent, [
        'user:u0',
        'user:u0 assistant:reply-0 user:u1',
        'user:u0 assistant:reply-0 user:u1 assistant:reply-1 user:u2',
        'user:v0',
        'user:v0 assistant:reply-3 user:v1',
      ]);
      // Think time between a reply's end and the next turn; none before a conversation's first turn.
      assert.ok(got[1]!.at - ends[0]! >= 45, `turn 2 after ${got[1]!.at - ends[0]!} ms`);
      assert.ok(got[4]!.at - ends[3]! >= 45);
      for (const r of results) assert.equal(r.timings.replyText, '', 'the reply stays in the page');
    });
  });
});
