/**
 * The streaming section of a scenario report: TTFT, ITL, end-to-end, tokens, and how they were
 * taken. Pure.
 */
import type { K6Summary, ScenarioReport } from '../types.js';
import { serverClockSection } from '../stream/server-clock-report.js';
import { latencyOf, metric } from './summary-read.js';
import { K6_METRICS } from '../rules/metric-table.js';

export const STREAM_METHOD =
  'Measured in one page of a headless Chromium driven by k6 (k6/browser), started and connected before the measured ' +
  'window: the page runs the schedule, and a worker per host name reads each SSE stream with fetch(), timestamping ' +
  'each chunk with performance.now() as it arrives; each stream is timed from when the browser wrote its request ' +
  '(Resource Timing requestStart). ' +
  'TTFT is the arrival of the first chunk carrying a token (an empty or role-only chunk is not one); ' +
  'inter-token latency has one sample per token after the first, ' +
  'a chunk of k tokens after a gap g counting as k samples of g/k; end-to-end is the arrival of the last chunk; ' +
  "output tokens are the server's own count " +
  "(Realizar's done event num_generated, OpenAI's usage) when given, else the tokens seen; " +
  'tokens per second is output tokens / end-to-end time.';

export function streamingSection(
  api: 'realizar' | 'openai',
  summary: K6Summary,
  windowMs: number,
): ScenarioReport['streaming'] {
  const tps = metric(summary, K6_METRICS.tokensPerSecond);
  const tokens = metric(summary, K6_METRICS.tokens);
  const ttft = latencyOf(metric(summary, K6_METRICS.ttft));
  return {
    api,
    requests: ttft?.samples ?? 0,
    outputTokens: tokens?.values['count'] ?? 0,
    countedFrom:
      api === 'realizar'
        ? "the server's done event (num_generated)"
        : "the server's usage.completion_tokens when sent, else the stream's deltas",
    ttftMs: ttft,
    itlMs: latencyOf(metric(summary, K6_METRICS.itl)),
    e2eMs: latencyOf(metric(summary, K6_METRICS.e2e)),
    outputTokensPerSecond:
      tps === undefined || (tps.values['count'] ?? 0) === 0
        ? null
        : { p50: tps.values['p(50)'] ?? 0, min: tps.values['min'] ?? 0, max: tps.values['max'] ?? 0 },
    method: STREAM_METHOD,
    windowSec: windowMs > 0 ? windowMs / 1000 : null,
    outputTokensPerSecondTotal: windowMs > 0 ? (tokens?.values['count'] ?? 0) / (windowMs / 1000) : null,
    sendWaitMs: latencyOf(metric(summary, K6_METRICS.streamSendWait)),
    startLateMs: latencyOf(metric(summary, K6_METRICS.streamStartLate)),
    serverClock: serverClockSection(summary),
  };
}
