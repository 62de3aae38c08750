/**
 * An open phase sends exactly its planned requests. k6's constant-arrival-rate starts iterations on
 * a timer and stops at the phase's end, but when its scheduling loop runs late (a loaded machine) a
 * due iteration and the end are both ready, and Go's select picks one at random: one or two
 * iterations may start past the end (measured: 5,001 and 5,002 of 5,000). Such an iteration has a
 * number (iterationInTest, given in start order) at or past the planned count, and sends nothing.
 *
 * The number is read (a getter of k6's scenario object, currentScenario) only from GUARD_MS before an
 * open phase's end to LATE_MS after it; the phase's position in time comes from one read per VU.
 */
import { currentScenario } from './k6-scenario.js';
import type { PlanPhase } from '../../core/types.js';
import { k6OpenDurationSec } from '../../core/plan/plan.js';

const GUARD_MS = 250;
/** How late after the end k6's loop may still start an iteration that is checked. */
const LATE_MS = 2000;

export function openPhaseGuard(phases: readonly PlanPhase[]): () => boolean {
  const open = phases.filter((p) => p.model === 'open');
  if (open.length === 0) return () => true;
  const byName: Record<string, PlanPhase> = {};
  for (const p of open) byName[p.name] = p;
  /** When the test started, by this VU's clock (ms since the epoch); read on its first iteration. */
  let testStartMs: number | null = null;
  const guardFromMs = open.map((p) => (p.startSec + k6OpenDurationSec(p)) * 1000 - GUARD_MS);

  /** True when this iteration may send its request. */
  return () => {
    if (testStartMs === null) {
      const s = currentScenario();
      testStartMs = s.startTime - (byName[s.name]?.startSec ?? 0) * 1000;
    }
    const t = Date.now() - testStartMs;
    if (!guardFromMs.some((from) => t >= from && t < from + GUARD_MS + LATE_MS)) return true;
    const s = currentScenario();
    const phase = byName[s.name];
    return phase === undefined || s.iterationInTest < phase.requests;
  };
}
