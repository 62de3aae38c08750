import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  isModelServer,
  MODEL_SERVER_KINDS,
  profileOf,
  requestExtras,
  SERVER_KINDS,
  SERVERS,
} from '../../src/core/target/servers.js';

describe('the table of server kinds', () => {
  it('knows Realizar, Realizar serving a model and llama.cpp, the last two loading a model', () => {
    assert.deepEqual(SERVER_KINDS, ['realizar', 'realizar-model', 'llamacpp']);
    assert.deepEqual(MODEL_SERVER_KINDS, ['realizar-model', 'llamacpp']);
    assert.deepEqual(SERVER_KINDS.map(isModelServer), [false, true, true]);
  });

  it('puts first the API a run uses without --api: OpenAI-compatible for model servers, all llama.cpp speaks', () => {
    assert.deepEqual(
      SERVER_KINDS.map((k) => SERVERS[k].apis[0]),
      ['realizar', 'openai', 'openai'],
    );
    assert.deepEqual(SERVERS.llamacpp.apis, ['openai']);
  });

  it('has llama.cpp generate exactly max_tokens, greedily, uncached; nothing for Realizar or an unknown make', () => {
    assert.deepEqual(requestExtras('llamacpp'), { ignore_eos: true, temperature: 0, cache_prompt: false });
    assert.deepEqual(SERVERS.llamacpp.exactOutputLength, { ignore_eos: true });
    for (const kind of ['realizar', 'realizar-model', null] as const) {
      assert.deepEqual(requestExtras(kind), {}, String(kind));
    }
  });

  it("picks each server's counters' profile for the APIs whose requests they count", () => {
    assert.deepEqual([profileOf('realizar', 'realizar'), profileOf('realizar', 'openai')], ['realizar', null]);
    assert.equal(profileOf('realizar-model', 'openai'), 'realizar-model');
    assert.equal(profileOf('llamacpp', 'openai'), 'llamacpp');
    assert.deepEqual([profileOf(null, 'realizar'), profileOf(null, 'openai')], ['realizar', null]);
  });
});
