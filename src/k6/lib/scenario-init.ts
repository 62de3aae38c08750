/**
 * What only k6's first init needs: the plan (resolvePlan and its thresholds, shapes, arrivals), the
 * k6 options and the drawn schedules. The result is plain data, so that in the runner's build
 * (build/bundle.ts) this module is a file of its own, required once by the init k6 runs to read the
 * options and handed to every VU through a SharedArray: k6 compiles the whole script in every VU,
 * so code left out of the script costs no memory per VU (measured in docs/performance.md).
 */
import type { Options, Scenario } from 'k6/options';
import { k6OpenDurationSec, resolvePlan, type ScenarioDefinition } from '../../core/plan/plan.js';
import type { PlanPhase, ScenarioPlan } from '../../core/types.js';
import { planLine } from '../../core/plan/plan-line.js';
import { k6Thresholds } from '../../core/rules/thresholds.js';
import { endpointsFor } from './endpoints.js';
import type { K6Env } from './env.js';
import { k6ArrivalScenario, phaseSchedules, scheduleArrayName, traceOffsets } from './arrivals.js';

/** Percentiles the report needs; k6's default (avg, min, med, max, p90, p95) lacks p50, p99 and count. */
export const SUMMARY_TREND_STATS = ['avg', 'min', 'med', 'max', 'p(50)', 'p(90)', 'p(95)', 'p(99)', 'count'];

const ms = (sec: number): string => `${Math.round(sec * 1000)}ms`;

/** Time a streamed phase allows for the browser's start and the page's set-up, outside its own limit. */
const BROWSER_SETUP_SEC = 60;

function k6Scenario(phase: PlanPhase, browser: boolean, offsets: readonly number[] | undefined): Scenario {
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
function warmupOf(def: ScenarioDefinition, requests: number): ScenarioDefinition {
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

/** The run's plan, k6 options and drawn schedules: JSON, the same in every VU. */
export interface ScenarioInit {
  plan: ScenarioPlan;
  options: Options;
  /**
   * Phase name → the SharedArray of its requests' due offsets (--arrivals poisson|gamma, --trace),
   * drawn here once: a VU takes them from there (src/k6/lib/arrivals.ts sharedSchedule).
   */
  schedules: Array<[string, string]>;
}

/** A scenario file's own endpoints, where they live: what the plan needs of them (plain data, so it can be passed). */
export type OwnRoutes = Readonly<Record<string, { method: 'GET' | 'POST'; path: string }>>;

export function scenarioInit(
  scenarioDef: ScenarioDefinition,
  env: K6Env,
  promptCount: number | null,
  own: OwnRoutes = {},
): ScenarioInit {
  const warmup = env.warmupRequests !== null;
  const def = warmup ? warmupOf(scenarioDef, Math.round(env.warmupRequests!)) : scenarioDef;
  const catalog: Record<string, { method: 'GET' | 'POST'; path: string } | undefined> = {
    ...endpointsFor(env.api, env.model, env.server),
    ...own,
  };
  const trace = env.arrivalsFile === null || warmup ? null : traceOffsets(env.arrivalsFile);
  const plan = resolvePlan(
    def,
    {
      baseUrl: env.baseUrl,
      gate: env.gate,
      scale: env.scale,
      mix: env.mix,
      timeoutSec: env.timeoutSec,
      api: env.api,
      model: env.model,
      prompts: promptCount === null ? null : { source: env.promptsFile!.split('/').pop()!, count: promptCount },
      shape: warmup ? null : env.shape,
      ...(env.thresholdsSource === null ? {} : { thresholdsSource: env.thresholdsSource }),
      samples: env.samples,
      // A warm-up is a short closed run: no schedule of its own, judged by nothing.
      arrivals: warmup
        ? undefined
        : {
            spec: env.arrivals,
            seed: env.seed,
            trace:
              trace === null
                ? null
                : {
                    source: env.traceSource ?? env.arrivalsFile!.split('/').pop()!,
                    offsets: trace,
                    timeScale: env.timeScale,
                  },
          },
      goodput: warmup ? null : env.goodput,
    },
    (e) => catalog[e],
  );

  // Said once, before any request, so that a k6 killed before handleSummary still leaves its plan
  // (src/core/plan/plan-line.ts); VU 0 is the init k6 runs to read the options.
  if (env.outDir !== null && __VU === 0) console.log(planLine(plan));

  // Phases whose requests each wait for their own due time (--arrivals poisson|gamma, --trace).
  const schedules = phaseSchedules(plan.phases, trace);
  const options: Options = {
    scenarios: Object.fromEntries(
      plan.phases.map((p) => [p.name, k6Scenario(p, plan.stream != null, schedules.get(p.name))]),
    ),
    thresholds: k6Thresholds(plan),
    summaryTrendStats: SUMMARY_TREND_STATS,
  };
  const names = plan.phases
    .filter((p) => schedules.has(p.name))
    .map((p): [string, string] => [p.name, scheduleArrayName(p)]);
  return { plan, options, schedules: names };
}
