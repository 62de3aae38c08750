/**
 * The text report's lines for each request joined with the server's own account of it: streams
 * (src/core/stream/server-clock-report.ts) and answers that do not stream
 * (src/core/stream/request-clock-report.ts), each part naming the field behind it.
 */
import type {
  MeasurementFloor,
  MismatchedRequest,
  RequestClockReport,
  ServerClockPair,
  ServerClockReport,
} from '../types.js';
import type { BreakdownPart } from '../stream/server-clock-breakdown.js';

const f2 = (n: number): string => n.toFixed(2);

function pairLine(label: string, p: ServerClockPair): string {
  if (p === null) return `    ${label}: not reported by the server`;
  const diff = `${p.medianDiff >= 0 ? '+' : ''}${f2(p.medianDiff)}`;
  const verdict = p.agree ? 'agree' : (p.explained ?? 'DISAGREE');
  return (
    `    ${label}: client p50 ${f2(p.clientP50)} ms, server p50 ${f2(p.serverP50)} ms, ` +
    `median difference ${diff} ms over ${p.samples} requests - ${verdict}`
  );
}

export function serverClockLines(
  c: ServerClockReport | null | undefined,
  floor: MeasurementFloor | null | undefined = null,
): string[] {
  const floorLine = floor == null ? [] : [`  ${floor.summary}`];
  if (c == null) return floorLine;
  if (c.agree === null) return [...floorLine, `  client vs server: ${c.summary}`];
  const t = c.tokens;
  return [
    ...floorLine,
    `  client vs server (${c.source}):`,
    pairLine('TTFT vs prompt_ms', c.ttftMs),
    pairLine('ITL vs predicted_per_token_ms', c.itlMs),
    t.streams === 0
      ? '    tokens: not reported by the server'
      : `    tokens: client ${t.client}, server ${t.server} over ${t.streams} streams` +
        `${t.mismatchedStreams === 0 ? '' : `, ${t.mismatchedStreams} differ`} - ${t.agree ? 'agree' : 'DISAGREE'}`,
    `    ${c.summary}`,
    ...breakdownLines(c),
  ];
}

function partLine(b: BreakdownPart): string {
  const l = b.ms;
  const figures = l === null ? 'not measured' : `p50 ${f2(l.p50)}, p95 ${f2(l.p95)}, p99 ${f2(l.p99)} ms`;
  return `      ${b.part}: ${figures}  [${b.source}]`;
}

/** The requests whose counts differ: our id, the server's own id (to find it in its logs), both counts. */
function mismatchLine(ms: readonly MismatchedRequest[] | undefined, ids: readonly string[] = []): string[] {
  if (ms !== undefined && ms.length > 0) {
    const each = ms.map(
      (m) => `${m.requestId}${m.serverId === null ? '' : ` (server id ${m.serverId})`} ${m.client} vs ${m.server}`,
    );
    return [`    token counts differ in (client vs server): ${each.join(', ')}`];
  }
  return ids.length === 0 ? [] : [`    token counts differ in: ${ids.join(', ')}`];
}

/** Each part of TTFT and of decoding, with the field behind it; then the streams whose counts differ. */
function breakdownLines(c: ServerClockReport): string[] {
  const b = c.breakdown;
  return [
    ...(b === undefined
      ? []
      : [
          '    TTFT per request, in parts (percentiles over requests; they do not add up):',
          ...b.ttft.map(partLine),
          '    decoding per stream:',
          ...b.decode.map(partLine),
        ]),
    ...mismatchLine(c.mismatched, c.mismatchedRequestIds),
  ];
}

/** Answers that do not stream: one line when the server gave nothing, else each part and the counts. */
export function requestClockLines(rc: RequestClockReport | null | undefined): string[] {
  if (rc == null) return [];
  if (rc.joined === 0) return [`Client vs server, per request: ${rc.summary}`];
  const t = rc.tokens;
  return [
    `Client vs server, per request: ${rc.joined} of ${rc.answers} successful requests joined with ${rc.source}`,
    '    latency per request, in parts (percentiles over requests; they do not add up):',
    ...rc.parts.map(partLine),
    t.requests === 0
      ? '    tokens: the server gave no count (timings.predicted_n)'
      : `    tokens: client ${t.client} (usage), server ${t.server} (timings.predicted_n) over ${t.requests} ` +
        `requests${t.mismatchedRequests === 0 ? '' : `, ${t.mismatchedRequests} differ`} - ` +
        (t.agree ? 'agree' : 'DISAGREE'),
    ...mismatchLine(rc.mismatched),
  ];
}
