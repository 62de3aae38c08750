/**
 * The report's account of answers that do not stream, joined per request with the server's own
 * (src/core/stream/request-clock.ts, recorded by src/k6/lib/stream/server-clock.ts): the client's
 * latency in parts, as percentiles over requests, each naming the server's field it comes from;
 * token counts, client against server; and, for a server that gives nothing, one line saying so.
 * What only k6.log holds (the Server-Timing names, the requests whose counts differ) is added by
 * withServerLog. Pure.
 */
import type { K6Summary, Latency, MismatchedRequest, RequestClockReport } from '../types.js';
import { latencyOf } from '../summary/summary-read.js';
import { K6_METRICS } from '../rules/metric-table.js';
import { joinedTokens, SERVER_CLOCK_METRICS as M } from './server-clock.js';
import type { BreakdownPart } from './server-clock-breakdown.js';
import { SERVER_TIMING_SLOTS } from './server-timing.js';

export const REQUEST_CLOCK_SOURCE =
  "the server's own figures in the same answer (timings; Server-Timing header), by the X-Request-Id sent";

export const WAITING_PART = 'waiting in the server and the network';
const SLOT_METRICS = [M.serverTiming1, M.serverTiming2, M.serverTiming3, M.serverTiming4] as const;
const slotPart = (i: number, names: readonly string[] = []): string =>
  `server-timing: ${names.length === 0 ? `entry ${i + 1}` : names.join(' | ')}`;

const f1 = (n: number): string => n.toFixed(1);
const p = (l: Latency): string => (l === null ? 'n/a' : `${f1(l.p50)} / ${f1(l.p95)}`);

function summaryOf(parts: readonly BreakdownPart[], tokens: RequestClockReport['tokens']): string {
  const measured = parts.filter((x) => x.ms !== null && x.part !== 'client latency');
  const counts =
    tokens.agree === null
      ? ''
      : `; tokens: client ${tokens.client}, server ${tokens.server}` +
        (tokens.agree ? ' (equal in every request)' : ` (${tokens.mismatchedRequests} request(s) differ)`);
  return `latency parts p50 / p95 ms: ${measured.map((x) => `${x.part} ${p(x.ms)}`).join(', ')}${counts}`;
}

/** Null when no answer generated tokens (a streamed scenario, health or tokenize only): nothing to join. */
export function requestClockSection(summary: K6Summary): RequestClockReport | null {
  const count = (name: string): number => summary.metrics[name]?.values['count'] ?? 0;
  const of = (name: string): Latency => latencyOf(summary.metrics[name]);
  // A counter's count is the sum of its values: tokens generated, requests that succeeded.
  if (count(K6_METRICS.tokens) === 0) return null;
  const answers = count(K6_METRICS.requestsOk);
  const joined = count(M.requests);
  const { counted, mismatched, client, server, agree } = joinedTokens(summary);
  const tokens = { requests: counted, client, server, mismatchedRequests: mismatched, agree };
  if (joined === 0) {
    return {
      source: REQUEST_CLOCK_SOURCE,
      answers,
      joined,
      parts: [],
      tokens,
      summary:
        'the server sent no per-request figures in its answers (no timings, no Server-Timing header); ' +
        'only its counters (GET /metrics) can be compared',
    };
  }
  const parts: BreakdownPart[] = [
    {
      part: 'client latency',
      source: "k6's http_req_duration of the answers with timings",
      ms: of(M.requestLatency),
    },
    {
      part: WAITING_PART,
      source: 'client latency − timings.prompt_ms − timings.predicted_ms, per request',
      ms: of(M.requestWait),
    },
    { part: 'prefill', source: 'timings.prompt_ms', ms: of(M.requestPrefill) },
    { part: 'decode', source: 'timings.predicted_ms', ms: of(M.requestDecode) },
    { part: 'decode per token', source: 'timings.predicted_per_token_ms', ms: of(M.requestPerToken) },
    ...SLOT_METRICS.flatMap((name, i) => {
      const ms = of(name);
      return ms === null ? [] : [{ part: slotPart(i), source: `Server-Timing header, entry ${i + 1}: dur`, ms }];
    }),
  ].filter((x) => x.ms !== null || x.part === WAITING_PART);
  return { source: REQUEST_CLOCK_SOURCE, answers, joined, parts, tokens, summary: summaryOf(parts, tokens) };
}

/** The Server-Timing parts named as the server named them, and the requests whose counts differ. */
export function withServerLog(
  rc: RequestClockReport,
  log: { names: readonly (readonly string[])[]; mismatched: readonly MismatchedRequest[] },
): RequestClockReport {
  const parts = rc.parts.map((x) => {
    for (let i = 0; i < SERVER_TIMING_SLOTS; i++)
      if (x.part === slotPart(i)) return { ...x, part: slotPart(i, log.names[i] ?? []) };
    return x;
  });
  return {
    ...rc,
    parts,
    ...(log.mismatched.length === 0 ? {} : { mismatched: [...log.mismatched] }),
    summary: rc.joined === 0 ? rc.summary : summaryOf(parts, rc.tokens),
  };
}
