import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/core/errors/ValidationError.js';
import { generatePromptSet, parsePromptSet, promptLengths, toJsonl } from '../../src/core/workload/prompts.js';

const options = { count: 500, seed: 42, minWords: 4, maxWords: 128, distribution: 'lognormal' as const };

describe('prompt sets', () => {
  it('are reproducible: the same seed gives the same prompts, another seed others', () => {
    assert.deepEqual(generatePromptSet(options), generatePromptSet(options));
    assert.notDeepEqual(generatePromptSet(options), generatePromptSet({ ...options, seed: 43 }));
  });

  it('draw lengths within the bounds, log-normal around the geometric mean of the bounds', () => {
    const lengths = promptLengths(options).sort((a, b) => a - b);
    assert.ok(lengths[0]! >= 4 && lengths[lengths.length - 1]! <= 128);
    const median = lengths[lengths.length / 2]!;
    assert.ok(median > 16 && median < 32, `median ${median} words, geometric mean of 4 and 128 is about 22.6`);
    assert.ok(
      lengths.filter((n) => n > 64).length < lengths.filter((n) => n < 16).length,
      'a long tail, most prompts short',
    );
  });

  it('draw uniform lengths evenly over the bounds', () => {
    const lengths = promptLengths({ ...options, distribution: 'uniform', minWords: 10, maxWords: 20, count: 1100 });
    for (let n = 10; n <= 20; n++) assert.ok(lengths.filter((l) => l === n).length > 50, `length ${n} drawn`);
  });

  it('generated prompts have the drawn number of words and read back from JSONL as written', () => {
    const prompts = generatePromptSet({ ...options, count: 20 });
    assert.deepEqual(
      prompts.map((p) => p.split(' ').length),
      promptLengths({ ...options, count: 20 }),
    );
    assert.deepEqual(parsePromptSet(toJsonl(prompts), 'x.jsonl'), prompts);
  });

  it('a bad line is named, with what was found', () => {
    assert.throws(
      () => parsePromptSet('{"prompt":"ok"}\nnot json\n{"text":"wrong key"}\n', 'set.jsonl'),
      (err: unknown) =>
        err instanceof ValidationError &&
        err.source === 'set.jsonl' &&
        err.problems[0]!.path === '/line 2' &&
        err.problems[1]!.path === '/line 3' &&
        /non-empty "prompt" string/.test(err.problems[1]!.expected),
    );
    assert.throws(() => parsePromptSet('\n', 'empty.jsonl'), /expected at least one prompt, found an empty file/);
  });
});
