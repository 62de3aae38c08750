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
import { serverTimingLogLine, SERVER_TIMING_SLOTS } from '../../../core/stream/server-timing.js';
import type { StreamTimings } from '../../../core/stream/stream.js';
import { metric } from '../metrics.js';

// Custom metrics must be created in init code.
const streams = metric('serverClockStreams');
const ttftClient = metric('serverClockTtftClient');
const ttftServer = metric('serverClockTtftServer');
const ttftDiff = metric('serverClockTtftDiff');
const itlClient = metric('serverClockItlClient');
const itlServer = metric('serverClockItlServer');
const itlDiff = metric('serverClockItlDiff');
const promptTokens = metric('serverClockPromptTokens');
const cachedTokens = metric('serverClockCachedTokens');
const counted = metric('serverClockCounted');
const tokensClient = metric('serverClockTokensClient');
const tokensServer = metric('serverClockTokensServer');
const tokenMismatches = metric('serverClockTokenMismatches');
const requests = metric('serverClockRequests');
const requestLatency = metric('serverClockRequestLatency');
const requestWait = metric('serverClockRequestWait');
const requestPrefill = metric('serverClockRequestPrefill');
const requestDecode = metric('serverClockRequestDecode');
const requestPerToken = metric('serverClockRequestPerToken');
const serverTiming = [
  metric('serverClockServerTiming1'),
  metric('serverClockServerTiming2'),
  metric('serverClockServerTiming3'),
  metric('serverClockServerTiming4'),
] as const;

/** Mismatched requests named in k6.log, at most this many per VU: the report lists them from there. */
const MAX_LOGGED = 20;
let logged = 0;
/** The Server-Timing names this VU logged for each slot: each once, a few at most. */
const slotNames: Array<Set<string>> = Array.from({ length: SERVER_TIMING_SLOTS }, () => new Set());
const MAX_NAMES_PER_SLOT = 4;

type Tags = Record<string, string> | undefined;

function recordCounts(
  prompt: { tokens: number; cached: number | null } | null,
  tokens: { client: number; server: number } | null,
  ids: { requestId: string; serverId: string | null },
  tags: Tags,
): void {
  if (prompt !== null) {
    promptTokens.add(prompt.tokens, tags);
    if (prompt.cached !== null) cachedTokens.add(prompt.cached, tags);
  }
  if (tokens === null) return;
  counted.add(1, tags);
  tokensClient.add(tokens.client, tags);
  tokensServer.add(tokens.server, tags);
  const same = tokens.client === tokens.server;
  tokenMismatches.add(same ? 0 : 1, tags);
  if (!same && logged++ < MAX_LOGGED) console.warn(mismatchLogLine({ ...ids, ...tokens }));
}

export function recordServerClock(t: StreamTimings, tags: Record<string, string>, requestId: string): void {
  const s = serverClockOf(t);
  if (s.ttft !== null || s.itl !== null) streams.add(1, tags);
  if (s.ttft !== null) {
    ttftClient.add(s.ttft.clientMs, tags);
    ttftServer.add(s.ttft.serverMs, tags);
    ttftDiff.add(s.ttft.clientMs - s.ttft.serverMs, tags);
  }
  if (s.itl !== null) {
    itlClient.add(s.itl.clientMs, tags);
    itlServer.add(s.itl.serverMs, tags);
    itlDiff.add(s.itl.clientMs - s.itl.serverMs, tags);
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
  const s = requestClockOf(o);
  const split = s.split;
  if (split === null && s.tokens === null && s.serverTiming.length === 0) return;
  requests.add(1);
  if (split !== null) {
    requestLatency.add(split.clientMs);
    requestWait.add(split.waitMs);
    requestPrefill.add(split.promptMs);
    requestDecode.add(split.predictedMs);
    if (split.perTokenMs !== null) requestPerToken.add(split.perTokenMs);
  }
  for (let i = 0; i < s.serverTiming.length; i++) {
    const e = s.serverTiming[i]!;
    serverTiming[i]!.add(e.durMs!);
    const seen = slotNames[i]!;
    if (!seen.has(e.name) && seen.size < MAX_NAMES_PER_SLOT) {
      seen.add(e.name);
      console.log(serverTimingLogLine(i + 1, e.name));
    }
  }
  recordCounts(s.prompt, s.tokens, { requestId: o.requestId, serverId: s.serverId }, undefined);
}
