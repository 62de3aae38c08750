/**
 * TEST-ONLY SERVER: an OpenAI-compatible chat endpoint whose every reply is different and known
 * ("reply-N" to the N-th request, 0-based), so a test can check that a conversation's later turns
 * carry the replies the server actually sent, and not the dataset's or none. It writes every request
 * body it received, one JSON line each, to --record FILE as it arrives.
 *
 *   node --import tsx test/support/chat-server.ts --port N --record FILE
 *
 * GET /v1/models answers a list of one model; POST /v1/chat/completions answers the chat completion,
 * or with stream: true the same reply as two content deltas, a usage chunk and [DONE]. usage counts
 * every word of the request's messages as a prompt token and 2 completion tokens.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';

const arg = (name: string): string => {
  const i = process.argv.indexOf(name);
  if (i < 0 || process.argv[i + 1] === undefined) throw new Error(`${name} is required`);
  return process.argv[i + 1]!;
};
const port = Number(arg('--port'));
const record = arg('--record');
writeFileSync(record, '');

let served = 0;
const json = (res: http.ServerResponse, body: unknown): void => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

http
  .createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      if (req.method === 'GET' && req.url === '/v1/models') return json(res, { object: 'list', data: [{ id: 'm' }] });
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        res.writeHead(404);
        return res.end();
      }
      appendFileSync(record, `${text.replace(/\n/g, ' ')}\n`);
      const body = JSON.parse(text) as { messages: Array<{ content: string }>; stream?: boolean };
      const reply = `reply-${served++}`;
      const words = body.messages.reduce((n, m) => n + m.content.split(/\s+/).filter((w) => w !== '').length, 0);
      const usage = { prompt_tokens: words, completion_tokens: 2, total_tokens: words + 2 };
      if (body.stream !== true)
        return json(res, { choices: [{ index: 0, message: { role: 'assistant', content: reply } }], usage });
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const data = (o: unknown): string => `data: ${JSON.stringify(o)}\n\n`;
      res.write(data({ choices: [{ delta: { role: 'assistant' } }] }));
      res.write(data({ choices: [{ delta: { content: 'reply-' } }] }));
      setTimeout(() => {
        res.end(
          data({ choices: [{ delta: { content: reply.slice(6) } }] }) +
            data({ choices: [], usage }) +
            'data: [DONE]\n\n',
        );
      }, 5);
    });
  })
  .listen(port, '127.0.0.1');
