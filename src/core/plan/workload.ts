/**
 * A shaped workload in the plan (--input-tokens, --dataset, --turns...; src/core/workload/): which
 * endpoints it drives, and what conversations ask of the phases — one client holds a conversation
 * from its first turn to its last, so they need a closed phase, and a user's think time lengthens
 * how long a phase may last. Pure: the Node side resolves the same plan as k6.
 */
import { ValidationError } from '../errors/ValidationError.js';
import type { EndpointName, PlanPhase, WorkloadPlan } from '../types.js';

/** The endpoints whose requests carry the workload's prompts; the others send what they always send. */
export const WORKLOAD_ENDPOINTS: readonly EndpointName[] = ['generate', 'batch-generate', 'stream-generate'];
/** The note of prompts given to a scenario none of whose endpoints takes them; `own`: it has endpoints of its own. */
export const notSent = (what: string, own: boolean): string =>
  `${what} was not sent: no endpoint of this scenario takes prompts` +
  (own ? " (an endpoint of a scenario file takes them with 'prompted')." : '.');

/** Prompts a batch request carries (src/k6/lib/endpoints.ts). */
export const BATCH_PROMPTS = 2;

/** Lines of the workload each request takes: a batch in the mix takes two per request, so every request does. */
export function linesPerRequest(mix: ReadonlyArray<{ endpoint: EndpointName }>): number {
  return mix.some((m) => m.endpoint === 'batch-generate') ? BATCH_PROMPTS : 1;
}

/** The line of request n's k-th prompt, n counted over every phase of the scenario. */
export const lineOf = (n: number, k: number, perRequest: number): number => n * perRequest + k;

/**
 * Where each phase's requests start in the scenario's count of requests. A plain object, not a Map:
 * every k6 VU builds this, and the first use of Map in a VU builds k6's Map class there (about 15 KB).
 */
export function phaseOffsets(phases: readonly PlanPhase[]): Record<string, number> {
  const out: Record<string, number> = {};
  let at = 0;
  // forEach, not for...of: k6 clients call this, and an iterator's first use costs each VU (docs/performance.md).
  phases.forEach((p) => {
    out[p.name] = at;
    at += p.requests;
  });
  return out;
}

/**
 * The phases under a workload: conversations need one closed phase (a client holds each
 * conversation; an open phase's arrivals are single requests), and each client's think time between
 * turns is added to how long the phase may last. Given only to a scenario one of whose endpoints
 * takes prompts (resolvePlan).
 */
export function applyWorkload(
  phases: PlanPhase[],
  o: { workload: WorkloadPlan; mix: ReadonlyArray<{ endpoint: EndpointName }> },
): PlanPhase[] {
  const w = o.workload;
  if (!w.conversations) return phases;
  const open = phases.find((p) => p.model === 'open');
  if (phases.length !== 1 || open !== undefined || phases[0]!.arrivals !== undefined)
    throw new ValidationError('--turns', [
      {
        path: '',
        expected:
          'conversations on one closed phase: --concurrency N holds N conversations at once (no --rate, ' +
          '--arrivals or --trace, and a scenario of one phase)',
        found: open === undefined ? `${phases.length} phases` : `an open phase (${open.name})`,
      },
    ]);
  if (o.mix.some((m) => m.endpoint === 'batch-generate'))
    throw new ValidationError('--turns', [
      { path: '', expected: 'conversations on generate or stream-generate', found: 'a mix with batch-generate' },
    ]);
  const p = phases[0]!;
  const thinkSec = Math.ceil(p.requests / p.clients) * w.thinkTimeSec;
  return [{ ...p, maxDurationSec: Math.round((p.maxDurationSec + thinkSec) * 1000) / 1000 }];
}

/** Turns shown one by one; every later turn is one group (`8+`), so a long conversation makes few sub-metrics. */
export const TURN_GROUPS = 8;

/** The `turn` tag of a conversation's turn (1-based). */
export function turnTag(turn: number, turns: number): string {
  if (turns > TURN_GROUPS && turn >= TURN_GROUPS) return `${TURN_GROUPS}+`;
  return String(turn);
}

/** Every value the `turn` tag takes in conversations of at most `turns` turns. */
export function turnTags(turns: number): string[] {
  const n = Math.min(turns, TURN_GROUPS);
  return Array.from({ length: n }, (_, i) => turnTag(i + 1, turns));
}
