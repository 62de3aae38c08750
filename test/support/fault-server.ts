/**
 * TEST-ONLY SERVER. Not a stand-in for Realizar in any real run: the toolkit always loads the real
 * Realizar. This small server speaks the same native API and exists only so that tests can inject
 * what no real server does on demand — a known latency distribution, 5xx at a known rate,
 * schema-breaking 200s, connection resets, requests that hang, dying after N requests, never
 * becoming healthy — and so that they can compare k6's counts with the server's own
 * (GET /__counts).
 *
 *   node --import tsx test/support/fault-server.ts --port N
 *        [--latency MS | --latency MS:WEIGHT,MS:WEIGHT]   e.g. 20:90,200:10
 *        [--error-every K] [--bad-body-every K] [--reset-every K] [--hang-every K]
 *        [--die-after N] [--never-healthy] [--leak-kb-per-request KB]
 *        [--stream-chunks MS:TOKENS,...] [--stream-done N] [--record-arrivals]
 *
 * The OpenAI-compatible routes answer too: GET /v1/models, POST /v1/completions (one choice per
 * prompt) and POST /v1/chat/completions with stream: true, whose chunks follow --stream-chunks in
 * OpenAI's format (a 0 item is a role-only delta; then a usage chunk and [DONE]). Requests that
 * carry a bearer token are counted (load.bearer), never its value.
 *
 * POST /stream/generate answers Server-Sent Events in Realizar's format, one network chunk per
 * MS:TOKENS item: after MS milliseconds, TOKENS token events in one write (0: an empty chunk, an
 * SSE comment), then the done event with num_generated (the tokens sent, or --stream-done N).
 *
 * Faults are deterministic: "every K" counts load requests (those k6 sends; the runner's own
 * health probes are not load), and a latency distribution is spread evenly over the requests, so
 * a test knows exactly what the truth is.
 *
 * With --record-arrivals it also notes when each load request arrived, on its own monotonic clock
 * (performance.now(), ms; timeOriginMs turns them into epoch ms): what a drawn arrival schedule
 * (--arrivals, --trace) looked like from the server's side, which no real server reports. GET
 * /__arrivals gives them in order of arrival, DELETE /__arrivals forgets them (after a warm-up).
 */
import http from 'node:http';
import type { Command } from '../../src/node/flags/declare.js';
import { parseFlags } from '../../src/node/flags/declare.js';

/** This server's flags, declared once like the toolkit's own commands (src/node/flags). */
const FAULT_SERVER: Command = {
  usage: ['node --import tsx test/support/fault-server.ts --port N [options]'],
  positionals: { min: 0, max: 0, what: 'options only' },
  groups: [
    {
      title: 'options',
      flags: [
        { name: '--port', arg: 'N', help: 'port to listen on (required)' },
        { name: '--host', arg: 'HOST', help: 'address to listen on (default 127.0.0.1)' },
        { name: '--latency', arg: 'MS[:WEIGHT],...', help: 'latency per load request, e.g. 20:90,200:10' },
        { name: '--error-every', arg: 'K', help: 'every K-th load request answers 500' },
        { name: '--bad-body-every', arg: 'K', help: 'every K-th answers 200 with a body that breaks the schema' },
        { name: '--reset-every', arg: 'K', help: 'every K-th connection is reset' },
        { name: '--hang-every', arg: 'K', help: 'every K-th never answers' },
        { name: '--die-after', arg: 'N', help: 'exit after N load requests' },
        { name: '--never-healthy', help: '/health never answers 200' },
        { name: '--leak-kb-per-request', arg: 'KB', help: 'keep KB of memory per load request' },
        { name: '--stream-chunks', arg: 'MS:TOKENS,...', help: 'the chunks of a stream (default 0:5)' },
        { name: '--stream-done', arg: 'N', help: 'num_generated in the done event (default: the tokens sent)' },
        { name: '--record-arrivals', help: 'note when each load request arrived (GET /__arrivals)' },
      ],
    },
  ],
};

const flags = parseFlags(FAULT_SERVER, process.argv.slice(2));
const values = {
  port: flags.text('--port'),
  host: flags.text('--host') ?? '127.0.0.1',
  latency: flags.text('--latency') ?? '0',
  'error-every': flags.text('--error-every') ?? '0',
  'bad-body-every': flags.text('--bad-body-every') ?? '0',
  'reset-every': flags.text('--reset-every') ?? '0',
  'hang-every': flags.text('--hang-every') ?? '0',
  'die-after': flags.text('--die-after') ?? '0',
  'never-healthy': flags.has('--never-healthy'),
  'leak-kb-per-request': flags.text('--leak-kb-per-request') ?? '0',
  'stream-chunks': flags.text('--stream-chunks') ?? '0:5',
  'stream-done': flags.text('--stream-done'),
  'record-arrivals': flags.has('--record-arrivals'),
};
flags.done();
if (values.port === undefined) throw new Error('--port is required');
const every = (flag: string): number => Number(values[flag as keyof typeof values] ?? 0);
const errorEvery = every('error-every');
const badBodyEvery = every('bad-body-every');
const resetEvery = every('reset-every');
const hangEvery = every('hang-every');
const dieAfter = every('die-after');
const leakKb = every('leak-kb-per-request');
/** A planted leak: memory kept for every load request, touched so that it is resident. */
const leaked: Buffer[] = [];

/** Latency per load request: smooth weighted round-robin over the distribution's buckets. */
const buckets = values.latency.split(',').map((part) => {
  const [ms, weight] = part.split(':');
  return { ms: Number(ms), weight: weight === undefined ? 1 : Number(weight) };
});
if (buckets.some((b) => !Number.isFinite(b.ms) || !Number.isFinite(b.weight) || b.weight <= 0))
  throw new Error(`bad --latency ${values.latency}`);
const current = buckets.map(() => 0);
const totalWeight = buckets.reduce((n, b) => n + b.weight, 0);
function nextLatency(): number {
  let best = 0;
  buckets.forEach((b, i) => {
    current[i]! += b.weight;
    if (current[i]! > current[best]!) best = i;
  });
  current[best]! -= totalWeight;
  return buckets[best]!.ms;
}

/**
 * Answer `ms` after now, to within a fraction of a millisecond: a plain setTimeout fires a
 * millisecond or two late on a busy machine, which would make the injected "truth" itself wrong.
 * The timer covers most of the wait; the event loop is then polled (not blocked) until the moment.
 */
function after(ms: number, fn: () => void): void {
  const due = performance.now() + ms;
  const poll = (): void => {
    if (performance.now() >= due) fn();
    else setImmediate(poll);
  };
  if (ms > 3) setTimeout(poll, ms - 3);
  else poll();
}

/** When load requests arrived (ms, performance.now()): the first MAX_ARRIVALS; `overflow` counts the rest. */
const MAX_ARRIVALS = 1_000_000;
const arrivals = { ms: [] as number[], overflow: 0 };

const counts = {
  /** Every request, probes included. */
  received: 0,
  byPath: {} as Record<string, number>,
  /** Requests k6 sent, and what this server did with them. */
  load: { received: 0, ok: 0, error5xx: 0, badBody: 0, reset: 0, hung: 0, bearer: 0 },
  /** The prompts of load requests, in arrival order (the first 10,000). */
  prompts: [] as string[],
};

function ok(path: string, body: Record<string, unknown>): unknown {
  switch (path) {
    case '/health':
      return { status: 'healthy', version: 'fault-server', compute_mode: 'cpu' };
    case '/tokenize':
      return { token_ids: [1, 2, 3], num_tokens: 3 };
    case '/generate':
      return { token_ids: [4, 5], text: ' ok', num_generated: 2 };
    case '/batch/tokenize':
      return { results: (body['texts'] as unknown[]).map(() => ({ token_ids: [1], num_tokens: 1 })) };
    case '/batch/generate':
      return { results: (body['prompts'] as unknown[]).map(() => ({ token_ids: [4], text: ' ok', num_generated: 1 })) };
    case '/v1/models':
      return { object: 'list', data: [{ id: 'fault', object: 'model' }] };
    case '/v1/completions': {
      const prompts = Array.isArray(body['prompt']) ? body['prompt'] : [body['prompt']];
      return {
        choices: prompts.map((_, index) => ({ text: ' ok', index })),
        usage: { completion_tokens: 2 * prompts.length },
      };
    }
    default:
      return null;
  }
}

const streamChunks = values['stream-chunks'].split(',').map((part) => {
  const [ms, tokens] = part.split(':').map(Number);
  if (!Number.isFinite(ms) || !Number.isInteger(tokens))
    throw new Error(`bad --stream-chunks ${values['stream-chunks']}`);
  return { ms: ms!, tokens: tokens! };
});

const openaiChunk = (delta: Record<string, unknown>): string =>
  `data: ${JSON.stringify({ choices: [{ index: 0, delta }] })}\n\n`;

/** One chunk per item of --stream-chunks, each written at its own time, then the end of stream. */
function stream(res: http.ServerResponse, format: 'realizar' | 'openai'): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.flushHeaders();
  const sent = streamChunks.reduce((n, c) => n + c.tokens, 0);
  const total = values['stream-done'] === undefined ? sent : Number(values['stream-done']);
  const write = (i: number): void => {
    const c = streamChunks[i];
    if (c === undefined) {
      res.end(
        format === 'realizar'
          ? `event: done\ndata: {"num_generated":${total}}\n\n`
          : `data: ${JSON.stringify({ choices: [], usage: { completion_tokens: total } })}\n\ndata: [DONE]\n\n`,
      );
      counts.load.ok++;
      return;
    }
    after(c.ms, () => {
      if (format === 'realizar')
        res.write(
          c.tokens === 0 ? ': nothing yet\n\n' : 'event: token\ndata: {"token_id":7,"text":"x"}\n\n'.repeat(c.tokens),
        );
      else
        res.write(c.tokens === 0 ? openaiChunk({ role: 'assistant' }) : openaiChunk({ content: 'x' }).repeat(c.tokens));
      write(i + 1);
    });
  };
  write(0);
}

/** GET: the arrivals in order (noted when each body ended, so not always in order); DELETE: forget them. */
function arrivalsRoute(method: string, res: http.ServerResponse): void {
  res.setHeader('content-type', 'application/json');
  if (!values['record-arrivals']) {
    res.statusCode = 404;
    res.end(JSON.stringify({ error: 'not recording arrivals: start the server with --record-arrivals' }));
  } else if (method === 'DELETE') {
    arrivals.ms = [];
    arrivals.overflow = 0;
    res.end(JSON.stringify({ forgotten: true }));
  } else {
    const arrivalsMs = [...arrivals.ms].sort((a, b) => a - b);
    res.end(JSON.stringify({ timeOriginMs: performance.timeOrigin, arrivalsMs, overflow: arrivals.overflow }));
  }
}

const server = http.createServer((req, res) => {
  // When the request's headers were in: its arrival, before reading the body or any injected delay.
  const arrivedMs = performance.now();
  const path = (req.url ?? '/').split('?')[0]!;
  let raw = '';
  req.on('data', (c: Buffer) => (raw += c.toString()));
  req.on('end', () => {
    if (path === '/__counts') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(counts));
      return;
    }
    if (path === '/__arrivals') return arrivalsRoute(req.method ?? 'GET', res);
    counts.received++;
    counts.byPath[path] = (counts.byPath[path] ?? 0) + 1;
    // k6 sends load with its own user agent; streams come from the browser k6 drives.
    const isLoad =
      (req.headers['user-agent'] ?? '').includes('k6') ||
      path === '/stream/generate' ||
      path === '/v1/chat/completions';
    if (isLoad && /^Bearer \S+$/.test(req.headers['authorization'] ?? '')) counts.load.bearer++;
    if (isLoad && values['record-arrivals']) {
      if (arrivals.ms.length < MAX_ARRIVALS) arrivals.ms.push(arrivedMs);
      else arrivals.overflow++;
    }
    const n = isLoad ? ++counts.load.received : 0;
    if (isLoad && leakKb > 0) leaked.push(Buffer.allocUnsafe(leakKb * 1024).fill(n % 251));
    const hit = (k: number): boolean => isLoad && k > 0 && n % k === 0;

    const answer = (status: number, payload: unknown, kind: 'ok' | 'error5xx' | 'badBody' | null): void => {
      after(isLoad ? nextLatency() : 0, () => {
        res.statusCode = status;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(payload));
        if (isLoad && kind !== null) counts.load[kind]++;
        if (dieAfter > 0 && n === dieAfter) {
          process.stderr.write(`fault-server: dying after ${n} requests as asked\n`);
          process.exit(3);
        }
      });
    };

    if (path === '/health' && values['never-healthy']) return answer(503, { error: 'not ready (as asked)' }, null);
    if (hit(resetEvery)) {
      counts.load.reset++;
      req.socket.destroy();
      return;
    }
    if (hit(hangEvery)) {
      counts.load.hung++;
      return; // never answered; the client's timeout ends it
    }
    let body: Record<string, unknown> = {};
    try {
      body = raw === '' ? {} : (JSON.parse(raw) as Record<string, unknown>);
    } catch {
      return answer(422, { error: 'bad json' }, null);
    }
    if (path === '/stream/generate') return stream(res, 'realizar');
    if (path === '/v1/chat/completions' && body['stream'] === true) return stream(res, 'openai');
    if (isLoad && typeof body['prompt'] === 'string' && counts.prompts.length < 10_000)
      counts.prompts.push(body['prompt']);
    const good = ok(path, body);
    if (good === null) return answer(404, { error: 'not found', message: path }, null);
    if (hit(errorEvery)) return answer(500, { error: 'injected failure' }, 'error5xx');
    if (hit(badBodyEvery)) return answer(200, { unexpected: 'shape' }, 'badBody');
    return answer(200, good, 'ok');
  });
});

server.listen(Number(values.port), values.host, () =>
  process.stderr.write(`fault-server listening on ${values.host}:${values.port}\n`),
);
for (const sig of ['SIGTERM', 'SIGINT'] as const) {
  process.on(sig, () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}
