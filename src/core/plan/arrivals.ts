/**
 * When a phase's requests are due (--arrivals, --seed, --trace): constant keeps k6's own
 * constant-arrival-rate; poisson and gamma:CV draw each gap from the seed; a trace gives every due
 * time itself. A drawn or replayed phase runs on k6's shared-iterations, each request waiting for
 * its own due time (src/k6/lib/arrivals.ts). Pure: the Node side resolves the same plan as k6.
 */
import { arrivalSchedule, arrivalSpecText, type ArrivalSpec } from '../arrivals/schedule.js';
import { DROP_TOLERANCE_MS } from '../arrivals/due.js';
import { ValidationError } from '../errors/ValidationError.js';
import type { PlanPhase } from '../types.js';

export interface ArrivalSettings {
  spec: ArrivalSpec;
  seed: number;
  /** A replayed trace: where it came from, and its due offsets in ms (src/core/arrivals/trace.ts). */
  trace: { source: string; offsets: readonly number[]; timeScale: number } | null;
}

export const CONSTANT_ARRIVALS: ArrivalSettings = { spec: { process: 'constant' }, seed: 1, trace: null };

/** Marks a phase whose due times come from a trace. */
export const TRACE_ARRIVALS = 'trace';

const round3 = (n: number): number => Math.round(n * 1000) / 1000;

/** The arrivals as the report names them; null: k6's even beat. */
export function arrivalsText(a: ArrivalSettings): string | null {
  if (a.trace !== null) return `trace ${a.trace.source} replayed at ${a.trace.timeScale}x`;
  return a.spec.process === 'constant' ? null : `${arrivalSpecText(a.spec)}, seed ${a.seed}`;
}

/** Each phase its own seed, so that two phases of a run never repeat one pattern of gaps. */
export const phaseSeed = (seed: number, index: number): number => (seed + index) >>> 0;

/** How long a phase on its own schedule may last: its last due time, then a timeout for what is in flight. */
function maxDurationOf(lastDueMs: number, timeoutSec: number): number {
  return round3((lastDueMs + DROP_TOLERANCE_MS) / 1000 + timeoutSec + 1);
}

/** The due offsets of a drawn phase (ms from its start), the same on every run with the same seed. */
export function phaseOffsets(phase: PlanPhase): number[] {
  if (phase.arrivals === undefined || phase.arrivals === TRACE_ARRIVALS || phase.ratePerSec === undefined)
    throw new RangeError(`phase ${phase.name} has no drawn schedule`);
  const spec: ArrivalSpec = phase.arrivals.startsWith('gamma:')
    ? { process: 'gamma', cv: Number(phase.arrivals.slice('gamma:'.length)) }
    : { process: phase.arrivals as 'poisson' };
  return arrivalSchedule({ spec, count: phase.requests, ratePerSec: phase.ratePerSec, seed: phase.seed ?? 1 });
}

/**
 * The phases with their arrivals: a trace replaces the one phase's shape (its requests and window
 * are the trace's); a drawn process applies to every open phase, and needs one.
 */
export function applyArrivals(
  scenario: string,
  phases: PlanPhase[],
  a: ArrivalSettings,
  o: { notes: string[]; clients: number | null },
): PlanPhase[] {
  const { notes } = o;
  if (a.trace !== null) {
    if (phases.length !== 1)
      throw new ValidationError('--trace', [
        {
          path: '',
          expected: `a scenario with one phase (${scenario} has ${phases.length}, and its shape is the test)`,
          found: `scenario ${scenario}`,
        },
      ]);
    const p = phases[0]!;
    const offsets = a.trace.offsets;
    const lastMs = offsets[offsets.length - 1] ?? 0;
    // A window of at least 1 ms, so that a trace of one instant still has a rate.
    const durationSec = round3(Math.max(lastMs, 1) / 1000);
    notes.push(`Arrivals replayed from ${a.trace.source}: ${offsets.length} requests over ${durationSec} s.`);
    return [
      {
        name: p.name,
        model: 'open',
        clients: o.clients ?? p.clients,
        requests: offsets.length,
        ratePerSec: round3(offsets.length / durationSec),
        durationSec,
        timeoutSec: p.timeoutSec,
        startSec: 0,
        maxDurationSec: maxDurationOf(lastMs, p.timeoutSec),
        arrivals: TRACE_ARRIVALS,
      },
    ];
  }
  if (a.spec.process === 'constant') return phases;
  if (!phases.some((p) => p.model === 'open'))
    throw new ValidationError('--arrivals', [
      {
        path: '',
        expected: 'an open phase to time: --rate R beside it, or an open scenario (sustained, spike)',
        found: `scenario ${scenario}, whose requests are sent by clients in turn (closed model)`,
      },
    ]);
  const text = arrivalSpecText(a.spec);
  notes.push(`Arrivals ${text}, seed ${a.seed}: each request waits for its own due time, drawn from the seed.`);
  let start = 0;
  return phases.map((p, i) => {
    if (p.model !== 'open') return p;
    const drawn: PlanPhase = { ...p, startSec: round3(start), arrivals: text, seed: phaseSeed(a.seed, i) };
    // The drawn schedule's last due time sets the phase's length, not the rate's even window.
    const offsets = phaseOffsets(drawn);
    const lastMs = offsets[offsets.length - 1] ?? 0;
    drawn.maxDurationSec = maxDurationOf(lastMs, p.timeoutSec);
    start += Math.max(p.durationSec ?? 0, lastMs / 1000);
    return drawn;
  });
}
