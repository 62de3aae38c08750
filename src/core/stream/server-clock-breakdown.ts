/**
 * Where each request's TTFT went, from the client's figures joined per request with the server's own
 * (src/k6/lib/stream/server-clock.ts records both from the same response), as percentiles over
 * requests. The parts, and the field each comes from:
 *
 * - client send wait: fetch() to the browser writing the request (Resource Timing requestStart −
 *   the call). The client's own queue; not inside TTFT, which is timed from the write.
 * - before the prompt: client TTFT − the server's `prompt_ms`, per request. Everything between the
 *   request leaving the client and the server starting its prompt, plus the first token's way back:
 *   the wire both ways, parsing, and the wait for a free slot. With a measurement floor (the client's
 *   TTFT against a reference server's own first write, on this machine at this concurrency: the wire
 *   both ways and the client's reading), it splits in two:
 *   - waiting in the server = before the prompt − the floor's TTFT p50 (slot queue and parsing);
 *   - network and first-token delivery = the floor's TTFT p50 (one figure for every request).
 * - prefill: `prompt_ms` (llama.cpp: start of prompt processing to the first token sampled).
 *
 * And each stream's decode time per token (`predicted_per_token_ms`) beside the client's mean
 * inter-token latency of the same stream, and their difference. Percentiles of parts do not add up
 * to the whole's: the slowest requests of one part need not be those of another. Pure.
 */
import type { K6Summary, Latency, MeasurementFloor } from '../types.js';
import { latencyOf } from '../summary/summary-read.js';
import { K6_METRICS } from '../rules/metric-table.js';
import { SERVER_CLOCK_METRICS as M } from './server-clock.js';

export interface BreakdownPart {
  part: string;
  source: string;
  ms: Latency;
}

export interface ServerClockBreakdown {
  ttft: BreakdownPart[];
  decode: BreakdownPart[];
  summary: string;
}

/** A latency moved by a constant: every percentile of (x − c) is the percentile of x − c. */
function shifted(l: Latency, by: number): Latency {
  if (l === null) return null;
  return {
    samples: l.samples,
    min: l.min - by,
    avg: l.avg - by,
    p50: l.p50 - by,
    p90: l.p90 - by,
    p95: l.p95 - by,
    p99: l.p99 - by,
    max: l.max - by,
  };
}

function constant(v: number, samples: number): Latency {
  return { samples, min: v, avg: v, p50: v, p90: v, p95: v, p99: v, max: v };
}

const f1 = (n: number): string => n.toFixed(1);

const BEFORE = 'before the prompt (network both ways, slot queue, parsing, delivery)';
const p = (l: Latency): string => (l === null ? 'n/a' : `${f1(l.p50)} / ${f1(l.p95)}`);

function summaryOf(ttft: readonly BreakdownPart[], decode: readonly BreakdownPart[]): string {
  const parts = ttft.map((t) => `${t.part.split(' (')[0]} ${p(t.ms)}`).join(', ');
  return `TTFT parts p50 / p95 ms: ${parts}; decode per token ${p(decode[0]!.ms)} vs client ITL ${p(decode[1]!.ms)}`;
}

/** Null when the server reported no timings: there is nothing to split. */
export function serverClockBreakdown(summary: K6Summary): ServerClockBreakdown | null {
  const of = (name: string): Latency => latencyOf(summary.metrics[name]);
  const before = of(M.ttftDiff);
  const decode = of(M.itlServer);
  if (before === null && decode === null) return null;
  const ttft: BreakdownPart[] = [
    {
      part: 'client send wait',
      source: 'client: fetch() to requestStart (stream_send_wait), before TTFT starts',
      ms: of(K6_METRICS.streamSendWait),
    },
    { part: BEFORE, source: 'client TTFT − timings.prompt_ms, per request', ms: before },
    { part: 'prefill', source: 'timings.prompt_ms', ms: of(M.ttftServer) },
  ];
  const decodeParts: BreakdownPart[] = [
    { part: 'decode per token (server)', source: 'timings.predicted_per_token_ms', ms: decode },
    { part: 'inter-token latency (client, mean per stream)', source: 'client chunk arrivals', ms: of(M.itlClient) },
    {
      part: 'client − server, per stream',
      source: 'mean client ITL − timings.predicted_per_token_ms',
      ms: of(M.itlDiff),
    },
  ];
  return { ttft, decode: decodeParts, summary: summaryOf(ttft, decodeParts) };
}

/** The part before the prompt split by the measurement floor: waiting in the server, and the wire. */
export function splitByFloor(b: ServerClockBreakdown, floor: MeasurementFloor): ServerClockBreakdown {
  const floorMs = floor.ttftMs?.p50 ?? null;
  const at = b.ttft.findIndex((t) => t.part === BEFORE);
  const before = at === -1 ? null : b.ttft[at]!.ms;
  if (floorMs === null || before === null) return b;
  const streams = `${floor.streams} stream${floor.streams === 1 ? '' : 's'}`;
  const split: BreakdownPart[] = [
    {
      part: 'waiting in the server (slot queue, parsing)',
      source: `client TTFT − timings.prompt_ms − the measurement floor's TTFT p50 (${f1(floorMs)} ms)`,
      ms: shifted(before, floorMs),
    },
    {
      part: 'network and first-token delivery',
      source: `the measurement floor's TTFT p50 at ${streams} (reference server, this machine)`,
      ms: constant(floorMs, before.samples),
    },
  ];
  const ttft = [...b.ttft.slice(0, at), ...split, ...b.ttft.slice(at + 1)];
  return { ttft, decode: b.decode, summary: summaryOf(ttft, b.decode) };
}
