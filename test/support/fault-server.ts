/**
 * TEST-ONLY SERVER. Not a stand-in for Realizar in any real run: the toolkit always loads the real
 * Realizar. This small server speaks the same native API and exists only so that tests can inject
 * what no real server does on demand: schema-breaking 200s, 5xx at a known rate, fixed latency,
 * dying after N requests, never becoming healthy. It counts what it received and answered
 * (GET /__counts) so tests can compare k6's counts with the server's.
 *
 *   node --import tsx test/support/fault-server.ts --port N [--bad-body-every K] [--error-every K]
 *        [--latency-ms MS] [--die-after N] [--never-healthy]
 */
import http from 'node:http';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    host: { type: 'string', default: '127.0.0.1' },
    'bad-body-every': { type: 'string', default: '0' },
    'error-every': { type: 'string', default: '0' },
    'latency-ms': { type: 'string', default: '0' },
    'die-after': { type: 'string', default: '0' },
    'never-healthy': { type: 'boolean', default: false },
  },
});
if (values.port === undefined) throw new Error('--port is required');
const badBodyEvery = Number(values['bad-body-every']);
const errorEvery = Number(values['error-every']);
const latencyMs = Number(values['latency-ms']);
const dieAfter = Number(values['die-after']);

const counts = { received: 0, answered: 0, byPath: {} as Record<string, number> };
let loadRequests = 0;

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
    default:
      return null;
  }
}

const server = http.createServer((req, res) => {
  const path = (req.url ?? '/').split('?')[0]!;
  let raw = '';
  req.on('data', (c: Buffer) => (raw += c.toString()));
  req.on('end', () => {
    if (path === '/__counts') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(counts));
      return;
    }
    counts.received++;
    counts.byPath[path] = (counts.byPath[path] ?? 0) + 1;
    // The runner's readiness probes are not load: count only what k6 sends for the budget below.
    const isProbe = path === '/health' && !(req.headers['user-agent'] ?? '').includes('k6');
    const n = isProbe ? 0 : ++loadRequests;
    const answer = (status: number, payload: unknown): void => {
      setTimeout(() => {
        res.statusCode = status;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(payload));
        counts.answered++;
        if (dieAfter > 0 && n === dieAfter) {
          process.stderr.write(`fault-server: dying after ${n} requests as asked\n`);
          process.exit(3);
        }
      }, latencyMs);
    };
    if (path === '/health' && values['never-healthy']) return answer(503, { error: 'not ready (as asked)' });
    let body: Record<string, unknown> = {};
    try {
      body = raw === '' ? {} : (JSON.parse(raw) as Record<string, unknown>);
    } catch {
      return answer(422, { error: 'bad json' });
    }
    const good = ok(path, body);
    if (good === null) return answer(404, { error: 'not found', message: path });
    if (!isProbe && errorEvery > 0 && n % errorEvery === 0) return answer(500, { error: 'injected failure' });
    if (!isProbe && badBodyEvery > 0 && n % badBodyEvery === 0) return answer(200, { unexpected: 'shape' });
    return answer(200, good);
  });
});

server.listen(Number(values.port), values.host, () => process.stderr.write(`fault-server listening on ${values.host}:${values.port}\n`));
for (const sig of ['SIGTERM', 'SIGINT'] as const) process.on(sig, () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
