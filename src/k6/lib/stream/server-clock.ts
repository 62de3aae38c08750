/**
 * Each request joined with the server's own account of it, recorded into k6 metrics the report reads.
 * Streams: for each completed stream, the server's figures beside the client's
 * (src/core/stream/server-clock.ts), compared and split into parts by the report
 * (src/core/stream/server-clock-report.ts, server-clock-breakdown.ts). Answers that do not stream
 * (src/k6/lib/request.ts): the client's latency beside the answer's timings and Server-Timing header
 * (src/core/stream/request-clock.ts, request-clock-report.ts). The join is per request by construction:
 * the server's figures come in the same response the client timed, sent with our X-Request-Id. A
 * request whose server sent nothing to compare with records nothing here. Ids go to k6.log only for
 * requests whose token counts differ (with the server's own id): a tag with a value per request
 * would make k6 keep a time series per request.
 */
import { requestClockOf } from '../../../core/stream/request-clock.js';
import { mismatchLogLine, serverClockOf } from '../../../core/stream/server-clock.js';
import { serverTimingLogLine } from '../../../core/stream/server-timing.js';
import type { StreamTimings } from '../../../core/stream/stream.js';
import { metric } from '../metrics.js';
import type { SendsConstants } from '../../../core/plan/client-features.js';

/** What the script carries (src/core/plan/client-features.ts): a stream's joins, an answer's. */
declare const __SENDS__: SendsConstants;
declare const __WITH_ANSWER_CLOCK__: boolean;

// Made in init code (k6 accepts new metrics only there), and only the groups a run can fill: every
// metric object costs every VU memory (docs/performance.md), and a run of health checks fills none.
const countMetrics = () => ({
  promptTokens: metric('serverClockPromptTokens'),
  cachedTokens: metric('serverClockCachedTokens'),
  counted: metric('serverClockCounted'),
  tokensClient: metric('serverClockTokensClient'),
  tokensServer: metric('serverClockTokensServer'),
  tokenMismatches: metric('serverClockTokenMismatches'),
});
const streamMetrics = () => ({
  streams: metric('serverClockStreams'),
  ttftClient: metric('serverClockTtftClient'),
  ttftServer: metric('serverClockTtftServer'),
  ttftDiff: metric('serverClockTtftDiff'),
  itlClient: metric('serverClockItlClient'),
  itlServer: metric('serverClockItlServer'),
  itlDiff: metric('serverClockItlDiff'),
});
const answerMetrics = () => ({
  requests: metric('serverClockRequests'),
  requestLatency: metric('serverClockRequestLatency'),
  requestWait: metric('serverClockRequestWait'),
  requestPrefill: metric('serverClockRequestPrefill'),
  requestDecode: metric('serverClockRequestDecode'),
  requestPerToken: metric('serverClockRequestPerToken'),
  serverTiming: [
    metric('serverClockServerTiming1'),
    metric('serverClockServerTiming2'),
    metric('serverClockServerTiming3'),
    metric('serverClockServerTiming4'),
  ] as const,
});
let counts: ReturnType<typeof countMetrics> | null = null;
let streamed: ReturnType<typeof streamMetrics> | null = null;
let answered: ReturnType<typeof answerMetrics> | null = null;

/**
 * In init code: the metrics of the joins this scenario can make. `streams`: it streams; `answers`: it
 * sends requests whose answers may carry the server's figures (generation endpoints, or its own).
 */
export function useServerClockMetrics(o: { streams: boolean; answers: boolean }): void {
  if (o.streams || o.answers) counts ??= countMetrics();
  // Under the constants of what the script carries, so that a build without them lacks the makers too.
  if (__SENDS__.stream_generate && o.streams) streamed ??= streamMetrics();
  if (__WITH_ANSWER_CLOCK__ && o.answers) answered ??= answerMetrics();
}

/** Whether answers are joined at all in this VU: a caller skips looking for the server's figures if not. */
export function joinsAnswers(): boolean {
  return answered !== null;
}

/** Mismatched requests named in k6.log, at most this many per VU: the report lists them from there. */
const MAX_LOGGED = 20;
let logged = 0;
/** The Server-Timing names this VU logged for each slot: each once, a few at most (made at first use). */
const slotNames: string[][] = [];
const MAX_NAMES_PER_SLOT = 4;

type Tags = Record<string, string> | undefined;

function recordCounts(
  prompt: { tokens: number; cached: number | null } | null,
  tokens: { client: number; server: number } | null,
  ids: { requestId: string; serverId: string | null },
  tags: Tags,
): void {
  const m = counts;
  if (m === null) return;
  if (prompt !== null) {
    m.promptTokens.add(prompt.tokens, tags);
    if (prompt.cached !== null) m.cachedTokens.add(prompt.cached, tags);
  }
  if (tokens === null) return;
  m.counted.add(1, tags);
  m.tokensClient.add(tokens.client, tags);
  m.tokensServer.add(tokens.server, tags);
  const same = tokens.client === tokens.server;
  m.tokenMismatches.add(same ? 0 : 1, tags);
  if (!same && logged++ < MAX_LOGGED) console.warn(mismatchLogLine({ ...ids, ...tokens }));
}

export function recordServerClock(t: StreamTimings, tags: Record<string, string>, requestId: string): void {
  const m = streamed;
  if (m === null) return;
  const s = serverClockOf(t);
  if (s.ttft !== null || s.itl !== null) m.streams.add(1, tags);
  if (s.ttft !== null) {
    m.ttftClient.add(s.ttft.clientMs, tags);
    m.ttftServer.add(s.ttft.serverMs, tags);
    m.ttftDiff.add(s.ttft.clientMs - s.ttft.serverMs, tags);
  }
  if (s.itl !== null) {
    m.itlClient.add(s.itl.clientMs, tags);
    m.itlServer.add(s.itl.serverMs, tags);
    m.itlDiff.add(s.itl.clientMs - s.itl.serverMs, tags);
  }
  recordCounts(s.prompt, s.tokens, { requestId, serverId: t.serverId ?? null }, tags);
}

/**
 * One answer that did not stream. The endpoint is the VU's tag already (src/k6/lib/request.ts), so
 * no tags are passed: one object fewer for k6 to convert per call.
 */
export function recordRequestClock(o: {
  body: unknown;
  clientMs: number;
  clientTokens: number | null;
  serverTiming: string | null;
  requestId: string;
}): void {
  const m = answered;
  if (m === null) return;
  const s = requestClockOf(o);
  const split = s.split;
  if (split === null && s.tokens === null && s.serverTiming.length === 0) return;
  m.requests.add(1);
  if (split !== null) {
    m.requestLatency.add(split.clientMs);
    m.requestWait.add(split.waitMs);
    m.requestPrefill.add(split.promptMs);
    m.requestDecode.add(split.predictedMs);
    if (split.perTokenMs !== null) m.requestPerToken.add(split.perTokenMs);
  }
  for (let i = 0; i < s.serverTiming.length; i++) {
    const e = s.serverTiming[i]!;
    m.serverTiming[i]!.add(e.durMs!);
    const seen = (slotNames[i] ??= []);
    if (!seen.includes(e.name) && seen.length < MAX_NAMES_PER_SLOT) {
      seen.push(e.name);
      console.log(serverTimingLogLine(i + 1, e.name));
    }
  }
  recordCounts(s.prompt, s.tokens, { requestId: o.requestId, serverId: s.serverId }, undefined);
}
