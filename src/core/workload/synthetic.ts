/**
 * Generated workloads (--input-tokens, --output-tokens, --seed, --prefix-tokens, --prefix-groups,
 * --turns) and the prompts of trace items, which carry lengths but no text.
 *
 * Everything is a function of the options: the same options and seed give byte-identical items in
 * the same order. Each kind of draw has its own seed stream (input lengths, output lengths, texts),
 * so adding --output-tokens does not change the prompts.
 */
import { ValidationError } from '../errors/ValidationError.js';
import { lengthSampler, type LengthSpec } from './lengths.js';
import {
  checkPrefixFits,
  hashIdsPrompt,
  MOONCAKE_BLOCK_TOKENS,
  prefixedPrompt,
  uniquePrompt,
  type TextSource,
} from './prefix.js';
import { mixSeed } from './text.js';
import type { WorkloadItem } from './types.js';

const INPUT_LENGTHS_KEY = 10;
const OUTPUT_LENGTHS_KEY = 11;
const TRACE_TEXT_KEY = 12;

export interface SyntheticOptions extends Omit<TextSource, 'seed'> {
  /** Items to make (requests; with turns, turns of all conversations together). */
  count: number;
  seed: number;
  input: LengthSpec;
  output?: LengthSpec;
  prefix?: { tokens: number; groups: number };
  /** User turns per conversation; 1 (the default) makes single requests. */
  turns?: number;
}

/**
 * count items. With turns > 1 they are conversations of `turns` turns (the last one may be shorter),
 * conversation by conversation, ids c1, c2, ...; each turn's prompt is its new user message, of a
 * drawn input length. A shared prefix opens a conversation's first turn (later turns carry it in
 * their history) and a conversation keeps one prefix group.
 */
export function syntheticItems(o: SyntheticOptions): WorkloadItem[] {
  const turns = o.turns ?? 1;
  if (!Number.isInteger(turns) || turns < 1)
    throw new ValidationError('--turns', [{ path: '', expected: 'a whole number from 1', found: String(turns) }]);
  if (o.prefix) checkPrefixFits(o.prefix.tokens, o.input);
  const inputLength = lengthSampler(o.input, mixSeed(o.seed, INPUT_LENGTHS_KEY));
  const outputLength = o.output ? lengthSampler(o.output, mixSeed(o.seed, OUTPUT_LENGTHS_KEY)) : undefined;
  const text = { seed: o.seed, tokensPerWord: o.tokensPerWord, tokenize: o.tokenize };
  const items: WorkloadItem[] = [];
  for (let i = 0; i < o.count; i++) {
    const conversation = Math.floor(i / turns);
    const turn = (i % turns) + 1;
    const inputTokens = inputLength();
    const item: WorkloadItem = { line: i + 1, inputTokens };
    if (o.prefix && turn === 1) {
      const request = { index: i, inputTokens, group: turns > 1 ? conversation % o.prefix.groups : undefined };
      const { prompt, group } = prefixedPrompt(request, {
        ...text,
        prefixTokens: o.prefix.tokens,
        prefixGroups: o.prefix.groups,
      });
      item.prompt = prompt;
      item.prefixGroup = group;
    } else {
      item.prompt = uniquePrompt(i, inputTokens, text);
      if (o.prefix) item.prefixGroup = conversation % o.prefix.groups;
    }
    if (outputLength) item.outputTokens = outputLength();
    if (turns > 1) {
      item.conversationId = `c${conversation + 1}`;
      item.turn = turn;
      item.conversationTurns = turns;
    }
    items.push(item);
  }
  return items;
}

export interface TracePromptOptions extends TextSource {
  /** The trace file, for errors. */
  source: string;
  /** Tokens per hash id (Mooncake: 512). */
  blockTokens?: number;
  cache?: Map<string, string>;
}

/**
 * Items with text: a dataset's items as they are; a trace's get a prompt of their recorded input
 * length, made of their hash blocks when they have hash ids (prefix.ts) and otherwise unique to the
 * line.
 */
export function withPrompts(items: readonly WorkloadItem[], o: TracePromptOptions): WorkloadItem[] {
  const seed = mixSeed(o.seed, TRACE_TEXT_KEY);
  return items.map((item) => {
    if (item.prompt !== undefined || item.messages !== undefined || item.inputTokens === undefined) return item;
    const prompt = item.hashIds
      ? hashIdsPrompt({
          ...o,
          seed,
          hashIds: item.hashIds,
          inputTokens: item.inputTokens,
          blockTokens: o.blockTokens ?? MOONCAKE_BLOCK_TOKENS,
          line: item.line,
        })
      : uniquePrompt(item.line, item.inputTokens, { ...o, seed });
    return { ...item, prompt };
  });
}
