/**
 * The text report's lines for the client's stream figures beside the server's own
 * (src/core/stream/server-clock-report.ts).
 */
import type { MeasurementFloor, ServerClockPair, ServerClockReport } from '../types.js';
import type { BreakdownPart } from '../stream/server-clock-breakdown.js';

const f2 = (n: number): string => n.toFixed(2);

function pairLine(label: string, p: ServerClockPair): string {
  if (p === null) return `    ${label}: not reported by the server`;
  const diff = `${p.medianDiff >= 0 ? '+' : ''}${f2(p.medianDiff)}`;
  return (
    `    ${label}: client p50 ${f2(p.clientP50)} ms, server p50 ${f2(p.serverP50)} ms, ` +
    `median difference ${diff} ms over ${p.samples} requests - ${p.agree ? 'agree' : 'DISAGREE'}`
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

/** Each part of TTFT and of decoding, with the field behind it; then the streams whose counts differ. */
function breakdownLines(c: ServerClockReport): string[] {
  const b = c.breakdown;
  const ids = c.mismatchedRequestIds ?? [];
  return [
    ...(b === undefined
      ? []
      : [
          '    TTFT per request, in parts (percentiles over requests; they do not add up):',
          ...b.ttft.map(partLine),
          '    decoding per stream:',
          ...b.decode.map(partLine),
        ]),
    ...(ids.length === 0 ? [] : [`    token counts differ in: ${ids.join(', ')}`]),
  ];
}
