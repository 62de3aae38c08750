/**
 * The response validators k6 runs: one generated module per schema of schemas/api
 * (build/codegen.ts), so that a VU builds only those of the endpoints it sends to
 * (src/k6/lib/validators.ts). Each must judge a body as ajv does with the schema itself, stopping at
 * the first error.
 */
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Ajv } from 'ajv';
import { API_VALIDATORS, apiValidatorModule, GENERATED_DIR, SCHEMA_DIR } from '../../build/codegen.js';

const require = createRequire(import.meta.url);
type Validate = ((data: unknown) => boolean) & { errors?: unknown[] | null };

const GOOD = { token_ids: [1, 2], text: 'hi', num_generated: 2 };
const CHOICES = { choices: [{ text: 'hi', index: 0 }], usage: { completion_tokens: 2, prompt_tokens: 1 } };
/** For each schema: bodies it accepts, then bodies it refuses. */
const BODIES: Record<string, { good: unknown[]; bad: unknown[] }> = {
  health: {
    good: [{ status: 'healthy', version: '0.8.6', compute_mode: 'cpu' }],
    bad: [{ status: 'healthy', version: '', compute_mode: 'cpu' }, { status: 'sick' }, null, [], 'healthy'],
  },
  tokenize: {
    good: [{ token_ids: [0, 7], num_tokens: 2 }],
    bad: [{ token_ids: [-1], num_tokens: 1 }, { token_ids: [1.5], num_tokens: 1 }, { num_tokens: 0 }],
  },
  generate: { good: [GOOD], bad: [{ ...GOOD, num_generated: -1 }, { ...GOOD, text: 3 }, {}] },
  'batch-tokenize': {
    good: [{ results: [] }, { results: [{ token_ids: [1], num_tokens: 1 }] }],
    bad: [{ results: [{ token_ids: [1] }] }, { results: {} }],
  },
  'batch-generate': { good: [{ results: [GOOD, GOOD] }], bad: [{ results: [GOOD, { ...GOOD, token_ids: ['a'] }] }] },
  'openai-completion': {
    good: [CHOICES, { choices: [{ text: '' }] }],
    bad: [{ choices: [] }, { choices: [{ index: 0 }] }, { ...CHOICES, usage: { prompt_tokens: 1 } }],
  },
  'openai-chat-completion': {
    good: [
      { choices: [{ message: { role: 'assistant', content: 'hi' } }] },
      { choices: [{ message: { content: null } }] },
    ],
    bad: [{ choices: [{ message: {} }] }, { choices: [{ text: 'hi' }] }, { choices: [] }],
  },
  'openai-models': { good: [{ data: [{ id: 'default' }] }, { data: [] }], bad: [{ data: [{}] }, { models: [] }] },
};

async function schemas(): Promise<Array<Record<string, unknown>>> {
  const files = await readdir(path.join(SCHEMA_DIR, 'api'));
  return Promise.all(files.map(async (f) => JSON.parse(await readFile(path.join(SCHEMA_DIR, 'api', f), 'utf8'))));
}

describe('the response validators k6 runs', () => {
  it('are one module per response schema, each exporting its validator alone', async () => {
    const ids = (await schemas()).map((s) => s['$id']).sort();
    assert.deepEqual(Object.values(API_VALIDATORS).sort(), ids);
    for (const [name, id] of Object.entries(API_VALIDATORS)) {
      const exports = require(path.join(GENERATED_DIR, `${apiValidatorModule(id)}.cjs`)) as Record<string, unknown>;
      assert.deepEqual(Object.keys(exports), [name], id);
    }
    assert.deepEqual(
      Object.values(API_VALIDATORS)
        .map((id) => apiValidatorModule(id).slice('api/'.length))
        .sort(),
      Object.keys(BODIES).sort(),
    );
  });

  it('judge every body as ajv compiling the schema does, with its first error only', async () => {
    const ajv = new Ajv({ allErrors: false, strict: true });
    ajv.addKeyword('tsType');
    for (const s of await schemas()) ajv.addSchema(s);
    for (const [name, id] of Object.entries(API_VALIDATORS)) {
      const generated = (
        require(path.join(GENERATED_DIR, `${apiValidatorModule(id)}.cjs`)) as Record<string, Validate>
      )[name]!;
      const compiled = ajv.getSchema(id)!;
      const bodies = BODIES[apiValidatorModule(id).slice('api/'.length)]!;
      for (const body of bodies.good) assert.equal(generated(body), true, `${id} accepts ${JSON.stringify(body)}`);
      for (const body of bodies.bad) {
        assert.equal(generated(body), false, `${id} refuses ${JSON.stringify(body)}`);
        assert.equal(compiled(body), false);
        assert.equal(generated.errors?.length, 1, `${id}: the first error only`);
        assert.deepEqual(generated.errors, compiled.errors, `${id}: the same error as ajv's`);
      }
    }
  });
});
