import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSseParser } from '../../src/core/stream/sse.js';
import { streamTimings } from '../../src/core/stream/stream.js';

const tok = (text = 'x'): string => `event: token\ndata: {"token_id":1,"text":"${text}"}\n\n`;
const done = (n: number): string => `event: done\ndata: {"num_generated":${n}}\n\n`;

describe('parsing Server-Sent Events', () => {
  it('reads several events from one chunk and one event split across chunks', () => {
    const p = createSseParser();
    assert.deepEqual(p.push('event: token\ndata: {"a":1}\n\nevent: tok'), [{ event: 'token', data: '{"a":1}' }]);
    assert.deepEqual(p.push('en\ndata: {"b":'), []);
    assert.deepEqual(p.push('2}\n\n'), [{ event: 'token', data: '{"b":2}' }]);
  });

  it('joins data lines, skips comments, defaults the type to message and accepts CRLF, even split', () => {
    const p = createSseParser();
    assert.deepEqual(p.push(': keep-alive\r\ndata: a\r\ndata: b\r'), []);
    assert.deepEqual(p.push('\n\r\n'), [{ event: 'message', data: 'a\nb' }]);
  });
});

describe('timing a streamed generation', () => {
  it("takes TTFT from the first token, not from an empty first chunk, and counts from the server's done event", () => {
    const t = streamTimings(
      [
        { tMs: 5, text: ': connected\n\n' },
        { tMs: 40, text: tok() },
        { tMs: 60, text: tok() },
        { tMs: 90, text: tok() + done(3) },
      ],
      'realizar',
    );
    assert.deepEqual(
      [t.ttftMs, t.itlMs, t.e2eMs, t.outputTokens, t.countedFrom, t.done],
      [40, [20, 30], 90, 3, 'server', true],
    );
  });

  it('spreads a multi-token chunk over its tokens instead of reading them as instant', () => {
    const t = streamTimings(
      [
        { tMs: 10, text: tok() + tok() },
        { tMs: 40, text: tok() + tok() + tok() },
        { tMs: 41, text: done(5) },
      ],
      'realizar',
    );
    assert.deepEqual(t.itlMs, [0, 10, 10, 10]);
    assert.equal(t.ttftMs, 10);
    assert.equal(t.streamedTokens, 5);
  });

  it("prefers the server's count to the chunks when they differ, and says which it used", () => {
    const server = streamTimings([{ tMs: 10, text: tok() + done(7) }], 'realizar');
    assert.deepEqual([server.outputTokens, server.streamedTokens, server.countedFrom], [7, 1, 'server']);
    const stream = streamTimings([{ tMs: 10, text: tok() + tok() }], 'realizar');
    assert.deepEqual([stream.outputTokens, stream.countedFrom, stream.done], [2, 'stream', false]);
  });

  it('treats an OpenAI role-only first chunk as no token and reads usage for the count', () => {
    const chunk = (o: unknown): string => `data: ${JSON.stringify(o)}\n\n`;
    const t = streamTimings(
      [
        { tMs: 8, text: chunk({ choices: [{ delta: { role: 'assistant' } }] }) },
        { tMs: 30, text: chunk({ choices: [{ delta: { content: 'Hi' } }] }) },
        { tMs: 45, text: chunk({ choices: [{ delta: { content: '!' } }] }) },
        { tMs: 50, text: chunk({ choices: [], usage: { completion_tokens: 2 } }) + 'data: [DONE]\n\n' },
      ],
      'openai',
    );
    assert.deepEqual([t.ttftMs, t.itlMs, t.outputTokens, t.countedFrom, t.done], [30, [15], 2, 'server', true]);
  });

  it('reports an error event and a stream with no token', () => {
    const t = streamTimings([{ tMs: 3, text: 'event: error\ndata: {"error":"boom"}\n\n' }], 'realizar');
    assert.deepEqual([t.ttftMs, t.outputTokens, t.error], [null, 0, '{"error":"boom"}']);
  });
});
