/** npm run prompts: a reproducible prompt set (JSONL) for --prompts (src/core/workload/prompts.ts). */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { EXIT } from '../../core/errors/exit-codes.js';
import { generatePromptSet, toJsonl } from '../../core/workload/prompts.js';
import { PROMPTS } from '../flags/commands-side.js';
import { parseFlags, usageText } from '../flags/declare.js';
import { choice, invalid, whole } from '../flags/values.js';
import { log } from '../process/log.js';
import { writeAtomic } from '../files/report-files.js';

export async function main(argv: readonly string[], cwd = process.cwd()): Promise<number> {
  const f = parseFlags(PROMPTS, argv);
  const options = {
    count: f.value('--count', whole(10_000_000), 200),
    seed: f.value('--seed', whole(Number.MAX_SAFE_INTEGER, 0), 1),
    minWords: f.value('--min-words', whole(100_000), 4),
    maxWords: f.value('--max-words', whole(100_000), 128),
    distribution: f.value('--dist', choice(['lognormal', 'uniform'] as const), 'lognormal'),
  };
  const out = path.resolve(cwd, f.text('--out') ?? path.join('prompts', 'prompts.jsonl'));
  const help = f.has('--help');
  f.done();
  if (help) {
    process.stdout.write(`${usageText(PROMPTS)}\n`);
    return EXIT.passed;
  }
  if (options.maxWords < options.minWords)
    invalid('--max-words', `at least --min-words (${options.minWords})`, String(options.maxWords));
  await mkdir(path.dirname(out), { recursive: true });
  await writeAtomic(out, toJsonl(generatePromptSet(options)));
  log.info(
    `${options.count} prompts (${options.distribution} lengths, ${options.minWords}-${options.maxWords} words, ` +
      `seed ${options.seed}) in ${path.relative(cwd, out)}`,
  );
  return EXIT.passed;
}
