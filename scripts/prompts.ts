/**
 * npm run prompts -- [--count N] [--seed S] [--min-words A] [--max-words B] [--dist uniform|lognormal] [--out FILE]
 * Writes a reproducible prompt set (JSONL) for --prompts: the same options always give the same file.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generatePromptSet, toJsonl, type LengthDistribution } from '../src/core/prompts.js';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '200' },
    seed: { type: 'string', default: '1' },
    'min-words': { type: 'string', default: '4' },
    'max-words': { type: 'string', default: '128' },
    dist: { type: 'string', default: 'lognormal' },
    out: { type: 'string', default: 'prompts/prompts.jsonl' },
  },
});

function whole(flag: string, text: string, min: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min) {
    process.stderr.write(`[realizar-k6] invalid input: --${flag}: expected a whole number >= ${min}, found '${text}'\n`);
    process.exit(2);
  }
  return n;
}

const dist = values.dist;
if (dist !== 'uniform' && dist !== 'lognormal') {
  process.stderr.write(`[realizar-k6] invalid input: --dist: expected 'uniform' or 'lognormal', found '${dist}'\n`);
  process.exit(2);
}
const options = {
  count: whole('count', values.count, 1),
  seed: whole('seed', values.seed, 0),
  minWords: whole('min-words', values['min-words'], 1),
  maxWords: whole('max-words', values['max-words'], 1),
  distribution: dist as LengthDistribution,
};
if (options.maxWords < options.minWords) {
  process.stderr.write(`[realizar-k6] invalid input: --max-words: expected at least --min-words (${options.minWords}), found ${options.maxWords}\n`);
  process.exit(2);
}
const { writeAtomic } = await import('../src/node/report-files.js');
const out = path.resolve(values.out);
await mkdir(path.dirname(out), { recursive: true });
await writeAtomic(out, toJsonl(generatePromptSet(options)));
process.stderr.write(`[realizar-k6] ${options.count} prompts (${options.distribution} lengths, ${options.minWords}-${options.maxWords} words, seed ${options.seed}) in ${path.relative(process.cwd(), out)}\n`);
