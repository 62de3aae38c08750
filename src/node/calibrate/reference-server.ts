/**
 * The toolkit's reference stream server: not a stand-in for any real server. It exists because a
 * streamed measurement can only be judged against a clock that knows the truth: no real server
 * streams at a set pace, and none says when it actually wrote each event. This one streams every
 * request the same way — the first token a set time after the request got a slot, then one token per
 * set gap, then the end event — and records, on its own monotonic clock, when each request arrived,
 * got a slot, and when each write actually happened (on a busy machine its timers run late too, so
 * the schedule is not the truth; the writes are).
 *
 * Three users: the measurement floor of every streamed run (--calibrate, src/node/calibrate/floor.ts:
 * the client's figures against these writes, on the run's machine at its concurrency), the accuracy
 * benchmark (bench/stream-accuracy.ts), and the tests. With --slots N it serves N streams at a time
 * and queues the rest, as llama-server does with its slots; its OpenAI streams end with llama.cpp's
 * `timings` (prompt_n, prompt_ms, predicted_n, predicted_ms, predicted_per_token_ms, cache_n) measured
 * from its own writes, so the per-request join can be checked against a known queue, prefill and decode.
 *
 *   node --import tsx src/node/calibrate/reference-server.ts --port N
 *        [--first-token-ms 100] [--gap-ms 20] [--tokens 16] [--slots 0] [--host 127.0.0.1] [--server-timing]
 *
 * `--first-token-ms` is the prefill: from a slot to the first token. `--slots 0` (the default): no
 * limit, no queue.
 *
 * Routes: GET /health (Realizar's shape), GET /v1/models, POST /stream/generate (Realizar's SSE:
 * `event: token` per token, then `event: done` with num_generated), POST /v1/chat/completions with
 * stream: true (OpenAI chunks, a usage chunk with timings, then [DONE]), POST /v1/completions and
 * /v1/chat/completions without stream (one answer when the last token is due, with the same timings
 * and usage; with --server-timing also a `Server-Timing: queue;dur=…, prefill;dur=…, decode;dur=…`
 * header of the same writes, which no real server here sends); GET /__truth gives what it
 * recorded (times in ms on its clock, performance.now(); timeOriginMs turns them into epoch ms), POST
 * /__reset forgets it. Each request's X-Request-Id, when sent, is recorded with it.
 *
 * Every event is its own write on a socket with Nagle's algorithm off (TCP_NODELAY), so that an
 * event leaves when written instead of waiting for the previous one to be acknowledged.
 */
import http from 'node:http';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    host: { type: 'string', default: '127.0.0.1' },
    'first-token-ms': { type: 'string', default: '100' },
    'gap-ms': { type: 'string', default: '20' },
    tokens: { type: 'string', default: '16' },
    slots: { type: 'string', default: '0' },
    'server-timing': { type: 'boolean', default: false },
  },
});
const number = (flag: 'first-token-ms' | 'gap-ms' | 'tokens' | 'slots', min: number): number => {
  const n = Number(values[flag]);
  if (!Number.isFinite(n) || n < min) throw new Error(`--${flag}: expected a number >= ${min}, found ${values[flag]}`);
  return n;
};
if (values.port === undefined) throw new Error('--port is required');
const FIRST_TOKEN_MS = number('first-token-ms', 0);
const GAP_MS = number('gap-ms', 0);
const TOKENS = Math.round(number('tokens', 1));
const SLOTS = Math.round(number('slots', 0));
const SERVER_TIMING = values['server-timing'] === true;

/** One streamed request as this server saw it; times in ms on performance.now(). */
interface Recorded {
  path: string;
  /** When the request's headers had arrived. */
  arrivedMs: number;
  /** When it got a slot (= arrivedMs without --slots). */
  startedMs: number | null;
  requestId: string | null;
  /** When each token event was written. */
  tokenWritesMs: number[];
  /** When the end of the stream was written (null: the client went away first). */
  endMs: number | null;
  aborted: boolean;
}

let recorded: Recorded[] = [];
const probes = { health: 0, models: 0 };

let busy = 0;
const waiting: Array<() => void> = [];

/** Run `start` when a slot is free (at once without --slots); `free` gives the slot back. */
function withSlot(start: () => void): void {
  if (SLOTS === 0 || busy < SLOTS) {
    busy++;
    start();
  } else waiting.push(start);
}
function freeSlot(): void {
  const next = waiting.shift();
  if (next !== undefined) next();
  else busy--;
}

/** One request, streamed or answered at once, on the same schedule and with the same truth recorded. */
function stream(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  format: 'realizar' | 'openai' | 'completion' | 'chat',
  arrivedMs: number,
): void {
  const streamed = format === 'realizar' || format === 'openai';
  const id = req.headers['x-request-id'];
  const rec: Recorded = {
    path: req.url ?? '',
    arrivedMs,
    startedMs: null,
    requestId: typeof id === 'string' ? id : null,
    tokenWritesMs: [],
    endMs: null,
    aborted: false,
  };
  recorded.push(rec);
  if (streamed) {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.flushHeaders();
  }
  const chunk = (fields: object): string =>
    `data: ${JSON.stringify({ id: 'truth', object: 'chat.completion.chunk', ...fields })}\n\n`;
  const token = (i: number): string => {
    if (format === 'realizar') return `event: token\ndata: {"token_id":${7 + i},"text":"t${i}"}\n\n`;
    const delta = i === 0 ? { role: 'assistant', content: `t${i}` } : { content: `t${i}` };
    return chunk({ choices: [{ index: 0, delta, finish_reason: null }] });
  };
  const usage = { prompt_tokens: 1, completion_tokens: TOKENS, total_tokens: TOKENS + 1 };
  // llama.cpp's timings, from this server's own writes: prefill from the slot to the first token,
  // decoding from the first token to the last.
  const timings = (): object => {
    const w = rec.tokenWritesMs;
    const predicted = w[w.length - 1]! - w[0]!;
    return {
      cache_n: 0,
      prompt_n: 1,
      prompt_ms: w[0]! - rec.startedMs!,
      predicted_n: w.length,
      predicted_ms: predicted,
      predicted_per_token_ms: w.length > 1 ? predicted / (w.length - 1) : 0,
    };
  };
  /** Not streamed: the whole answer at once, its tokens' times being when each was due and passed. */
  const answer = (): void => {
    const text = Array.from({ length: TOKENS }, (_, i) => `t${i}`).join(' ');
    const choice = format === 'chat' ? { message: { role: 'assistant', content: text } } : { text };
    const w = rec.tokenWritesMs;
    const header = SERVER_TIMING
      ? {
          'server-timing':
            `queue;dur=${(rec.startedMs! - rec.arrivedMs).toFixed(3)};desc="waiting for a slot", ` +
            `prefill;dur=${(w[0]! - rec.startedMs!).toFixed(3)}, decode;dur=${(w[w.length - 1]! - w[0]!).toFixed(3)}`,
        }
      : {};
    res.writeHead(200, { 'content-type': 'application/json', ...header });
    const object = format === 'chat' ? 'chat.completion' : 'text_completion';
    const choices = [{ index: 0, finish_reason: 'length', ...choice }];
    res.end(JSON.stringify({ id: `truth-${recorded.indexOf(rec)}`, object, choices, usage, timings: timings() }));
  };
  const end = (): string =>
    format === 'realizar'
      ? `event: done\ndata: {"num_generated":${TOKENS}}\n\n`
      : `${chunk({ choices: [], usage, timings: timings() })}data: [DONE]\n\n`;
  let timer: NodeJS.Timeout | null = null;
  let holding = false;
  const release = (): void => {
    if (holding) freeSlot();
    holding = false;
  };
  res.on('close', () => {
    if (rec.endMs === null) rec.aborted = true;
    if (timer !== null) clearTimeout(timer);
    release();
  });
  // Each write is due at a fixed offset from the slot, not from the previous write, so a late
  // timer does not push every later token back; what is recorded is when the write happened.
  // Node's timers count from the event loop's cached millisecond clock, so one may fire a
  // millisecond or more early: it is then set again for what is left, and no write is ever early.
  const next = (i: number, fromMs: number): void => {
    const due = fromMs + FIRST_TOKEN_MS + i * GAP_MS;
    const arm = (): void => {
      timer = setTimeout(fire, Math.max(0, due - performance.now()));
    };
    const fire = (): void => {
      if (rec.aborted) return;
      if (performance.now() < due) return arm();
      if (streamed) res.write(token(i));
      rec.tokenWritesMs.push(performance.now());
      if (i + 1 < TOKENS) return next(i + 1, fromMs);
      if (streamed) res.end(end());
      else answer();
      rec.endMs = performance.now();
      release();
    };
    arm();
  };
  withSlot(() => {
    if (rec.aborted) return freeSlot();
    holding = true;
    rec.startedMs = performance.now();
    next(0, rec.startedMs);
  });
}

const server = http.createServer({ noDelay: true }, (req, res) => {
  const arrivedMs = performance.now();
  const path = (req.url ?? '/').split('?')[0]!;
  let raw = '';
  req.on('data', (c: Buffer) => (raw += c.toString()));
  req.on('end', () => {
    const json = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && path === '/__truth')
      return json(200, {
        firstTokenMs: FIRST_TOKEN_MS,
        gapMs: GAP_MS,
        tokens: TOKENS,
        slots: SLOTS,
        timeOriginMs: performance.timeOrigin,
        probes,
        requests: recorded,
      });
    if (req.method === 'POST' && path === '/__reset') {
      recorded = [];
      return json(200, { reset: true });
    }
    if (path === '/health') {
      probes.health++;
      return json(200, { status: 'healthy', version: 'reference-server', compute_mode: 'cpu' });
    }
    if (path === '/v1/models') {
      probes.models++;
      return json(200, { object: 'list', data: [{ id: 'truth', object: 'model' }] });
    }
    let body: Record<string, unknown> = {};
    try {
      body = raw === '' ? {} : (JSON.parse(raw) as Record<string, unknown>);
    } catch {
      return json(422, { error: 'the body is not JSON' });
    }
    if (req.method === 'POST' && path === '/stream/generate') return stream(req, res, 'realizar', arrivedMs);
    if (req.method === 'POST' && path === '/v1/chat/completions')
      return stream(req, res, body['stream'] === true ? 'openai' : 'chat', arrivedMs);
    if (req.method === 'POST' && path === '/v1/completions') return stream(req, res, 'completion', arrivedMs);
    return json(404, { error: 'not found', message: path });
  });
});
// Nagle off on every accepted socket as well (noDelay above is the same switch, said twice on purpose:
// older Node versions ignore the option).
server.on('connection', (socket) => socket.setNoDelay(true));
server.keepAliveTimeout = 120_000;
server.listen(Number(values.port), values.host, () =>
  process.stderr.write(`reference-server listening on ${values.host}:${values.port}\n`),
);
for (const sig of ['SIGTERM', 'SIGINT'] as const) {
  process.on(sig, () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}
