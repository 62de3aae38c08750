/**
 * Token-length specs (--input-tokens, --output-tokens) and their seeded samplers.
 *
 *   N                          every request N tokens
 *   MIN:MAX                    uniform: every whole count from MIN to MAX equally often
 *   lognormal:MEAN:SPREAD      log-normal: MEAN is the mean token count of the distribution (before
 *   lognormal:MEAN:SPREAD:MAX  rounding and clamping), SPREAD the standard deviation σ of the
 *                              underlying normal (of ln tokens). So the median is MEAN·e^(−σ²/2):
 *                              σ = 0.5 puts it 12 % below the mean, σ = 1 at 61 % of the mean.
 *                              Draws are rounded and clamped to at least 1 and at most MAX
 *                              (MAX_LENGTH_TOKENS when not given).
 *
 * Log-normal because request and reply lengths of chat traffic are: most short, a long tail. The
 * same spec and seed always give the same sequence of lengths.
 */
import { describeValue } from '../errors/describe.js';
import { ValidationError } from '../errors/ValidationError.js';
import { normal, seededRandom } from './prompts.js';

export type LengthSpec =
  | { kind: 'fixed'; tokens: number }
  | { kind: 'uniform'; min: number; max: number }
  | { kind: 'lognormal'; mean: number; sigma: number; max?: number };

/** No model reads more in one request; a typo's extra zeros would otherwise make gigabytes of text. */
export const MAX_LENGTH_TOKENS = 2_000_000;
/** Beyond σ = 3 the mean is carried by a handful of huge draws (mean/median = e^4.5 ≈ 90). */
export const MAX_SPREAD = 3;

const FORMS = `N, MIN:MAX or lognormal:MEAN:SPREAD[:MAX] (token counts from 1 to ${MAX_LENGTH_TOKENS})`;

function fail(flag: string, expected: string, found: string): never {
  throw new ValidationError(flag, [{ path: '', expected, found: describeValue(found) }]);
}

function count(flag: string, name: string, text: string, spec: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > MAX_LENGTH_TOKENS)
    fail(flag, `${name} a whole number of tokens from 1 to ${MAX_LENGTH_TOKENS}`, spec);
  return n;
}

function decimal(text: string): number {
  return /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
}

/** Parse a length spec given to `flag`; errors name the flag, the accepted forms and the text. */
export function parseLengthSpec(flag: string, text: string): LengthSpec {
  const spec = text.trim();
  const parts = spec.split(':');
  if (parts[0] === 'lognormal') {
    if (parts.length !== 3 && parts.length !== 4)
      fail(flag, 'lognormal:MEAN:SPREAD or lognormal:MEAN:SPREAD:MAX', spec);
    const mean = decimal(parts[1]!);
    if (!(mean >= 1 && mean <= MAX_LENGTH_TOKENS))
      fail(flag, `MEAN (mean tokens) a number from 1 to ${MAX_LENGTH_TOKENS}`, spec);
    const sigma = decimal(parts[2]!);
    if (!(sigma >= 0 && sigma <= MAX_SPREAD))
      fail(flag, `SPREAD (σ of ln tokens) a number from 0 to ${MAX_SPREAD}`, spec);
    if (parts.length === 3) return { kind: 'lognormal', mean, sigma };
    const max = count(flag, 'MAX', parts[3]!, spec);
    if (max < mean) fail(flag, 'MAX at least MEAN', spec);
    return { kind: 'lognormal', mean, sigma, max };
  }
  if (parts.length === 1) {
    if (!/^\d+$/.test(spec)) fail(flag, FORMS, spec);
    return { kind: 'fixed', tokens: count(flag, 'N', spec, spec) };
  }
  if (parts.length === 2) {
    const min = count(flag, 'MIN', parts[0]!, spec);
    const max = count(flag, 'MAX', parts[1]!, spec);
    if (min > max) fail(flag, 'MIN:MAX with MIN ≤ MAX', spec);
    return { kind: 'uniform', min, max };
  }
  return fail(flag, FORMS, spec);
}

/** The spec as the user would write it: parseLengthSpec(flag, formatLengthSpec(s)) equals s. */
export function formatLengthSpec(spec: LengthSpec): string {
  if (spec.kind === 'fixed') return String(spec.tokens);
  if (spec.kind === 'uniform') return `${spec.min}:${spec.max}`;
  return `lognormal:${spec.mean}:${spec.sigma}${spec.max === undefined ? '' : `:${spec.max}`}`;
}

/**
 * For plans and reports: "512 tokens", "uniform 64–256 tokens",
 * "log-normal, mean 200 tokens, σ 0.5, at most 2048".
 */
export function describeLengthSpec(spec: LengthSpec): string {
  if (spec.kind === 'fixed') return `${spec.tokens} tokens`;
  if (spec.kind === 'uniform') return `uniform ${spec.min}–${spec.max} tokens`;
  const max = spec.max === undefined ? '' : `, at most ${spec.max}`;
  return `log-normal, mean ${spec.mean} tokens, σ ${spec.sigma}${max}`;
}

/** The least and most a draw can be. */
export function lengthBounds(spec: LengthSpec): { min: number; max: number } {
  if (spec.kind === 'fixed') return { min: spec.tokens, max: spec.tokens };
  if (spec.kind === 'uniform') return { min: spec.min, max: spec.max };
  return { min: 1, max: spec.max ?? MAX_LENGTH_TOKENS };
}

/** A draw per call; the same spec and seed give the same sequence. */
export function lengthSampler(spec: LengthSpec, seed: number): () => number {
  if (spec.kind === 'fixed') return () => spec.tokens;
  const random = seededRandom(seed);
  if (spec.kind === 'uniform') {
    const span = spec.max - spec.min + 1;
    return () => spec.min + Math.floor(random() * span);
  }
  // E[e^(μ+σZ)] = e^(μ+σ²/2), so this μ makes MEAN the distribution's mean.
  const mu = Math.log(spec.mean) - (spec.sigma * spec.sigma) / 2;
  const max = spec.max ?? MAX_LENGTH_TOKENS;
  return () => Math.min(max, Math.max(1, Math.round(Math.exp(mu + spec.sigma * normal(random)))));
}

export function sampleLengths(spec: LengthSpec, seed: number, n: number): number[] {
  const next = lengthSampler(spec, seed);
  return Array.from({ length: n }, () => next());
}
