/**
 * For each completed stream, the server's own figures beside the client's (src/core/stream/server-clock.ts),
 * recorded into k6 metrics the report compares and splits into parts (src/core/stream/server-clock-report.ts,
 * server-clock-breakdown.ts). The join is per request by construction: the server's timings come in the
 * same response as the chunks the client timed. A stream whose server sent nothing to compare with
 * records nothing here.
 */
import { serverClockOf, TOKEN_MISMATCH_LOG } from '../../../core/stream/server-clock.js';
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

/** Mismatched streams named in k6.log, at most this many per VU: the report lists them from there. */
const MAX_LOGGED = 20;
let logged = 0;

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
  if (s.prompt !== null) {
    promptTokens.add(s.prompt.tokens, tags);
    if (s.prompt.cached !== null) cachedTokens.add(s.prompt.cached, tags);
  }
  if (s.tokens !== null) {
    counted.add(1, tags);
    tokensClient.add(s.tokens.client, tags);
    tokensServer.add(s.tokens.server, tags);
    const same = s.tokens.client === s.tokens.server;
    tokenMismatches.add(same ? 0 : 1, tags);
    if (!same && logged++ < MAX_LOGGED)
      console.warn(`${TOKEN_MISMATCH_LOG} ${requestId} client=${s.tokens.client} server=${s.tokens.server}`);
  }
}
