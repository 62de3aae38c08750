/**
 * A phase as a k6 scenario (its executor and limits), and the warm-up run of a scenario: the pure
 * half of defineScenario (src/k6/lib/scenario.ts) that turns the plan into k6's options. And the k6
 * scenario a VU is in, as its iterations read it (currentScenario).
 */
import exec from 'k6/execution';
import type { Scenario } from 'k6/options';
import type { PlanPhase } from '../../core/types.js';
import { k6OpenDurationSec, type ScenarioDefinition } from '../../core/plan/plan.js';
import type { Session } from '../../core/workload/sequence.js';
import { k6ArrivalScenario } from './arrivals.js';
import { BROWSER_PAGE_TIMEOUT_SEC } from '../../core/contract.js';
import { LOAD_RETRY_MS, SETUP_MS } from './stream/page-setup.js';

const ms = (sec: number): string => `${Math.round(sec * 1000)}ms`;

/**
 * Time a streamed phase allows for the browser's start and the page's set-up, outside its own limit:
 * the browser module's own wait for a page, then the page's and its frames' loading, tried again while
 * the server does not answer, and the engines' set-up (src/k6/lib/stream/page-setup.ts).
 */
const BROWSER_SETUP_SEC = BROWSER_PAGE_TIMEOUT_SEC + (LOAD_RETRY_MS + SETUP_MS) / 1000;

export function k6Scenario(
  phase: PlanPhase,
  browser: boolean,
  offsets: readonly number[] | undefined,
  sessions: readonly Session[] | undefined,
): Scenario {
  // In-flight requests may finish (up to their timeout) after a phase ends: cutting them off would
  // lose measured samples.
  const gracefulStop = ms(phase.timeoutSec);
  if (browser) {
    // A streamed phase is one iteration of one VU: k6's browser module launches a browser per
    // iteration, so this keeps one browser and one page for every request of the phase, and the
    // page runs the phase's own schedule (src/k6/lib/stream/run.ts).
    return {
      options: { browser: { type: 'chromium' } },
      executor: 'per-vu-iterations',
      vus: 1,
      iterations: 1,
      maxDuration: ms(phase.maxDurationSec + BROWSER_SETUP_SEC),
      ...(phase.model === 'open' ? { startTime: ms(phase.startSec) } : {}),
      gracefulStop,
    };
  }
  if (offsets !== undefined) {
    // Due times of its own (--arrivals poisson|gamma, --trace): each request waits for its own.
    return k6ArrivalScenario({
      clients: phase.clients,
      offsets,
      startSec: phase.startSec,
      timeoutSec: phase.timeoutSec,
    });
  }
  if (sessions !== undefined) {
    // Conversations: an iteration is a whole conversation, held by the VU that took it.
    return {
      executor: 'shared-iterations',
      vus: Math.min(phase.clients, sessions.length),
      iterations: sessions.length,
      maxDuration: ms(phase.maxDurationSec),
      gracefulStop,
    };
  }
  if (phase.model === 'closed') {
    return {
      executor: 'shared-iterations',
      vus: phase.clients,
      iterations: phase.requests,
      maxDuration: ms(phase.maxDurationSec),
      gracefulStop,
    };
  }
  return {
    executor: 'constant-arrival-rate',
    // `requests` per window, evenly spaced: k6's rate must be a whole number per timeUnit.
    rate: phase.requests,
    timeUnit: ms(phase.durationSec ?? 0),
    duration: ms(k6OpenDurationSec(phase)),
    preAllocatedVUs: phase.clients,
    maxVUs: phase.clients,
    startTime: ms(phase.startSec),
    gracefulStop,
  };
}

/**
 * A warm-up run of a scenario: its mix, WARMUP_REQUESTS requests shared by its clients, judged by
 * nothing — the runner discards its figures, so a cold start (caches, JIT, connection pools) is
 * not measured.
 */
export function warmupOf(def: ScenarioDefinition, requests: number): ScenarioDefinition {
  const clients = Math.max(...def.phases.map((p) => p.clients));
  return {
    ...def,
    description: `${def.description} (warm-up, not measured)`,
    thresholds: {
      scenario: def.name,
      rules: [{ id: 'warmup', metric: 'error_rate', acceptable: 100, source: 'A warm-up is not judged.' }],
    },
    phases: [
      {
        name: 'warmup',
        model: 'closed',
        clients: Math.min(clients, requests),
        requests,
        timeoutSec: Math.max(...def.phases.map((p) => p.timeoutSec)),
      },
    ],
  };
}

let current: typeof exec.scenario | null = null;

/**
 * k6's `exec.scenario`, read once per VU. Each read of `exec.scenario` builds a new object (about 17 µs:
 * 300,000 reads took 6.0–7.2 s of CPU against 1.7–1.9 s without), while the object's properties are live
 * getters of the VU's current iteration and scenario (about 0.6 µs a read; the same object gives the next
 * scenario's name, start and count once k6 moves the VU to it). Not readable in init code.
 */
export function currentScenario(): typeof exec.scenario {
  return (current ??= exec.scenario);
}
