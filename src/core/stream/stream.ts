/**
 * What a streamed generation tells about the server, computed from the chunks as they arrived
 * (each with its arrival time, in ms since the request was sent):
 *
 * - time to first token (TTFT): arrival of the first chunk that carries a token. A chunk with no
 *   token (empty, a comment, an OpenAI role-only delta) is not a first token.
 * - inter-token latency (ITL): one sample per token after the first; a chunk that carries k tokens
 *   after a gap g gives k samples of g / k, so tokens bunched into one chunk do not read as zero
 *   latency followed by one long wait, nor the other way round.
 * - end-to-end: arrival of the last chunk.
 * - output tokens: the server's own count (Realizar's `done` event `num_generated`, OpenAI's
 *   `usage.completion_tokens`) when it gives one, else the tokens seen in the stream.
 * - output tokens per second: output tokens / end-to-end time.
 * - the prompt as the server counted it, when it says (OpenAI `usage.prompt_tokens`, llama.cpp's
 *   `timings` prompt_n + cache_n), and how much of it came from its cache (`timings.cache_n`,
 *   `usage.prompt_tokens_details.cached_tokens`);
 * - the reply's text, when asked for (a conversation's next turn carries it);
 * - the server's own id of the request (OpenAI's `id`), to find it in the server's logs.
 */
import { createSseParser, type SseParser } from './sse.js';

export interface Chunk {
  tMs: number;
  text: string;
}

export type StreamApi = 'realizar' | 'openai';

export interface StreamTimings {
  ttftMs: number | null;
  itlMs: number[];
  e2eMs: number | null;
  outputTokens: number;
  /** Where outputTokens comes from. */
  countedFrom: 'server' | 'stream';
  /** Tokens seen in the stream (events or deltas); may differ from the server's count. */
  streamedTokens: number;
  done: boolean;
  error: string | null;
  /**
   * The server's own per-request timings, numbers only, when it sends them (llama.cpp's server:
   * `timings` on the final chunk — prompt_ms, predicted_ms, predicted_n, predicted_per_token_ms...),
   * compared with the client's figures by src/core/stream/server-clock.ts.
   */
  serverTimings: Record<string, number> | null;
  /** The server's count of the prompt's tokens (cached ones included); null: it did not say. */
  promptTokens: number | null;
  /** Prompt tokens it took from its cache; null: it did not say. */
  cachedTokens: number | null;
  /** The reply as it streamed ('' unless asked for). */
  replyText: string;
  /** The server's own id of the request (OpenAI chunks' `id`), to find it in its logs; null: none. */
  serverId: string | null;
}

/**
 * Self-contained like the parser (src/core/stream/sse.ts): the streamed-request engine sends the source
 * text of both to the browser page, which times each stream as it ends, so that k6 only records the
 * figures. `makeParser` is always given there; the default serves every other caller.
 */
export function streamTimings(
  chunks: readonly Chunk[],
  api: StreamApi,
  makeParser: () => SseParser = createSseParser,
  keepText = false,
): StreamTimings {
  let serverTimings: Record<string, number> | null = null;
  let promptTokens: number | null = null;
  let cachedTokens: number | null = null;
  let serverId: string | null = null;
  let reply = '';
  /** Tokens one SSE event carries, and the server's own total if the event gives it. */
  const tokensOf = (
    event: string,
    data: string,
  ): { tokens: number; total: number | null; done: boolean; error: string | null } => {
    if (api === 'realizar') {
      if (event === 'token') {
        if (keepText) reply += (JSON.parse(data) as { text?: string }).text ?? '';
        return { tokens: 1, total: null, done: false, error: null };
      }
      if (event === 'done') {
        const n = (JSON.parse(data) as { num_generated?: unknown }).num_generated;
        return { tokens: 0, total: typeof n === 'number' ? n : null, done: true, error: null };
      }
      if (event === 'error') return { tokens: 0, total: null, done: false, error: data };
      return { tokens: 0, total: null, done: false, error: null };
    }
    if (data.trim() === '[DONE]') return { tokens: 0, total: null, done: true, error: null };
    const body = JSON.parse(data) as {
      choices?: Array<{ text?: string; delta?: { content?: string | null } }>;
      usage?: {
        completion_tokens?: number;
        prompt_tokens?: number;
        prompt_tokens_details?: { cached_tokens?: number } | null;
      } | null;
      error?: unknown;
      timings?: unknown;
      id?: unknown;
    };
    if (serverId === null && typeof body.id === 'string' && body.id !== '') serverId = body.id;
    if (body.error !== undefined) return { tokens: 0, total: null, done: false, error: JSON.stringify(body.error) };
    if (typeof body.timings === 'object' && body.timings !== null) {
      serverTimings = Object.fromEntries(
        Object.entries(body.timings).filter((kv): kv is [string, number] => typeof kv[1] === 'number'),
      );
      const t = serverTimings;
      if (t['cache_n'] !== undefined) cachedTokens = t['cache_n'];
      if (promptTokens === null && t['prompt_n'] !== undefined) promptTokens = t['prompt_n'] + (t['cache_n'] ?? 0);
    }
    const usage = body.usage;
    if (typeof usage?.prompt_tokens === 'number') promptTokens = usage.prompt_tokens;
    const cached = usage?.prompt_tokens_details?.cached_tokens;
    if (typeof cached === 'number' && cachedTokens === null) cachedTokens = cached;
    const text = (body.choices ?? []).map((c) => c.text ?? c.delta?.content ?? '').join('');
    if (keepText) reply += text;
    const total = typeof body.usage?.completion_tokens === 'number' ? body.usage.completion_tokens : null;
    // One OpenAI chunk is one decoding step of one token, unless it is empty or role-only.
    return { tokens: text === '' ? 0 : 1, total, done: false, error: null };
  };
  const parser = makeParser();
  let ttft: number | null = null;
  let lastTokenAt: number | null = null;
  const itl: number[] = [];
  let streamed = 0;
  let total: number | null = null;
  let done = false;
  let error: string | null = null;
  for (const chunk of chunks) {
    let tokens = 0;
    for (const ev of parser.push(chunk.text)) {
      try {
        const t = tokensOf(ev.event, ev.data);
        tokens += t.tokens;
        if (t.total !== null) total = t.total;
        if (t.done) done = true;
        if (t.error !== null) error = t.error;
      } catch (err) {
        error = `an event whose data is not the expected JSON: ${(err as Error).message}`;
      }
    }
    if (tokens === 0) continue;
    if (ttft === null) {
      ttft = chunk.tMs;
      // The first token's own latency is the TTFT; the others in its chunk arrived with it.
      for (let i = 1; i < tokens; i++) itl.push(0);
    } else {
      const gap = chunk.tMs - lastTokenAt!;
      for (let i = 0; i < tokens; i++) itl.push(gap / tokens);
    }
    lastTokenAt = chunk.tMs;
    streamed += tokens;
  }
  const last = chunks[chunks.length - 1];
  return {
    ttftMs: ttft,
    itlMs: itl,
    e2eMs: last === undefined ? null : last.tMs,
    outputTokens: total ?? streamed,
    countedFrom: total === null ? 'stream' : 'server',
    streamedTokens: streamed,
    done,
    error,
    serverTimings,
    promptTokens,
    cachedTokens,
    replyText: reply,
    serverId,
  };
}
