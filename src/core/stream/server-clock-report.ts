/**
 * The report's comparison of the client's stream figures with the server's own (what k6 recorded
 * through src/k6/lib/stream/server-clock.ts): TTFT against the server's prompt time, mean inter-token
 * latency against its time per token — each as the median over requests of the per-request
 * difference — and token counts, which must be equal. One line says whether they agree, and by how
 * much they do not.
 */
import type { K6Summary, ServerClockPair, ServerClockReport } from '../types.js';
import { joinedTokens, SERVER_CLOCK_METRICS as M, SERVER_CLOCK_TOLERANCE, withinTolerance } from './server-clock.js';
import { serverClockBreakdown } from './server-clock-breakdown.js';

const f2 = (n: number): string => n.toFixed(2);
/** Said of a TTFT later than the server's prompt time by the time the request waited in the server. */
export const EXPLAINED = 'differs by the time waiting in the server (see the parts below)';
const signed = (n: number): string => `${n >= 0 ? '+' : ''}${f2(n)}`;

function pair(
  summary: K6Summary,
  client: string,
  server: string,
  diff: string,
  tol: { ms: number; fraction: number },
): ServerClockPair {
  const d = summary.metrics[diff]?.values;
  const samples = d?.['count'] ?? 0;
  if (d === undefined || samples === 0) return null;
  const serverP50 = summary.metrics[server]?.values['p(50)'] ?? 0;
  const medianDiff = d['p(50)'] ?? 0;
  return {
    samples,
    clientP50: summary.metrics[client]?.values['p(50)'] ?? 0,
    serverP50,
    medianDiff,
    tolerance: `±${tol.ms} ms or ±${Math.round(tol.fraction * 100)}% of the server's median, whichever is larger`,
    agree: withinTolerance(medianDiff, serverP50, tol),
  };
}

function pairText(label: string, serverLabel: string, p: ServerClockPair & object): string {
  const pctOf = p.serverP50 === 0 ? '' : ` (${signed((p.medianDiff / p.serverP50) * 100)}%)`;
  return (
    `${label}: client ${f2(p.clientP50)} ms, server ${f2(p.serverP50)} ms (${serverLabel}), ` +
    `median per-request difference ${signed(p.medianDiff)} ms${pctOf}`
  );
}

export function serverClockSection(summary: K6Summary): ServerClockReport {
  const count = (name: string): number => summary.metrics[name]?.values['count'] ?? 0;
  const streams = count(M.streams);
  const ttft = pair(summary, M.ttftClient, M.ttftServer, M.ttftDiff, SERVER_CLOCK_TOLERANCE.ttft);
  const itl = pair(summary, M.itlClient, M.itlServer, M.itlDiff, SERVER_CLOCK_TOLERANCE.itl);
  const joined = joinedTokens(summary);
  const { counted, mismatched } = joined;
  const tokens = {
    streams: counted,
    client: joined.client,
    server: joined.server,
    mismatchedStreams: mismatched,
    agree: joined.agree,
  };

  const breakdown = serverClockBreakdown(summary);
  // A TTFT later than the server's prompt time, with decoding and token counts in agreement, is the
  // request's wait in the server before its prompt: shown as a part of the breakdown, not a disagreement.
  const queued = ttft !== null && !ttft.agree && ttft.medianDiff > 0 && itl?.agree === true && tokens.agree !== false;
  const ttftPair = queued && breakdown !== null ? { ...ttft, explained: EXPLAINED } : ttft;
  const judged = [ttftPair?.explained === undefined ? ttftPair?.agree : true, itl?.agree, tokens.agree].filter(
    (a): a is boolean => typeof a === 'boolean',
  );
  const agree = judged.length === 0 ? null : judged.every(Boolean);
  const parts: string[] = [];
  if (ttftPair !== null)
    parts.push(pairText('TTFT', 'prompt_ms', ttftPair) + (ttftPair.explained === undefined ? '' : `, ${EXPLAINED}`));
  if (itl !== null) parts.push(pairText('ITL', 'predicted_per_token_ms', itl));
  if (counted > 0) {
    const differ =
      mismatched === 0
        ? ''
        : ` (${mismatched} of ${counted} streams differ, by ${signed(tokens.client - tokens.server)} tokens in all)`;
    parts.push(`tokens: client ${tokens.client}, server ${tokens.server}${differ}`);
  }
  let line: string;
  if (agree === null) {
    line =
      'the server sent no per-request timings or token counts in its streams; ' +
      'only its counters (GET /metrics) can be compared';
  } else if (agree) {
    line = `client and server agree: ${parts.join('; ')}`;
  } else {
    const off = [
      ...(ttftPair?.agree === false && ttftPair.explained === undefined
        ? [`TTFT off by ${signed(ttftPair.medianDiff)} ms (${ttftPair.tolerance} allowed)`]
        : []),
      ...(itl?.agree === false ? [`ITL off by ${signed(itl.medianDiff)} ms (${itl.tolerance} allowed)`] : []),
      ...(tokens.agree === false
        ? [`token counts differ in ${mismatched} stream(s): client ${tokens.client}, server ${tokens.server}`]
        : []),
    ];
    line = `client and server DISAGREE: ${off.join('; ')}. ${parts.join('; ')}`;
  }
  return {
    ...(breakdown === null ? {} : { breakdown }),
    source:
      "the server's own per-request figures from each stream " +
      '(timings: prompt_ms, predicted_per_token_ms, predicted_n; usage.completion_tokens)',
    streams,
    ttftMs: ttftPair,
    itlMs: itl,
    tokens,
    agree,
    summary: line,
  };
}
