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
  /** Measurements by whole words at most (WORD_ROUNDS): a secant step and a bracket take 2–3 on ordinary text. */
  maxRounds?: number;
}

/** Measurements by whole words at most, unless the caller says otherwise. */
export const WORD_ROUNDS = 6;

/** Measurements at most within one word, once whole words bracket the target: a bisection of its characters. */
export const CHAR_ROUNDS = 5;

export interface FittedText {
  text: string;
  tokens: number;
  /** How many texts were measured. */
  rounds: number;
}

/**
 * The convergence on a target token count, as a state machine: next() proposes a text, record()
 * takes its measured count, best() is the closest measured (ties go to the shorter). By whole words
 * first: it brackets the target between the longest text measured short and the shortest measured
 * long, and narrows the bracket until the count is hit, no word count is left inside, or after
 * maxRounds. A tokenizer whose tokens are smaller than a word (a character tokenizer counts every
 * letter) can then still miss by most of a word: the text is cut inside the bracket's last word,
 * bisecting its characters, so that the fit ends exact wherever the tokenizer can count to the target.
 * A cut text is still the start of the seed's stream.
 */
export class TokenFit {
  /** Measured texts by their length in characters (every text is a prefix of the seed's stream). */
  private readonly measured = new Map<number, { text: string; tokens: number }>();
  private pending: string | undefined;
  /** Whole words: the longest measured short, the shortest measured long. */
  private below = 0;
  private above = Infinity;
  private words = 0;
  /** Within a word: the bracket in characters of the text of `above` words. */
  private cut: { full: string; short: number; long: number; rounds: number } | null = null;
  private readonly o: TokenFitOptions;

  constructor(o: TokenFitOptions) {
    this.o = o;
    this.propose(wordsForTokens(o.target, o.tokensPerWord));
  }

  private propose(words: number): void {
    this.words = words;
    this.pending = wordText(this.o.seed, words);
  }

  next(): string | undefined {
    return this.pending;
  }

  record(tokens: number): void {
    const text = this.pending;
    if (text === undefined) throw new Error('TokenFit.record without a pending text');
    this.measured.set(text.length, { text, tokens });
    this.pending = undefined;
    if (tokens === this.o.target) return;
    if (this.cut !== null) return this.recordCut(text, tokens);
    const n = this.words;
    if (tokens < this.o.target) this.below = Math.max(this.below, n);
    if (tokens > this.o.target) this.above = Math.min(this.above, n);
    if (this.above - this.below <= 1) return this.startCut();
    if (this.measured.size >= (this.o.maxRounds ?? WORD_ROUNDS)) return;
    let proposal = proposeWords(n, tokens, this.o.target);
    // Stay strictly inside the bracket, so each measurement narrows it.
    proposal = Math.min(this.above - 1, Math.max(this.below + 1, proposal));
    if (!this.measured.has(wordText(this.o.seed, proposal).length)) this.propose(proposal);
  }

  /** Whole words bracket the target: bisect the characters of the word between them. */
  private startCut(): void {
    if (!Number.isFinite(this.above)) return;
    const full = wordText(this.o.seed, this.above);
    // Counted from the space before the word, so that no cut ends on it.
    const short = this.below === 0 ? 0 : wordText(this.o.seed, this.below).length + 1;
    this.cut = { full, short, long: full.length, rounds: 0 };
    this.proposeCut();
  }

  private recordCut(text: string, tokens: number): void {
    const c = this.cut!;
    c.rounds++;
    if (tokens < this.o.target) c.short = Math.max(c.short, text.length);
    else c.long = Math.min(c.long, text.length);
    if (c.rounds < CHAR_ROUNDS) this.proposeCut();
  }

  private proposeCut(): void {
    const c = this.cut!;
    const mid = Math.floor((c.short + c.long) / 2);
    if (mid <= c.short || this.measured.has(mid)) return;
    this.pending = c.full.slice(0, mid);
  }

  best(): FittedText {
    let best: { text: string; tokens: number } | undefined;
    for (const m of this.measured.values()) {
      const d = Math.abs(m.tokens - this.o.target);
      const bestD = best === undefined ? Infinity : Math.abs(best.tokens - this.o.target);
      if (best === undefined || d < bestD || (d === bestD && m.text.length < best.text.length)) best = m;
    }
    if (best === undefined) throw new Error('TokenFit.best before any measurement');
    return { text: best.text, tokens: best.tokens, rounds: this.measured.size };
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
