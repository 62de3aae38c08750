/**
 * One streamed request, as the browser read it (src/k6/lib/stream/engine.ts), recorded into the same k6
 * metrics every scenario uses: exactly one `request_failed` sample per request sent (which keeps the
 * report's counts exact), and the stream's Trends — time to first token, inter-token latency,
 * end-to-end, output tokens per second — which the browser computed with src/core/stream/stream.ts from the
 * chunks' arrival times.
 */
import { isGood, meanItlMs, type GoodputObjective } from '../../../core/rules/goodput.js';
import { check } from '../k6-calls.js';
import { metric } from '../metrics.js';
import { recordServerClock } from './server-clock.js';
import type { StreamPageResult } from './schedule-types.js';

// Custom metrics must be created in init code.
const requestFailed = metric('requestFailed');
const requestsOk = metric('requestsOk');
const tokens = metric('tokens');
const ttft = metric('ttft');
const itl = metric('itl');
const e2e = metric('e2e');
const tokensPerSecond = metric('tokensPerSecond');
// k6's own counter of arrivals that found no free client: the same metric the converter reads for
// every open phase.
const dropped = metric('dropped');
const windowMs = metric('streamWindowMs');
const windowStart = metric('streamWindowStartMs');
const readInPage = metric('streamReadInPage');
const sendWait = metric('streamSendWait');
const startLate = metric('streamStartLate');
const goodput = metric('goodput');
const goodputTokens = metric('goodputTokens');

/** Per-request objectives (--goodput), set when the phase starts (src/k6/lib/stream/run.ts); null: none asked for. */
let objectives: readonly GoodputObjective[] | null = null;
export function useGoodput(o: readonly GoodputObjective[] | null): void {
  objectives = o;
}

/** Whether a stream met every objective at once; its ITL is its own mean gap between tokens (vLLM's TPOT). */
function recordGoodput(complete: boolean, t: StreamPageResult['timings'], tags: Record<string, string>): void {
  if (objectives === null) return;
  const figures = complete
    ? { failed: false, ttft: t.ttftMs!, e2e: t.e2eMs ?? undefined, itl: itlOf(t) }
    : { failed: true };
  const good = isGood(objectives, figures);
  goodput.add(good, tags);
  if (good && t.outputTokens > 0) goodputTokens.add(t.outputTokens, tags);
}

function itlOf(t: StreamPageResult['timings']): number | undefined {
  return t.e2eMs === null ? undefined : (meanItlMs(t.ttftMs!, t.e2eMs, t.outputTokens) ?? undefined);
}

/**
 * `extraTags`: a conversation's turn, on every figure of the stream; its TTFT is also tagged `cache`
 * hit or miss when the server said how much of the prompt it took from its cache.
 */
export function recordStream(
  result: StreamPageResult,
  endpointName: string,
  path: string,
  requestId: string,
  extraTags?: Record<string, string>,
): void {
  const tags =
    extraTags === undefined
      ? { endpoint: endpointName, name: path }
      : { endpoint: endpointName, name: path, ...extraTags };
  const t = result.timings;
  const statusOk = result.status === 200;
  const complete = statusOk && result.error === null && t.error === null && t.done && t.ttftMs !== null;
  check(result, { [`${endpointName} status is 200`]: () => statusOk }, tags);
  if (statusOk) check(result, { [`${endpointName} stream completes with tokens`]: () => complete }, tags);
  requestFailed.add(!complete, tags);
  if (t.e2eMs !== null) e2e.add(t.e2eMs, tags);
  recordGoodput(complete, t, tags);
  if (!complete) return;
  requestsOk.add(1, tags);
  const cached = t.cachedTokens ?? null;
  ttft.add(t.ttftMs!, cached === null ? tags : { ...tags, cache: cached > 0 ? 'hit' : 'miss' });
  for (const gap of t.itlMs) itl.add(gap, tags);
  tokens.add(t.outputTokens, tags);
  if (t.e2eMs! > 0) tokensPerSecond.add(t.outputTokens / (t.e2eMs! / 1000), tags);
  recordServerClock(t, tags, requestId);
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
