/**
 * One streamed request, as the browser read it (src/k6/lib/stream/engine.ts), recorded into the same k6
 * metrics every scenario uses: exactly one `request_failed` sample per request sent (which keeps the
 * report's counts exact), and the stream's Trends — time to first token, inter-token latency,
 * end-to-end, output tokens per second — which the browser computed with src/core/stream/stream.ts from the
 * chunks' arrival times.
 */
import { check } from 'k6';
import { Counter, Gauge, Rate, Trend } from 'k6/metrics';
import { K6_METRICS } from '../../../core/rules/thresholds.js';
import { recordServerClock } from './server-clock.js';
import type { StreamPageResult } from './scheduler.js';

// Custom metrics must be created in init code.
const requestFailed = new Rate(K6_METRICS.requestFailed);
const requestsOk = new Counter(K6_METRICS.requestsOk);
const tokens = new Counter(K6_METRICS.tokens);
const ttft = new Trend(K6_METRICS.ttft, true);
const itl = new Trend(K6_METRICS.itl, true);
const e2e = new Trend(K6_METRICS.e2e, true);
const tokensPerSecond = new Trend(K6_METRICS.tokensPerSecond);
// k6's own counter of arrivals that found no free client: the same metric the converter reads for
// every open phase. Registering an existing name with the same type returns k6's metric.
const dropped = new Counter(K6_METRICS.dropped);
const windowMs = new Counter(K6_METRICS.streamWindowMs);
const windowStart = new Gauge(K6_METRICS.streamWindowStartMs);
const readInPage = new Counter(K6_METRICS.streamReadInPage);
const sendWait = new Trend(K6_METRICS.streamSendWait, true);
const startLate = new Trend(K6_METRICS.streamStartLate, true);

export function recordStream(result: StreamPageResult, endpointName: string, path: string): void {
  const tags = { endpoint: endpointName, name: path };
  const t = result.timings;
  const statusOk = result.status === 200;
  const complete = statusOk && result.error === null && t.error === null && t.done && t.ttftMs !== null;
  check(result, { [`${endpointName} status is 200`]: () => statusOk }, tags);
  if (statusOk) check(result, { [`${endpointName} stream completes with tokens`]: () => complete }, tags);
  requestFailed.add(!complete, tags);
  if (t.e2eMs !== null) e2e.add(t.e2eMs, tags);
  if (!complete) return;
  requestsOk.add(1, tags);
  ttft.add(t.ttftMs!, tags);
  for (const gap of t.itlMs) itl.add(gap, tags);
  tokens.add(t.outputTokens, tags);
  if (t.e2eMs! > 0) tokensPerSecond.add(t.outputTokens / (t.e2eMs! / 1000), tags);
  recordServerClock(t, tags);
}

/** Arrivals that found every client busy (open model): never sent, failures in the report. */
export function recordDropped(n: number): void {
  if (n > 0) dropped.add(n);
}

/** The measured window of a phase: from its first request sent to the end of its last stream. */
export function recordWindow(startEpochMs: number, ms: number): void {
  windowStart.add(startEpochMs);
  windowMs.add(ms);
}

/**
 * How long the browser held a request before writing it: not in TTFT or end-to-end (timed from the
 * write), but the client's own queue, so kept to show how busy the reader was.
 */
export function recordSendWait(ms: number, endpointName: string, path: string): void {
  sendWait.add(ms, { endpoint: endpointName, name: path });
}

/**
 * Open model: how long after its due time a request was written. The schedule's promise, kept or
 * not by the generator itself (a late one means fewer requests in flight than the rate asked for).
 */
export function recordStartLate(ms: number, endpointName: string, path: string): void {
  startLate.add(ms, { endpoint: endpointName, name: path });
}

/** The phase's streams are read in the page's frames themselves (their workers did not start): more CPU per stream. */
export function recordReadInPage(): void {
  readInPage.add(1);
}
