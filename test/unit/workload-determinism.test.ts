/**
 * The same options and seed give byte-identical request bodies in the same order: the runner's lines
 * (made against a server's tokenizer, here a stand-in for llama.cpp's POST /tokenize) and the bodies
 * k6 makes of them.
 */
import '../support/k6-build-constants.js';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { WorkloadLine } from '../../src/core/workload/sequence.js';
import { useWorkload } from '../../src/k6/lib/prompt-source.js';
import { endpointsFor } from '../../src/k6/lib/sending.js';
import { parseRunConfig } from '../../src/node/config/index.js';
import { resolveRunPlans } from '../../src/node/run/plans.js';
import { workloadVars } from '../../src/node/workload/materialise.js';

/** Not one token per word: a word of n characters is ceil(n / 3) tokens, as subword vocabularies split long words. */
const tokensOf = (text: string): number =>
  text
    .split(/\s+/)
    .filter((w) => w !== '')
    .reduce((n, w) => n + Math.ceil(w.length / 3), 0);

let server: http.Server;
let baseUrl = '';
let tokenizeCalls = 0;
before(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      tokenizeCalls++;
      const { content } = JSON.parse(body) as { content: string };
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ tokens: new Array(tokensOf(content)).fill(7) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server.close());

const ARGS = ['--output-tokens', 'lognormal:16:0.5:64', '--concurrency', '4'];

/** A run's lines and the stream bodies k6 makes of them, in sending order. */
async function made(seed: string, extra: string[] = []): Promise<{ text: string; bodies: string[] }> {
  const argv = ['stream', '--no-server', '--server', 'llamacpp', '--base-url', baseUrl, '--seed', seed];
  const config = parseRunConfig([...argv, ...ARGS, ...extra], ['stream'], { HOME: '/home/u' }, '/work');
  const [plan] = await resolveRunPlans(config);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'workload-'));
  try {
    const vars = await workloadVars(config, plan!, dir);
    const text = await readFile(vars.WORKLOAD!.file, 'utf8');
    const lines = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as WorkloadLine);
    useWorkload({ lines, perRequest: 1, defaultOutputTokens: 5 });
    const stream = endpointsFor({
      api: 'openai',
      model: 'default',
      server: 'llamacpp',
      promptCache: config.promptCache,
      chat: false,
    })['stream-generate']!;
    const bodies = lines.map((_, n) => JSON.stringify(stream.body(n)));
    useWorkload(null);
    return { text, bodies };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('a workload made twice with the same options and seed', () => {
  it('has byte-identical lines and request bodies, in the same order; another seed has others', async () => {
    const a = await made('7', ['--requests', '24', '--input-tokens', '40:120']);
    const b = await made('7', ['--requests', '24', '--input-tokens', '40:120']);
    assert.equal(a.text, b.text);
    assert.deepEqual(a.bodies, b.bodies);
    assert.equal(a.bodies.length, 24);
    assert.notEqual((await made('8', ['--requests', '24', '--input-tokens', '40:120'])).text, a.text);
  });

  it("counts every line's prompt in the server's tokens, hitting the drawn length", async () => {
    const { text, bodies } = await made('3', ['--requests', '16', '--input-tokens', '40:120']);
    const lines = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as WorkloadLine);
    for (const line of lines) {
      assert.equal(line.input_tokens, tokensOf(line.prompt!), 'asked is what the server counts');
      assert.ok(line.input_tokens! >= 39 && line.input_tokens! <= 121, String(line.input_tokens));
      assert.ok(line.output_tokens! >= 1 && line.output_tokens! <= 64);
    }
    const body = JSON.parse(bodies[0]!) as Record<string, unknown>;
    assert.deepEqual(body['messages'], [{ role: 'user', content: lines[0]!.prompt }]);
    assert.equal(body['max_tokens'], lines[0]!.output_tokens);
    assert.deepEqual([body['ignore_eos'], body['cache_prompt'], body['stream']], [true, false, true]);
    assert.ok(tokenizeCalls > 0);
  });

  it('shares each group’s prefix exactly, and asks llama.cpp to use its cache', async () => {
    const { bodies } = await made('5', [
      '--requests',
      '8',
      '--input-tokens',
      '60',
      '--prefix-tokens',
      '40',
      '--prefix-groups',
      '2',
    ]);
    const prompts = bodies.map((b) => (JSON.parse(b) as { messages: Array<{ content: string }> }).messages[0]!.content);
    const starts = prompts.map((p) => p.slice(0, 60));
    assert.equal(new Set(starts).size, 2);
    assert.equal(starts[0], starts[2]);
    assert.notEqual(prompts[0], prompts[2], 'each request has text of its own after the prefix');
    assert.equal((JSON.parse(bodies[0]!) as Record<string, unknown>)['cache_prompt'], true);
  });
});
