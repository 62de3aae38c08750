/**
 * The client's latency of one answer that does not stream, beside the server's own account of it.
 * llama.cpp's server puts the same `timings` in a non-streamed answer as in a stream's last chunk
 * (`/completion`, `/v1/completions`, `/v1/chat/completions` with stream false): `prompt_ms` (prefill),
 * `predicted_ms` (decoding, first token to last), `predicted_per_token_ms`, `predicted_n`, `prompt_n`,
 * `cache_n`; OpenAI answers carry the server's own id (`id`, llama.cpp: "chatcmpl-…") and `usage`. A
 * `Server-Timing` header (src/core/stream/server-timing.ts) adds named durations of its own.
 *
 * What remains of the client's latency once the server's prefill and decoding are taken out is the
 * time the request spent waiting in the server (for a slot, being parsed) and on the network. k6 records
 * each figure below (src/k6/lib/stream/server-clock.ts) into the server clock's metrics; the report
 * gives their percentiles (request-clock-report.ts). Pure.
 */
import { parseServerTiming, timedEntries, type ServerTimingEntry } from './server-timing.js';

export interface RequestClockSample {
  /** Null: the answer carried no timings with both prompt_ms and predicted_ms. */
  split: {
    clientMs: number;
    promptMs: number;
    predictedMs: number;
    /** clientMs − promptMs − predictedMs. */
    waitMs: number;
    /** Null when there was no decoding step after the first token. */
    perTokenMs: number | null;
  } | null;
  /** The answer's own count (usage, the client's) against timings.predicted_n; null: either is missing. */
  tokens: { client: number; server: number } | null;
  prompt: { tokens: number; cached: number | null } | null;
  /** The server's id of the request (OpenAI `id`), to find it in the server's logs. */
  serverId: string | null;
  /** The Server-Timing entries with a duration, at most SERVER_TIMING_SLOTS, in the header's order. */
  serverTiming: ServerTimingEntry[];
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The server's id in an OpenAI answer or stream chunk (`id`); null when there is none. */
export function serverIdOf(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) return null;
  const id = (body as { id?: unknown }).id;
  return typeof id === 'string' && id !== '' ? id : null;
}

export function requestClockOf(o: {
  /** The answer, parsed. */
  body: unknown;
  /** The client's latency of it (k6's request time: sending, waiting and receiving). */
  clientMs: number;
  /** The tokens the answer says it generated (usage), as the client counted them; null: none. */
  clientTokens: number | null;
  /** The Server-Timing header as received (null: none). */
  serverTiming: string | null;
}): RequestClockSample {
  const raw = typeof o.body === 'object' && o.body !== null ? (o.body as { timings?: unknown }).timings : undefined;
  const t = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const promptMs = num(t['prompt_ms']);
  const predictedMs = num(t['predicted_ms']);
  const predictedN = num(t['predicted_n']);
  const perToken = num(t['predicted_per_token_ms']);
  const promptN = num(t['prompt_n']);
  return {
    split:
      promptMs === null || predictedMs === null
        ? null
        : {
            clientMs: o.clientMs,
            promptMs,
            predictedMs,
            waitMs: o.clientMs - promptMs - predictedMs,
            // predicted_per_token_ms is 0 when there was no step after the first token.
            perTokenMs: perToken === null || (predictedN ?? 0) < 2 ? null : perToken,
          },
    tokens: predictedN === null || o.clientTokens === null ? null : { client: o.clientTokens, server: predictedN },
    prompt: promptN === null ? null : { tokens: promptN, cached: num(t['cache_n']) },
    serverId: serverIdOf(o.body),
    serverTiming: timedEntries(parseServerTiming(o.serverTiming)),
  };
}

/** Whether the answer carried anything of the server's own to join. */
export function joined(s: RequestClockSample): boolean {
  return s.split !== null || s.tokens !== null || s.serverTiming.length > 0;
}
