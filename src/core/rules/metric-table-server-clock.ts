/**
 * The metric table's entries for the server's own per-request figures, recorded beside the client's
 * (src/core/stream/server-clock.ts for streams, request-clock.ts for answers that do not stream).
 * Part of METRICS (src/core/rules/metric-table.ts), kept here so that table stays one screenful. Pure.
 */
import type { MetricEntry } from './metric-table.js';

const COUNTER = { type: 'counter', isTime: false, at: 'server-clock' } as const;
const TIME = { type: 'trend', isTime: true, at: 'server-clock' } as const;

export const SERVER_CLOCK_ENTRIES = {
  /** Streams for which the server sent its timings. */
  serverClockStreams: { k6: 'server_clock_streams', ...COUNTER },
  serverClockTtftClient: { k6: 'server_clock_ttft_client_ms', ...TIME },
  serverClockTtftServer: { k6: 'server_clock_ttft_server_ms', ...TIME },
  /** Client TTFT - the server's prompt_ms, per request. */
  serverClockTtftDiff: { k6: 'server_clock_ttft_diff_ms', ...TIME },
  /** The client's mean inter-token latency of a stream. */
  serverClockItlClient: { k6: 'server_clock_itl_client_ms', ...TIME },
  serverClockItlServer: { k6: 'server_clock_itl_server_ms', ...TIME },
  serverClockItlDiff: { k6: 'server_clock_itl_diff_ms', ...TIME },
  /** The server's prompt tokens of a request (llama.cpp's timings.prompt_n): what its prefill processed. */
  serverClockPromptTokens: { k6: 'server_clock_prompt_tokens', type: 'trend', isTime: false, at: 'server-clock' },
  /** Prompt tokens the server took from its cache instead (timings.cache_n). */
  serverClockCachedTokens: { k6: 'server_clock_cached_tokens', type: 'trend', isTime: false, at: 'server-clock' },
  /** Streams (or answers) for which the server gave a token count. */
  serverClockCounted: { k6: 'server_clock_counted_streams', ...COUNTER },
  /** Over the counted streams: tokens the client saw, tokens the server says it made. */
  serverClockTokensClient: { k6: 'server_clock_tokens_client', ...COUNTER },
  serverClockTokensServer: { k6: 'server_clock_tokens_server', ...COUNTER },
  /** Counted streams whose two counts differ. */
  serverClockTokenMismatches: { k6: 'server_clock_token_mismatches', ...COUNTER },

  /** Answers (not streamed) that carried the server's own figures: llama.cpp's timings, a Server-Timing header. */
  serverClockRequests: { k6: 'server_clock_requests', ...COUNTER },
  /** Of those with timings: the client's latency (k6's http_req_duration) of each. */
  serverClockRequestLatency: { k6: 'server_clock_request_latency_ms', ...TIME },
  /** Client latency − prompt_ms − predicted_ms, per answer: waiting in the server, and the network. */
  serverClockRequestWait: { k6: 'server_clock_request_wait_ms', ...TIME },
  serverClockRequestPrefill: { k6: 'server_clock_request_prefill_ms', ...TIME },
  serverClockRequestDecode: { k6: 'server_clock_request_decode_ms', ...TIME },
  serverClockRequestPerToken: { k6: 'server_clock_request_per_token_ms', ...TIME },
  /** A Server-Timing header's durations by the entry's place in it (names go to k6.log). */
  serverClockServerTiming1: { k6: 'server_clock_server_timing_1_ms', ...TIME },
  serverClockServerTiming2: { k6: 'server_clock_server_timing_2_ms', ...TIME },
  serverClockServerTiming3: { k6: 'server_clock_server_timing_3_ms', ...TIME },
  serverClockServerTiming4: { k6: 'server_clock_server_timing_4_ms', ...TIME },
} as const satisfies Record<string, MetricEntry>;
