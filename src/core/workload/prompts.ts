/**
 * Prompt sets: reproducible prompts whose lengths follow a chosen distribution, generated from a
 * seed (the same seed always gives the same file), written as JSONL — one {"prompt": "..."} per
 * line — and read back by the scenarios with --prompts FILE.
 */
import { describeValue } from '../errors/describe.js';
import { ValidationError, type ValidationProblem } from '../errors/ValidationError.js';

/** mulberry32: a small, well-mixed 32-bit PRNG; plenty for choosing prompt lengths and words. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type LengthDistribution = 'uniform' | 'lognormal';

export interface PromptSetOptions {
  count: number;
  seed: number;
  minWords: number;
  maxWords: number;
  distribution: LengthDistribution;
}

// Plain words: enough variety that a tokenizer sees ordinary text, nothing a model would refuse.
export const WORDS = (
  'the a of to and in is it that for on with as was at by be this from or have an they which one you ' +
  'were her all she there would their we him been has when who will more no if out so said what up its ' +
  'about into than them can only other new some could time these two may then do first any my now such ' +
  'like our over man me even most made after also did many before must through back years where much ' +
  'your way well down should because each just those people how too little state good very make world ' +
  'still own see men work long get here between both life being under never day same another know while ' +
  'last might us great old year off come since against go came right used take three'
).split(' ');

/** A standard normal draw (Box–Muller), for the log-normal lengths. */
export function normal(random: () => number): number {
  const u = Math.max(random(), Number.EPSILON);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/**
 * Prompt lengths in words. uniform: any length in [min, max] equally often. lognormal: most prompts
 * short and a long tail, as chat traffic is; its median is the geometric mean of min and max and
 * draws outside [min, max] are clamped.
 */
export function promptLengths(o: PromptSetOptions): number[] {
  const random = seededRandom(o.seed);
  const span = o.maxWords - o.minWords;
  const mu = (Math.log(o.minWords) + Math.log(o.maxWords)) / 2;
  const sigma = (Math.log(o.maxWords) - Math.log(o.minWords)) / 4;
  return Array.from({ length: o.count }, () => {
    const n =
      o.distribution === 'uniform'
        ? o.minWords + Math.floor(random() * (span + 1))
        : Math.round(Math.exp(mu + sigma * normal(random)));
    return Math.min(o.maxWords, Math.max(o.minWords, n));
  });
}

export function generatePromptSet(o: PromptSetOptions): string[] {
  const random = seededRandom(o.seed ^ 0x9e3779b9);
  return promptLengths(o).map((n) =>
    Array.from({ length: n }, () => WORDS[Math.floor(random() * WORDS.length)]!).join(' '),
  );
}

export function toJsonl(prompts: readonly string[]): string {
  return prompts.map((prompt) => JSON.stringify({ prompt })).join('\n') + '\n';
}

/** Read a JSONL prompt set; every bad line is named (1-based), with what was found. */
export function parsePromptSet(text: string, source: string): string[] {
  const prompts: string[] = [];
  const problems: ValidationProblem[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      problems.push({ path: `/line ${i + 1}`, expected: 'a JSON object', found: describeValue(line) });
      return;
    }
    const prompt = (value as { prompt?: unknown } | null)?.prompt;
    if (typeof prompt !== 'string' || prompt === '')
      problems.push({
        path: `/line ${i + 1}`,
        expected: 'an object with a non-empty "prompt" string',
        found: describeValue(value),
      });
    else prompts.push(prompt);
  });
  if (problems.length === 0 && prompts.length === 0)
    problems.push({ path: '', expected: 'at least one prompt', found: 'an empty file' });
  if (problems.length > 0) throw new ValidationError(source, problems.slice(0, 5));
  return prompts;
}
