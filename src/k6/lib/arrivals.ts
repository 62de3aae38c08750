/**
 * A phase on a drawn schedule (--arrivals poisson | gamma:CV, --trace): k6 has no executor for
 * arbitrary arrival times, so the phase is shared-iterations and each iteration waits for its own
 * due time. The rules (when to wait, send or drop; the scenario's limits) are pure and tested in
 * src/core/arrivals/due.ts; this file only reads k6's clock and scenario, sleeps and records.
 */
import { sleep } from './k6-calls.js';
import { SharedArray } from 'k6/data';
import type { Scenario } from 'k6/options';
import { arrivalScenarioOptions, dueAction, type ArrivalPhase } from '../../core/arrivals/due.js';
import { metric } from './metrics.js';
import { phaseOffsets, TRACE_ARRIVALS } from '../../core/plan/arrivals.js';
import type { PlanPhase } from '../../core/types.js';

/**
 * Made in init code when a VU takes a drawn schedule (sharedSchedule), not at the top level: each k6
 * metric costs every VU a few KB, and most runs have no schedule.
 */
let metrics: {
  dropped: ReturnType<typeof metric<'arrivalsDropped'>>;
  startLate: ReturnType<typeof metric<'requestStartLate'>>;
} | null = null;

/**
 * A phase's schedule, drawn once and shared by every VU (k6's SharedArray): drawing it in each VU
 * would cost every VU's init the same work and memory for the same numbers.
 */
export function sharedOffsets(phase: string, draw: () => number[]): readonly number[] {
  return new SharedArray(`arrivals:${phase}`, draw);
}

const TRACE_ARRAY = 'arrivals:trace';

/** The SharedArray that holds a phase's schedule once phaseSchedules has drawn it. */
export function scheduleArrayName(phase: PlanPhase): string {
  return phase.arrivals === TRACE_ARRIVALS ? TRACE_ARRAY : `arrivals:${phase.name}`;
}

/** A schedule phaseSchedules drew, in k6's first init or this VU's (by scheduleArrayName). */
export function sharedSchedule(name: string): readonly number[] {
  metrics ??= { dropped: metric('arrivalsDropped'), startLate: metric('requestStartLate') };
  return new SharedArray(name, () => {
    throw new Error(`the schedule ${name} was not drawn in k6's first init`);
  });
}

/** The k6 scenario of a phase on a drawn schedule. */
export function k6ArrivalScenario(phase: ArrivalPhase): Scenario {
  return arrivalScenarioOptions(phase);
}

/**
 * Called first in iteration `i` (exec.scenario.iterationInTest) of such a phase: sleeps until the
 * request is due, then 'send'; or 'drop' when this VU took it too late (every client was busy at its
 * due time), counted in arrivals_dropped, which the report counts as a failed request.
 * `scenarioStartMs`: when the phase started (k6's scenario startTime); `freeAtMs`: when this VU came
 * free (dueAction).
 */
export function awaitDue(
  offsets: readonly number[],
  i: number,
  scenarioStartMs: number,
  freeAtMs: number,
): 'send' | 'drop' {
  const offset = offsets[i];
  // shared-iterations runs exactly offsets.length iterations; a number past them is no request.
  if (offset === undefined) return 'drop';
  const dueMs = scenarioStartMs + offset;
  let waited = false;
  for (;;) {
    const action = dueAction({ nowMs: Date.now(), dueMs, waited, freeAtMs });
    if (action.kind === 'wait') {
      sleep(action.waitMs / 1000);
      waited = true;
    } else if (action.kind === 'drop') {
      metrics!.dropped.add(1);
      return 'drop';
    } else {
      metrics!.startLate.add(action.lateMs);
      return 'send';
    }
  }
}

/** A replayed trace's due offsets (ms), as the runner wrote them: read once and shared by every VU. */
export function traceOffsets(file: string): readonly number[] {
  return new SharedArray(TRACE_ARRAY, () => JSON.parse(open(file)) as number[]);
}

/** Each phase on its own schedule, by name: drawn from its seed, or the trace's. */
export function phaseSchedules(
  phases: readonly PlanPhase[],
  trace: readonly number[] | null,
): Map<string, readonly number[]> {
  const out = new Map<string, readonly number[]>();
  for (const p of phases) {
    if (p.arrivals === undefined) continue;
    out.set(p.name, p.arrivals === TRACE_ARRIVALS ? trace! : sharedOffsets(p.name, () => phaseOffsets(p)));
  }
  return out;
}
