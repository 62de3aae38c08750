/**
 * Shared prefixes, the traffic a server's prompt cache is for.
 *
 * --prefix-tokens N --prefix-groups G: request i belongs to group i mod G (round-robin, so groups
 * are equally full and interleaved, as many users of a few system prompts are). Its prompt is the
 * group's prefix, a space, then text of its own; the prefix counts towards its input length, so a
 * prefix longer than the input length is an error naming both flags.
 *
 * Mooncake traces: each hash id stands for one block of blockTokens tokens (Mooncake's traces use
 * 512). A block's text is keyed by its hash id alone, so two requests that share a hash id share that
 * block's text exactly, and the trace's prefix sharing reaches the server. A final partial block is
 * the start of its full text (the word stream is prefix-stable, text.ts).
 */
import { ValidationError } from '../errors/ValidationError.js';
import { describeLengthSpec, lengthBounds, type LengthSpec } from './lengths.js';
import { mixSeed, textForTokens } from './text.js';

/** Keys that keep the seed streams of prefixes, request bodies and hash blocks apart. */
const PREFIX_KEY = 1;
const BODY_KEY = 2;
const HASH_BLOCK_KEY = 3;
const TRACE_TAIL_KEY = 4;

export const MOONCAKE_BLOCK_TOKENS = 512;

export interface TextSource {
  seed: number;
  tokensPerWord?: number;
  tokenize?: (text: string) => number;
}

export interface PrefixOptions extends TextSource {
  prefixTokens: number;
  prefixGroups: number;
}

export function prefixGroupOf(index: number, groups: number): number {
  if (!Number.isInteger(groups) || groups < 1)
    throw new ValidationError('--prefix-groups', [
      { path: '', expected: 'a whole number from 1', found: String(groups) },
    ]);
  return index % groups;
}

/** The group's prefix: the same text for every request of the group, another for each group. */
export function prefixText(group: number, o: PrefixOptions): string {
  return textForTokens({ ...o, tokens: o.prefixTokens, seed: mixSeed(o.seed, PREFIX_KEY, group) });
}

function tooLong(prefixTokens: number, input: string): ValidationError {
  return new ValidationError('--prefix-tokens', [
    { path: '', expected: `a prefix no longer than --input-tokens (${input})`, found: String(prefixTokens) },
  ]);
}

/**
 * Before anything is drawn: a fixed or uniform input length must hold the prefix in every draw. A
 * log-normal one may draw below it: that is checked draw by draw (prefixedPrompt).
 */
export function checkPrefixFits(prefixTokens: number, input: LengthSpec): void {
  if (input.kind !== 'lognormal' && prefixTokens > lengthBounds(input).min)
    throw tooLong(prefixTokens, describeLengthSpec(input));
}

export interface PrefixedPrompt {
  prompt: string;
  group: number;
}

export interface PrefixedRequest {
  /** 0-based request index: keys its own text. */
  index: number;
  inputTokens: number;
  /** Its prefix group; round-robin by index when not given (a conversation passes its own). */
  group?: number;
}

/** The request's prompt of `inputTokens` tokens: its group's prefix, then its own text. */
export function prefixedPrompt(request: PrefixedRequest, o: PrefixOptions): PrefixedPrompt {
  const { index, inputTokens } = request;
  if (o.prefixTokens > inputTokens) throw tooLong(o.prefixTokens, `request ${index + 1} drew ${inputTokens} tokens`);
  const group = request.group ?? prefixGroupOf(index, o.prefixGroups);
  const prefix = prefixText(group, o);
  const bodyTokens = inputTokens - o.prefixTokens;
  if (bodyTokens === 0) return { prompt: prefix, group };
  return { prompt: `${prefix} ${uniquePrompt(index, bodyTokens, o)}`, group };
}

/** A request's own text when there is no prefix: keyed by its index, unlike any other request's. */
export function uniquePrompt(index: number, inputTokens: number, o: TextSource): string {
  return textForTokens({ ...o, tokens: inputTokens, seed: mixSeed(o.seed, BODY_KEY, index) });
}

export interface HashIdsPromptOptions extends TextSource {
  hashIds: readonly number[];
  inputTokens: number;
  /** Tokens per hash block (Mooncake: 512). */
  blockTokens: number;
  /** Where the request came from, for errors and for the text past the last block. */
  source: string;
  line: number;
  /** Block texts already made, by hash id and length: a trace repeats its hash ids often. */
  cache?: Map<string, string>;
}

/** The text of one hash block, `tokens` long (a full block, or the start of it). */
export function hashBlockText(hashId: number, tokens: number, o: TextSource & { cache?: Map<string, string> }): string {
  const key = `${hashId}:${tokens}`;
  const cached = o.cache?.get(key);
  if (cached !== undefined) return cached;
  const text = textForTokens({ ...o, tokens, seed: mixSeed(o.seed, HASH_BLOCK_KEY, hashId) });
  o.cache?.set(key, text);
  return text;
}

/** More hash ids than the input length fills is an error: the block size does not match the trace's. */
export function checkHashIds(
  o: Pick<HashIdsPromptOptions, 'hashIds' | 'inputTokens' | 'blockTokens' | 'source' | 'line'>,
): void {
  const needed = Math.ceil(o.inputTokens / o.blockTokens);
  if (o.hashIds.length > needed)
    throw new ValidationError(o.source, [
      {
        path: `/line ${o.line}/hash_ids`,
        expected:
          `at most ${needed} hash ids: input_length ${o.inputTokens} fills ${needed} blocks of ${o.blockTokens} ` +
          'tokens (is the block size the trace was made with?)',
        found: `${o.hashIds.length} hash ids`,
      },
    ]);
}

/**
 * A Mooncake request's prompt: one block per hash id, the last one cut to what inputTokens leaves.
 * Input beyond the hash ids' blocks is text of this request alone. More hash ids than the input
 * length fills is an error: the block size does not match the trace's.
 */
export function hashIdsPrompt(o: HashIdsPromptOptions): string {
  checkHashIds(o);
  const parts = o.hashIds.map((id, k) =>
    hashBlockText(id, Math.min(o.blockTokens, o.inputTokens - k * o.blockTokens), o),
  );
  const tail = o.inputTokens - o.hashIds.length * o.blockTokens;
  if (tail > 0) parts.push(textForTokens({ ...o, tokens: tail, seed: mixSeed(o.seed, TRACE_TAIL_KEY, o.line) }));
  return parts.join(' ');
}
