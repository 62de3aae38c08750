/**
 * How a run sends the built-in endpoints (src/k6/lib/sending.ts): worked out once with the plan and
 * handed to every k6 VU, which builds only the endpoints named there (src/k6/lib/endpoints.ts).
 */
import '../support/k6-build-constants.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ROUTES } from '../../src/core/target/routes.js';
import { builtinEndpoint } from '../../src/k6/lib/endpoints.js';
import { endpointsFor, sendingOf, type SendingSettings } from '../../src/k6/lib/sending.js';

const settings = (over: Partial<SendingSettings> = {}): SendingSettings => ({
  api: 'realizar',
  model: 'default',
  server: null,
  promptCache: false,
  chat: false,
  ...over,
});

describe('how a run sends the built-in endpoints', () => {
  it('names only the endpoints asked for, each at its route in the API, leaving out what the API lacks', () => {
    assert.deepEqual(sendingOf(settings(), ['health']).routes, { health: { method: 'GET', path: '/health' } });
    const openai = sendingOf(settings({ api: 'openai' }), ['tokenize', 'generate', 'health']);
    assert.deepEqual(openai.routes, {
      generate: { method: 'POST', path: '/v1/completions' },
      health: { method: 'GET', path: '/v1/models' },
    });
  });

  it('sends generate to the chat route with a workload of chat lines, on the OpenAI-compatible API only', () => {
    assert.equal(
      sendingOf(settings({ api: 'openai', chat: true }), ['generate']).routes.generate?.path,
      '/v1/chat/completions',
    );
    assert.equal(sendingOf(settings({ chat: true }), ['generate']).routes.generate?.path, '/generate');
  });

  it("adds llama.cpp's fields to OpenAI-compatible bodies, and none to Realizar's native API", () => {
    const openai = sendingOf(settings({ api: 'openai', server: 'llamacpp' }), ['generate']);
    assert.deepEqual(openai.extras, { ignore_eos: true, temperature: 0, cache_prompt: false });
    assert.deepEqual(builtinEndpoint('generate', openai).fixedBody?.(), {
      model: 'default',
      prompt: 'Hello',
      max_tokens: 5,
      ignore_eos: true,
      temperature: 0,
      cache_prompt: false,
    });
    assert.deepEqual(sendingOf(settings({ server: 'llamacpp' }), ['generate']).extras, {});
  });

  it('is plain data, the same after a trip through JSON (k6 hands it to every VU in a SharedArray)', () => {
    const s = sendingOf(settings({ api: 'openai', server: 'llamacpp', chat: true }), ['generate', 'health']);
    assert.deepEqual(JSON.parse(JSON.stringify(s)), s);
  });

  it('builds every endpoint of each API at its route, and refuses one the run does not send to', () => {
    for (const api of ['realizar', 'openai'] as const) {
      const all = endpointsFor(settings({ api }));
      assert.deepEqual(Object.keys(all).sort(), Object.keys(ROUTES[api]).sort());
      for (const [name, e] of Object.entries(all)) {
        assert.equal(e!.name, name);
        assert.deepEqual({ method: e!.method, path: e!.path }, ROUTES[api][name]);
      }
    }
    assert.throws(() => builtinEndpoint('generate', sendingOf(settings(), ['health'])), /endpoint generate: not among/);
  });
});
