/**
 * Bad workload input is refused before anything starts: a flag that does not parse or contradicts
 * another when the options are read, a dataset's bad line, empty file or unknown format when the
 * plans are resolved (the runner does both before any tool is built or server started).
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/core/errors/ValidationError.js';
import { parseCloudConfig, parseOperatorConfig, parseRunConfig } from '../../src/node/config/index.js';
import { resolveRunPlans } from '../../src/node/run/plans.js';

const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'workloads');
const AVAILABLE = ['generate', 'stream', 'health'];
const parse = (...argv: string[]) => parseRunConfig(argv, AVAILABLE, { HOME: '/home/u' }, FIXTURES);

function refusal(run: () => unknown): ValidationError {
  try {
    run();
  } catch (err) {
    assert.ok(err instanceof ValidationError, String(err));
    assert.equal(err.exitCode, 2);
    return err;
  }
  assert.fail('accepted');
}

async function refusedPlan(...argv: string[]): Promise<ValidationError> {
  const config = parse(...argv);
  try {
    await resolveRunPlans(config);
  } catch (err) {
    assert.ok(err instanceof ValidationError, String(err));
    assert.equal(err.exitCode, 2);
    return err;
  }
  assert.fail(`${argv.join(' ')} was accepted`);
}

describe('workload options', () => {
  it('give a workload only when one is asked for, with the default input length and no prompt cache', () => {
    assert.equal(parse('generate').workload, null);
    assert.equal(parse('generate').promptCache, false);
    const w = parse('stream', '--output-tokens', '64').workload!;
    assert.deepEqual([w.input, w.output, w.turns], [{ kind: 'fixed', tokens: 128 }, { kind: 'fixed', tokens: 64 }, 1]);
  });

  it('turn the prompt cache on with shared prefixes, unless told otherwise', () => {
    const on = parse('stream', '--input-tokens', '1024', '--prefix-tokens', '512', '--prefix-groups', '4');
    assert.deepEqual(
      [on.workload!.prefix, on.promptCache, on.promptCacheGiven],
      [{ tokens: 512, groups: 4 }, true, false],
    );
    const off = parse('stream', '--input-tokens', '1024', '--prefix-tokens', '512', '--prompt-cache', 'off');
    assert.deepEqual([off.promptCache, off.promptCacheGiven], [false, true]);
  });

  const rows: Array<[string, string[], RegExp]> = [
    [
      'a length spec that does not parse',
      ['--input-tokens', 'lots'],
      /^--input-tokens: expected N, MIN:MAX or lognormal/,
    ],
    ['a uniform range upside down', ['--output-tokens', '64:8'], /^--output-tokens: expected MIN:MAX with MIN ≤ MAX/],
    [
      'a prefix longer than the input length',
      ['--input-tokens', '256', '--prefix-tokens', '512'],
      /^--prefix-tokens: expected a prefix no longer than --input-tokens \(256 tokens\), found 512/,
    ],
    [
      'a prefix longer than the shortest uniform draw',
      ['--input-tokens', '100:900', '--prefix-tokens', '512'],
      /--input-tokens \(uniform 100–900 tokens\)/,
    ],
    [
      'prefix groups without a prefix',
      ['--prefix-groups', '4'],
      /^--prefix-groups: expected --prefix-tokens beside it/,
    ],
    ['a think time without conversations', ['--think-time', '1'], /^--think-time: expected --turns above 1/],
    ['a dataset format without a dataset', ['--dataset-format', 'sharegpt'], /^--dataset-format: expected --dataset/],
    [
      'an unknown dataset format',
      ['--dataset', 'x.jsonl', '--dataset-format', 'xml'],
      /expected one of workload, sharegpt/,
    ],
    [
      'input lengths beside a dataset',
      ['--dataset', 'workload.jsonl', '--input-tokens', '64'],
      /^--input-tokens: expected no --input-tokens beside --dataset/,
    ],
    [
      'a dataset beside a trace',
      ['--dataset', 'workload.jsonl', '--trace', 'mooncake.jsonl'],
      /^--dataset: expected no --dataset beside --trace/,
    ],
    ['a prompt set beside a workload', ['--prompts', 'p.jsonl', '--input-tokens', '64'], /^--prompts: expected either/],
    ['no turns at all', ['--turns', '0'], /^--turns: expected a whole number from 1/],
    ['a negative think time', ['--turns', '2', '--think-time', '-1'], /^--think-time: expected a number of seconds/],
  ];
  for (const [what, argv, message] of rows)
    it(`refuse ${what}, naming the flag`, () => {
      assert.match(refusal(() => parse('stream', ...argv)).message, message);
    });

  it('refuse a model file that is not a GGUF model before any server starts', () => {
    const e = refusal(() => parse('stream', '--server', 'llamacpp', '--model-file', '/etc/passwd'));
    assert.match(e.message, /^--model-file: expected a GGUF model file \(the magic "GGUF" at byte 0\), found/);
    assert.match(e.message, /\/etc\/passwd/);
  });
});

describe("an archive's workload (k6 cloud, the k6-operator)", () => {
  const operator = (...argv: string[]) =>
    parseOperatorConfig(['generate', '--parallelism', '2', ...argv], AVAILABLE, { HOME: '/home/u' }, FIXTURES);

  it('takes the shape, the arrivals, the API, the workload options, the seed and where to count tokens', () => {
    const c = operator('--input-tokens', '64:128', '--seed', '7', '--tokenizer-url', 'http://127.0.0.1:9000/');
    const shaped = operator('--rate', '50', '--duration', '60', '--arrivals', 'gamma:2', '--api', 'openai');
    assert.deepEqual(shaped.load.shape, { clients: null, requests: null, rate: 50, durationSec: 60, stages: null });
    assert.deepEqual([shaped.load.arrivals, shaped.load.api], [{ process: 'gamma', cv: 2 }, 'openai']);
    assert.deepEqual(c.load.workload!.input, { kind: 'uniform', min: 64, max: 128 });
    assert.deepEqual([c.load.seed, c.load.tokenizerUrl], [7, 'http://127.0.0.1:9000']);
    const cloud = parseCloudConfig(['upload', 'generate', '--dataset', 'sharegpt.json'], AVAILABLE, {}, FIXTURES);
    assert.equal(cloud.load.workload!.dataset!.file, path.join(FIXTURES, 'sharegpt.json'));
    assert.equal(operator().load.workload, null, 'none asked for: the scenario sends its own prompts');
  });

  it('has no --prompt-cache (an archive knows no make, so sends no cache field), nor a lone --tokenizer-url', () => {
    assert.throws(() => operator('--input-tokens', '32', '--prompt-cache', 'on'), /--prompt-cache/);
    const lone = refusal(() => operator('--tokenizer-url', 'http://127.0.0.1:9000'));
    assert.match(lone.message, /--tokenizer-url: expected a workload option beside it/);
  });
});

describe('a dataset, read with the plans before any server starts', () => {
  it('names the file, the line and the field of a bad line', async () => {
    const e = await refusedPlan('generate', '--dataset', 'workload-bad.jsonl');
    assert.equal(e.source, path.join(FIXTURES, 'workload-bad.jsonl').replace(`${process.cwd()}/`, ''));
    assert.ok(e.problems.some((p) => p.path === '/line 2'));
    assert.ok(e.problems.some((p) => p.path === '/line 5/output_tokens'));
  });

  it('refuses an empty file, and a file in no known format', async () => {
    assert.match((await refusedPlan('generate', '--dataset', 'empty.jsonl')).message, /found an empty file/);
    assert.match(
      (await refusedPlan('generate', '--dataset', 'unknown.txt')).message,
      /expected a workload JSONL .* an Azure trace CSV .* or a BurstGPT trace CSV/,
    );
  });

  it('refuses a missing file, and a think time for a dataset of single requests', async () => {
    assert.match((await refusedPlan('generate', '--dataset', 'nowhere.jsonl')).message, /expected a readable file/);
    const e = await refusedPlan('generate', '--dataset', 'mooncake.jsonl', '--think-time', '1');
    assert.match(e.message, /^--think-time: expected a dataset of conversations/);
  });

  it('refuses conversations on an open load, and a chat stream the server cannot send', async () => {
    const open = await refusedPlan('stream', '--turns', '4', '--rate', '2', '--duration', '4');
    assert.match(open.message, /^--turns: expected conversations on one closed phase/);
    const demo = await refusedPlan(
      'stream',
      '--api',
      'openai',
      '--turns',
      '4',
      '--concurrency',
      '8',
      '--requests',
      '32',
    );
    assert.match(demo.message, /^--api: expected a server whose OpenAI-compatible chat stream carries tokens/);
  });

  it('accepts a good dataset and puts its source in the plan', async () => {
    const [plan] = await resolveRunPlans(parse('generate', '--dataset', 'sharegpt.json', '--turns', '4'));
    assert.match(plan!.workload!.source, /^dataset sharegpt.json \(ShareGPT, \d+ conversations, \d+ turns/);
    assert.equal(plan!.workload!.conversations, true);
  });
});
