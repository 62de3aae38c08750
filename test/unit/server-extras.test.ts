import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Endpoint } from '../../src/k6/lib/endpoints.js';
import { requestExtras, type ServerKind } from '../../src/core/target/servers.js';
import { withExtras } from '../../src/k6/lib/server-extras.js';

const endpoint = (over: Partial<Endpoint>): Endpoint => ({
  name: 'generate',
  method: 'POST',
  path: '/v1/completions',
  body: (n) => ({ prompt: `p${n}`, max_tokens: 5 }),
  accepts: () => true,
  tokens: () => 0,
  ...over,
});

/** Each endpoint as a run against `server` sends it. */
const withServerExtras = <K extends string>(catalog: Record<K, Endpoint>, server: ServerKind | null) =>
  Object.fromEntries(
    Object.entries<Endpoint>(catalog).map(([k, e]) => [k, withExtras(e, requestExtras(server))]),
  ) as Record<K, Endpoint>;

describe('request fields only one server needs', () => {
  const catalog = {
    health: endpoint({ name: 'health', method: 'GET', path: '/v1/models', body: () => null }),
    generate: endpoint({ fixedBody: () => ({ prompt: 'Hello', max_tokens: 5 }) }),
    'stream-generate': endpoint({
      name: 'stream-generate',
      path: '/v1/chat/completions',
      body: () => ({ messages: [], stream: true, stream_options: { include_usage: true } }),
    }),
  };

  it("go into every request body sent to llama.cpp's server, the fixed body included", () => {
    const e = withServerExtras(catalog, 'llamacpp');
    const extras = { ignore_eos: true, temperature: 0, cache_prompt: false };
    assert.deepEqual(e.generate.body(3), { prompt: 'p3', max_tokens: 5, ...extras });
    assert.deepEqual(e.generate.fixedBody!(), { prompt: 'Hello', max_tokens: 5, ...extras });
    assert.deepEqual(e['stream-generate'].body(0), {
      messages: [],
      stream: true,
      stream_options: { include_usage: true },
      ...extras,
    });
    assert.equal(e.health.body(0), null);
  });

  it('are never sent to Realizar or to a server whose make is unknown', () => {
    for (const server of ['realizar-model', 'realizar', null] as const) {
      const e = withServerExtras(catalog, server);
      assert.deepEqual(e.generate.body(1), { prompt: 'p1', max_tokens: 5 }, String(server));
    }
  });
});
