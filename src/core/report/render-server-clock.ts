/**
 * The text report's lines for the client's stream figures beside the server's own
 * (src/core/stream/server-clock-report.ts).
 */
import type { ServerClockPair, ServerClockReport } from '../types.js';

const f2 = (n: number): string => n.toFixed(2);

function pairLine(label: string, p: ServerClockPair): string {
  if (p === null) return `    ${label}: not reported by the server`;
  const diff = `${p.medianDiff >= 0 ? '+' : ''}${f2(p.medianDiff)}`;
  return (
    `    ${label}: client p50 ${f2(p.clientP50)} ms, server p50 ${f2(p.serverP50)} ms, ` +
    `median difference ${diff} ms over ${p.samples} requests - ${p.agree ? 'agree' : 'DISAGREE'}`
  );
}

export function serverClockLines(c: ServerClockReport | null | undefined): string[] {
  if (c == null) return [];
  if (c.agree === null) return [`  client vs server: ${c.summary}`];
  const t = c.tokens;
  return [
    `  client vs server (${c.source}):`,
    pairLine('TTFT vs prompt_ms', c.ttftMs),
    pairLine('ITL vs predicted_per_token_ms', c.itlMs),
    t.streams === 0
      ? '    tokens: not reported by the server'
      : `    tokens: client ${t.client}, server ${t.server} over ${t.streams} streams` +
        `${t.mismatchedStreams === 0 ? '' : `, ${t.mismatchedStreams} differ`} - ${t.agree ? 'agree' : 'DISAGREE'}`,
    `    ${c.summary}`,
  ];
}
