/**
 * An open phase sends exactly its planned requests. k6's constant-arrival-rate starts iterations on
 * a timer and stops at the phase's end, but when its scheduling loop runs late (a loaded machine) a
 * due iteration and the end are both ready, and Go's select picks one at random: one or two
 * iterations may start past the end (measured: 5,001 and 5,002 of 5,000). Such an iteration has a
 * number (iterationInTest, given in start order) at or past the planned count, and sends nothing.
 *
 * The number is read after each iteration starts, from k6's scenario object kept per VU (currentScenario):
 * two getters, about what a check of the time against the phase's end cost, so no window of time is
 * guessed for it.
 */
import { currentScenario } from './k6-scenario.js';
import type { PlanPhase } from '../../core/types.js';

export function openPhaseGuard(phases: readonly PlanPhase[]): () => boolean {
  const byName: Record<string, number> = {};
  phases.forEach((p) => {
    if (p.model === 'open') byName[p.name] = p.requests;
  });
  if (Object.keys(byName).length === 0) return () => true;

  /** True when this iteration may send its request. */
  return () => {
    const s = currentScenario();
    const planned = byName[s.name];
    return planned === undefined || s.iterationInTest < planned;
  };
}
