/**
 * The client's figures for one stream beside the server's own, when the server reports them per
 * request. llama.cpp's server sends `timings` on the final chunk of a stream
 * (tools/server/server-common.cpp): `prompt_ms` runs from the start of prompt processing to the
 * first token sampled, `predicted_ms` from the first token to the last, and `predicted_per_token_ms`
 * = predicted_ms / (predicted_n - 1), one decoding step per token after the first — the server's
 * side of our TTFT and mean inter-token latency. Token counts come from `usage.completion_tokens`
 * (else `predicted_n`) against the tokens the client saw arrive.
 *
 * k6 records every figure below (src/k6/lib/stream/server-clock.ts) into the server clock's metrics of
 * the metric table (src/core/rules/metric-table.ts); the report takes the medians (serverClockSection),
 * so a difference is a per-request median, not a difference of medians.
 */
import { METRIC_ENTRIES, type KeyAt, type METRICS } from '../rules/metric-table.js';
import type { K6Summary, MismatchedRequest } from '../types.js';
import type { StreamTimings } from './stream.js';

type ServerClockKey = KeyAt<'server-clock'>;
type ShortName<K> = K extends `serverClock${infer R}` ? Uncapitalize<R> : never;
const PREFIX = 'serverClock';

/** The server clock's metrics of the metric table, by their names without the prefix (`ttftDiff`). */
const shortName = (key: string): string => key.charAt(PREFIX.length).toLowerCase() + key.slice(PREFIX.length + 1);
// Marked pure, so that a bundle that reads none of these names (the k6 scripts) leaves the table and the metric
// table it is made from out: k6 would build both in every VU (docs/performance.md).
const clockNames = /* @__PURE__ */ METRIC_ENTRIES.flatMap(([key, e]) =>
  e.at === 'server-clock' ? [[shortName(key), e.k6]] : [],
);
export const SERVER_CLOCK_METRICS = /* @__PURE__ */ Object.fromEntries(clockNames) as {
  readonly [K in ServerClockKey as ShortName<K>]: (typeof METRICS)[K]['k6'];
};

export interface ServerClockSample {
  ttft: { clientMs: number; serverMs: number } | null;
  itl: { clientMs: number; serverMs: number } | null;
  tokens: { client: number; server: number } | null;
  /** Prompt tokens the server processed (prompt_n) and took from its cache (cache_n). */
  prompt: { tokens: number; cached: number | null } | null;
}

const num = (v: number | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** One completed stream's pairs of figures; null where the server gave nothing to compare with. */
export function serverClockOf(t: StreamTimings): ServerClockSample {
  const st = t.serverTimings ?? {};
  const promptMs = num(st['prompt_ms']);
  const perTokenMs = num(st['predicted_per_token_ms']);
  const predictedN = num(st['predicted_n']);
  const promptN = num(st['prompt_n']);
  const serverTokens = t.countedFrom === 'server' ? t.outputTokens : predictedN;
  const meanItl = t.itlMs.length === 0 ? null : t.itlMs.reduce((a, b) => a + b, 0) / t.itlMs.length;
  return {
    ttft: promptMs === null || t.ttftMs === null ? null : { clientMs: t.ttftMs, serverMs: promptMs },
    // predicted_per_token_ms is 0 when there was no step after the first token.
    itl:
      perTokenMs === null || meanItl === null || (predictedN ?? 0) < 2
        ? null
        : { clientMs: meanItl, serverMs: perTokenMs },
    tokens: serverTokens === null ? null : { client: t.streamedTokens, server: serverTokens },
    prompt: promptN === null ? null : { tokens: promptN, cached: num(st['cache_n']) },
  };
}

/**
 * How far a client time may be from the server's and still agree: the client's TTFT also holds the
 * HTTP exchange, the request's parsing and any wait for a free slot; its inter-token gaps also hold
 * the chunk's way through the network stack and the browser, on a machine whose cores k6 shares.
 */
/** The token counts joined per request (streams or answers alike): how many counted, in all, and how many differ. */
export function joinedTokens(summary: K6Summary): {
  counted: number;
  client: number;
  server: number;
  mismatched: number;
  agree: boolean | null;
} {
  const count = (name: string): number => summary.metrics[name]?.values['count'] ?? 0;
  const M = SERVER_CLOCK_METRICS;
  const counted = count(M.counted);
  const mismatched = count(M.tokenMismatches);
  const agree = counted === 0 ? null : mismatched === 0;
  return { counted, client: count(M.tokensClient), server: count(M.tokensServer), mismatched, agree };
}

export const SERVER_CLOCK_TOLERANCE = {
  ttft: { ms: 10, fraction: 0.5 },
  itl: { ms: 2, fraction: 0.25 },
} as const;

export function withinTolerance(diffMs: number, serverMs: number, tol: { ms: number; fraction: number }): boolean {
  return Math.abs(diffMs) <= Math.max(tol.ms, tol.fraction * Math.abs(serverMs));
}

/** How a request whose token counts differ is named in k6.log (src/k6/lib/stream/server-clock.ts). */
export const TOKEN_MISMATCH_LOG = 'realizar-k6: token counts differ: request';

/** The k6.log line of a request whose counts differ: our id, the server's own (`-`: none), both counts. */
export function mismatchLogLine(m: MismatchedRequest): string {
  return `${TOKEN_MISMATCH_LOG} ${m.requestId} server-id=${m.serverId ?? '-'} client=${m.client} server=${m.server}`;
}

const count = (v: string | null): number => (Number.isFinite(Number(v)) && v !== null ? Number(v) : 0);

/** The requests of k6.log's mismatch lines, in order, each once, at most `max`. */
export function mismatchedRequests(log: string, max = 20): MismatchedRequest[] {
  const out: MismatchedRequest[] = [];
  for (const line of log.split('\n')) {
    const at = line.indexOf(TOKEN_MISMATCH_LOG);
    if (at === -1) continue;
    // k6 quotes a console line (msg="..."): the closing quote is not part of the last field.
    const [id, ...fields] = line
      .slice(at + TOKEN_MISMATCH_LOG.length)
      .replace(/".*$/, '')
      .trim()
      .split(/\s+/);
    if (id === undefined || id === '' || out.some((m) => m.requestId === id)) continue;
    const field = (name: string): string | null =>
      fields.find((f) => f.startsWith(`${name}=`))?.slice(name.length + 1) ?? null;
    const serverId = field('server-id');
    out.push({
      requestId: id,
      serverId: serverId === null || serverId === '-' ? null : serverId,
      client: count(field('client')),
      server: count(field('server')),
    });
    if (out.length >= max) break;
  }
  return out;
}

/** The request ids of k6.log's mismatch lines, in order, at most `max`. */
export function mismatchedRequestIds(log: string, max = 20): string[] {
  return mismatchedRequests(log, max).map((m) => m.requestId);
}

/**
 * The id every streamed request carries (header X-Request-Id): the phase's prefix and the request's
 * number in the phase. The prefix holds the phase's start in base 36, so two phases, or two runs,
 * never give the same id; k6 rebuilds each id from the number alone, without it crossing the page.
 */
export function requestIdPrefix(phase: string, startEpochMs: number): string {
  return `rk6-${startEpochMs.toString(36)}-${phase.replace(/[^A-Za-z0-9_.-]/g, '_')}-`;
}
