/**
 * A scenario file of one's own, read and checked before anything starts: bundled by esbuild and its
 * init run in Node (no k6, no server), its declaration, thresholds and endpoint schemas checked, every
 * mistake named by file and field.
 */
import assert from 'node:assert/strict';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/core/errors/ValidationError.js';
import { checkThresholdsFile } from '../../src/core/rules/thresholds.js';
import { parseSetupConfig } from '../../src/node/config/index.js';
import { loadOwnScenario, scenarioFileOf, type OwnScenario } from '../../src/node/own/own-scenario.js';
import { documentedExample, projectWith, scenarioSource } from '../support/own-scenario.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

const SHAPE = `
  description: 'one phase of health',
  mix: [{ endpoint: 'health', weight: 1 }],
  phases: [{ name: 'main', model: 'closed', clients: 2, requests: 4, timeoutSec: 10 }],`;
const RULES = `thresholds: { rules: [{ id: 'errors', metric: 'error_rate', acceptable: 1, source: 's' }] },`;

/** Load `files` (the first is the scenario file) from a project of their own. */
async function load(files: Record<string, string>, thresholdsDir: string | null = null): Promise<OwnScenario> {
  const dir = await projectWith('unit', files);
  try {
    return await loadOwnScenario(path.join(dir, Object.keys(files)[0]!), thresholdsDir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function refusal(files: Record<string, string>): Promise<ValidationError> {
  try {
    await load(files);
  } catch (err) {
    assert.ok(err instanceof ValidationError, String(err));
    assert.ok(err.source.includes(Object.keys(files)[0]!), `names the file: ${err.message}`);
    return err;
  }
  assert.fail('the scenario file was accepted');
}

describe('a scenario file of one’s own', () => {
  it('the documented example reads as its shape, its endpoint with a compiled schema and its thresholds', async () => {
    const own = await load({ 'loadtests/my-chat.ts': documentedExample() });
    assert.equal(own.name, 'my-chat');
    assert.deepEqual(own.shape.phases, [
      { name: 'steady', model: 'open', clients: 8, requests: 40, durationSec: 10, timeoutSec: 30 },
    ]);
    assert.deepEqual(own.shape.mix, [{ endpoint: 'chat', weight: 1 }]);
    assert.deepEqual(
      own.endpoints.map((e) => [e.name, e.method, e.path, e.prompted, e.body, e.accepts, e.tokens]),
      [['chat', 'POST', '/v1/chat/completions', true, false, true, true]],
    );
    assert.equal(own.thresholds.scenario, 'my-chat', 'inline thresholds take the file’s name');
    assert.deepEqual(
      own.thresholds.rules.map((r) => r.metric),
      ['latency_p95', 'error_rate'],
    );
    assert.deepEqual(own.validators?.exports, { chat: 'v0' });
    assert.match(own.validators!.code, /exports\.v0 = /);
  });

  it('a misspelt metric in its thresholds is named by file and JSON path', async () => {
    const err = await refusal({
      'loadtests/my-chat.ts': documentedExample().replace("metric: 'latency_p95'", "metric: 'latency_p59'"),
    });
    assert.equal(err.problems[0]?.path, '/thresholds/rules/0/metric');
    assert.match(err.problems[0]!.found, /latency_p59/);
  });

  it('a misspelt field of defineScenario, a bad phase and a mix of nobody’s endpoint are named', async () => {
    const misspelt = await refusal({ 'x/a.ts': scenarioSource(`${SHAPE.replace('phases:', 'phase:')} ${RULES}`) });
    assert.ok(
      misspelt.problems.some((p) => p.path === '/phase' && /no such property/.test(p.expected)),
      misspelt.message,
    );
    const badPhase = await refusal({
      'x/b.ts': scenarioSource(`${SHAPE.replace('clients: 2', 'clients: 0')} ${RULES}`),
    });
    assert.equal(badPhase.problems[0]?.path, '/phases/0/clients');
    const nobody = await refusal({
      'x/c.ts': scenarioSource(`${SHAPE.replace("endpoint: 'health'", "endpoint: 'chat'")} ${RULES}`),
    });
    assert.equal(nobody.problems[0]?.path, '/mix/0/endpoint');
  });

  it('an endpoint may not take a built-in endpoint’s name, nor a schema ajv refuses', async () => {
    const endpoint = (name: string, schema: string): string =>
      `const e = defineEndpoint({ name: '${name}', method: 'GET', path: '/health', schema: ${schema} });`;
    const taken = await refusal({
      'x/d.ts': scenarioSource(`endpoints: [e], ${SHAPE} ${RULES}`, endpoint('health', '{}')),
    });
    assert.equal(taken.problems[0]?.path, '/endpoints/0/name');
    const badSchema = await refusal({
      'x/e.ts': scenarioSource(`endpoints: [e], ${SHAPE} ${RULES}`, endpoint('status', "{ requierd: ['status'] }")),
    });
    assert.equal(badSchema.problems[0]?.path, '/endpoints/0/schema');
    assert.match(badSchema.problems[0]!.found, /requierd/);
  });

  it('an endpoint has one body function: `body` or `prompted`, and `prompted` is read as taking prompts', async () => {
    const endpoint = (fields: string): string =>
      `const e = defineEndpoint({ name: 'chat', method: 'POST', path: '/chat', ${fields} });`;
    const mix = SHAPE.replace("endpoint: 'health'", "endpoint: 'chat'");
    const both = await refusal({
      'x/f.ts': scenarioSource(
        `endpoints: [e], ${mix} ${RULES}`,
        endpoint('body: () => ({}), prompted: (input) => ({ prompt: input.prompt })'),
      ),
    });
    assert.deepEqual([both.problems[0]?.path, both.problems[0]?.found], ['/endpoints/0', 'both']);
    const own = await load({
      'x/g.ts': scenarioSource(
        `endpoints: [e], ${mix} ${RULES}`,
        endpoint('prompted: (input) => ({ prompt: input.prompt })'),
      ),
    });
    assert.deepEqual(
      own.endpoints.map((x) => [x.name, x.prompted, x.body]),
      [['chat', true, false]],
    );
  });

  it('takes its thresholds from beside the file when none are inline, and from --thresholds-dir first', async () => {
    const beside = JSON.stringify({
      scenario: 'f',
      rules: [{ id: 'p99', metric: 'latency_p99', acceptable: 900, source: 'beside' }],
    });
    const own = await load({ 'x/f.ts': scenarioSource(SHAPE), 'x/f.thresholds.json': beside });
    assert.equal(own.thresholds.rules[0]?.source, 'beside');
    assert.match(own.thresholdsSource, /f\.thresholds\.json$/);

    const dir = await projectWith('dir', {
      'g.json': JSON.stringify({
        scenario: 'g',
        rules: [{ id: 'e', metric: 'error_rate', acceptable: 2, source: 'dir' }],
      }),
    });
    try {
      const fromDir = await load({ 'x/g.ts': scenarioSource(`${SHAPE} ${RULES}`) }, dir);
      assert.equal(fromDir.thresholds.rules[0]?.source, 'dir');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const none = await refusal({ 'x/h.ts': scenarioSource(SHAPE) });
    assert.equal(none.problems[0]?.path, '/thresholds');
    assert.match(none.problems[0]!.expected, /h\.thresholds\.json/);
  });

  it('is refused when its name is a built-in scenario’s, its init throws, or it defines no scenario', async () => {
    const builtIn = await refusal({ 'x/spike.ts': scenarioSource(`${SHAPE} ${RULES}`) });
    assert.match(builtIn.problems[0]!.expected, /a name no built-in scenario has/);
    const throws = await refusal({ 'x/i.ts': `throw new Error('no model configured');\n` });
    assert.match(throws.problems[0]!.found, /Error: no model configured/);
    const none = await refusal({ 'x/j.ts': `export default function () {}\n` });
    assert.match(none.problems[0]!.expected, /one call of defineScenario/);
  });

  it('reads k6 modules imported by the file as inert at init, so metrics may be made there', async () => {
    const prelude =
      `import { Trend } from 'k6/metrics';\nimport http from 'k6/http';\n` +
      `const t = new Trend('mine');\nvoid t; void http;`;
    const own = await load({ 'x/k.ts': scenarioSource(`${SHAPE} ${RULES}`, prelude) });
    assert.equal(own.name, 'k');
  });

  it('a run’s scenario argument is a file when it has a slash or a script’s extension', () => {
    assert.deepEqual(scenarioFileOf('./loadtests/my-chat.ts', '/p'), {
      name: 'my-chat',
      file: '/p/loadtests/my-chat.ts',
    });
    assert.deepEqual(scenarioFileOf('chat.js', '/p'), { name: 'chat', file: '/p/chat.js' });
    assert.equal(scenarioFileOf('spike', '/p'), null);
  });
});

describe('rules naming endpoints', () => {
  it('a thresholds file may name only endpoints its scenario can send to', () => {
    const file = {
      scenario: 'health',
      rules: [{ id: 'x', metric: 'latency_p95' as const, endpoint: 'helth', acceptable: 1, source: 's' }],
    };
    assert.equal(checkThresholdsFile(file, 'health')[0]?.path, '/rules/0/endpoint');
    assert.deepEqual(checkThresholdsFile(file, 'health', ['helth']), []);
  });
});

describe('set-up', () => {
  it('makes ready the server a run with the same REALIZAR_K6_OPTIONS starts, unless --servers says', () => {
    const servers = (argv: string[], options?: string): string[] =>
      parseSetupConfig(argv, options === undefined ? { HOME: '/h' } : { HOME: '/h', REALIZAR_K6_OPTIONS: options })
        .servers;
    assert.deepEqual(servers([]), ['realizar']);
    assert.deepEqual(servers([], '--server llamacpp'), ['llamacpp']);
    assert.deepEqual(servers([], '--no-server'), []);
    assert.deepEqual(servers(['--servers', 'realizar,llamacpp']), ['realizar', 'llamacpp']);
    assert.deepEqual(servers(['--servers', 'all']), ['realizar', 'realizar-model', 'llamacpp']);
    assert.throws(() => servers(['--servers', 'realizar,vllm']), /--servers: expected server names/);
  });
});

describe('the API reference', () => {
  it('names every export of realizar-k6/k6', async () => {
    const index = await readFile(path.join(ROOT, 'src', 'k6', 'index.ts'), 'utf8');
    const names = [...index.matchAll(/export (?:type )?\{([^}]*)\}/g)].flatMap((m) =>
      m[1]!
        .split(',')
        .map((n) => n.replace(/^\s*type\s+/, '').trim())
        .filter((n) => n !== ''),
    );
    const doc = await readFile(path.join(ROOT, 'docs', 'writing-scenarios.md'), 'utf8');
    const reference = doc.slice(doc.indexOf('### API reference'));
    assert.ok(names.length > 10, names.join(', '));
    for (const name of names) assert.ok(reference.includes(`\`${name}`), `${name} is in the API reference`);
  });
});
