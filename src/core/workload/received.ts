/**
 * What a server says it received and made, read from its own answer to one request — the other side
 * of what the workload asked for:
 *
 *   OpenAI-compatible   usage.prompt_tokens, usage.completion_tokens, usage.prompt_tokens_details.cached_tokens
 *   llama.cpp           timings.prompt_n + timings.cache_n (the prompt), timings.cache_n, timings.predicted_n
 *   Realizar native     num_generated; the prompt is token_ids minus num_generated (token_ids holds both);
 *                       a batch sums its results
 *
 * and the reply's text (choices[0].text or .message.content, Realizar's text), which a conversation's
 * next turn carries. Pure; the same reading for k6's bodies and the tests'.
 */
import type { ChatMessage } from './types.js';

export interface Received {
  /** The prompt's tokens as the server counted them (cached ones included); null: it did not say. */
  input: number | null;
  output: number | null;
  /** Prompt tokens it took from its cache; null: it did not say. */
  cached: number | null;
  /** The reply's text ('' when none). */
  reply: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function native(body: Obj): Received {
  const output = num(body['num_generated']);
  const ids = body['token_ids'];
  const input = output !== null && Array.isArray(ids) && ids.length >= output ? ids.length - output : null;
  return { input, output, cached: null, reply: typeof body['text'] === 'string' ? body['text'] : '' };
}

function sum(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : a + b;
}

function openai(body: Obj): Received {
  const usage = isObj(body['usage']) ? body['usage'] : {};
  const timings = isObj(body['timings']) ? body['timings'] : {};
  const details = isObj(usage['prompt_tokens_details']) ? usage['prompt_tokens_details'] : {};
  const cached = num(timings['cache_n']) ?? num(details['cached_tokens']);
  const input = num(usage['prompt_tokens']) ?? sum(num(timings['prompt_n']), num(timings['cache_n']) ?? 0);
  const output = num(usage['completion_tokens']) ?? num(timings['predicted_n']);
  const choice = Array.isArray(body['choices']) && isObj(body['choices'][0]) ? body['choices'][0] : {};
  const message = isObj(choice['message']) ? choice['message'] : {};
  const text = typeof choice['text'] === 'string' ? choice['text'] : message['content'];
  return { input, output, cached, reply: typeof text === 'string' ? text : '' };
}

export function receivedOf(body: unknown): Received {
  if (!isObj(body)) return { input: null, output: null, cached: null, reply: '' };
  if (Array.isArray(body['results'])) {
    const parts = body['results'].map((r) => (isObj(r) ? native(r) : native({})));
    return parts.reduce(
      (a, b) => ({ input: sum(a.input, b.input), output: sum(a.output, b.output), cached: null, reply: '' }),
      { input: 0, output: 0, cached: null, reply: '' } as Received,
    );
  }
  if ('num_generated' in body) return native(body);
  return openai(body);
}

/** A conversation's messages as one prompt, for an endpoint that takes text: their texts, a blank line between. */
export function flattenMessages(messages: readonly ChatMessage[]): string {
  return messages.map((m) => m.content).join('\n\n');
}
