/**
 * Deterministic text of a target token count: plain words from the prompt-set word list, drawn by a
 * seeded PRNG. The text of n words for a seed is always the first n words of that seed's stream, so
 * adding or removing words at the end keeps everything before it byte-identical (what a shared
 * prefix needs, and what lets a caller converge on a length without reshuffling).
 *
 * Token counts are the server's: its tokenizer decides. Without one, a calibration (tokens per word)
 * gives an estimate; with one (llama.cpp's POST /tokenize, Realizar's, or any function), TokenFit
 * converges in a few measurements. TokenFit is pure and does not call anything: the caller measures
 * each text it proposes, over the network or not, and records the count.
 */
import { seededRandom, WORDS } from './prompts.js';

/**
 * The list's words are short, common English words, which subword vocabularies usually hold whole
 * (with their leading space): about one token each. An estimate only: a caller that needs exact
 * counts measures with the server's tokenizer (TokenFit) or calibrates tokensPerWord.
 */
export const DEFAULT_TOKENS_PER_WORD = 1;

/** A 32-bit seed derived from a seed and a path of keys (request index, prefix group, hash id). */
export function mixSeed(seed: number, ...keys: number[]): number {
  let h = (seed ^ 0x2545f491) >>> 0;
  const mix = (k: number): void => {
    h = Math.imul(h ^ k, 0x9e3779b1) >>> 0;
    h ^= h >>> 15;
    h = Math.imul(h, 0x85ebca6b) >>> 0;
    h ^= h >>> 13;
  };
  for (const key of keys) {
    mix(key >>> 0);
    mix(Math.floor(key / 4294967296) >>> 0);
  }
  return h >>> 0;
}

/** The first n words of the seed's stream, separated by single spaces. */
export function wordText(seed: number, n: number): string {
  const random = seededRandom(seed);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(WORDS[Math.floor(random() * WORDS.length)]!);
  return out.join(' ');
}

export function wordCount(text: string): number {
  return text === '' ? 0 : text.split(' ').length;
}

export function wordsForTokens(tokens: number, tokensPerWord = DEFAULT_TOKENS_PER_WORD): number {
  return Math.max(1, Math.round(tokens / tokensPerWord));
}

/**
 * One step towards `target` tokens for a text of this module (the first n words of `seed`'s stream)
 * measured at `measured` tokens: the word count scaled by the measured tokens per word, and at least
 * one word of change while the count is off. Removes words from the end or appends the stream's next
 * ones, so the result is again the first n' words of the stream.
 */
export function adjustToTokens(text: string, measured: number, target: number, seed: number): string {
  if (measured === target) return text;
  return wordText(seed, proposeWords(wordCount(text), measured, target));
}

function proposeWords(n: number, measured: number, target: number): number {
  if (n === 0 || measured <= 0) return wordsForTokens(target);
  const step = Math.round(((target - measured) * n) / measured);
  // At most four times longer a step: a count that barely grows must not send the fit after huge texts.
  return Math.min(4 * n, Math.max(1, n + (step !== 0 ? step : Math.sign(target - measured))));
}

export interface TokenFitOptions {
  target: number;
  seed: number;
  tokensPerWord?: number;
  /** Measurements at most (default 6): a secant step and a bracket converge in 2–3 on ordinary text. */
  maxRounds?: number;
}

export interface FittedText {
  text: string;
  tokens: number;
  /** How many texts were measured. */
  rounds: number;
}

/**
 * The convergence on a target token count, as a state machine: next() proposes a text, record()
 * takes its measured count, best() is the closest measured (ties go to the shorter). It brackets the
 * target between the longest text measured short and the shortest measured long, and stops when
 * the count is hit, the bracket has no word count left inside, or after maxRounds.
 */
export class TokenFit {
  private readonly measured = new Map<number, number>();
  private pending: number | undefined;
  private below = 0;
  private above = Infinity;
  private readonly o: TokenFitOptions;

  constructor(o: TokenFitOptions) {
    this.o = o;
    this.pending = wordsForTokens(o.target, o.tokensPerWord);
  }

  next(): string | undefined {
    return this.pending === undefined ? undefined : wordText(this.o.seed, this.pending);
  }

  record(tokens: number): void {
    const n = this.pending;
    if (n === undefined) throw new Error('TokenFit.record without a pending text');
    this.measured.set(n, tokens);
    if (tokens < this.o.target) this.below = Math.max(this.below, n);
    if (tokens > this.o.target) this.above = Math.min(this.above, n);
    this.pending = undefined;
    if (tokens === this.o.target || this.measured.size >= (this.o.maxRounds ?? 6)) return;
    if (this.above - this.below <= 1) return;
    let proposal = proposeWords(n, tokens, this.o.target);
    // Stay strictly inside the bracket, so each measurement narrows it.
    proposal = Math.min(this.above - 1, Math.max(this.below + 1, proposal));
    if (!this.measured.has(proposal)) this.pending = proposal;
  }

  best(): FittedText {
    let bestN = -1;
    let bestTokens = 0;
    for (const [n, tokens] of this.measured) {
      const d = Math.abs(tokens - this.o.target);
      const bestD = Math.abs(bestTokens - this.o.target);
      if (bestN < 0 || d < bestD || (d === bestD && n < bestN)) {
        bestN = n;
        bestTokens = tokens;
      }
    }
    if (bestN < 0) throw new Error('TokenFit.best before any measurement');
    return { text: wordText(this.o.seed, bestN), tokens: bestTokens, rounds: this.measured.size };
  }
}

/** With a synchronous tokenizer: run the fit to its end. */
export function fitToTokens(o: TokenFitOptions & { tokenize: (text: string) => number }): FittedText {
  const fit = new TokenFit(o);
  for (let text = fit.next(); text !== undefined; text = fit.next()) fit.record(o.tokenize(text));
  return fit.best();
}

export interface TextOptions {
  tokens: number;
  seed: number;
  tokensPerWord?: number;
  /** A synchronous token counter; without one the calibration's estimate is used. */
  tokenize?: (text: string) => number;
}

/** Text of about `tokens` tokens (exactly, when tokenize can reach it), the same for the same seed. */
export function textForTokens(o: TextOptions): string {
  if (o.tokenize) return fitToTokens({ ...o, target: o.tokens, tokenize: o.tokenize }).text;
  return wordText(o.seed, wordsForTokens(o.tokens, o.tokensPerWord));
}
