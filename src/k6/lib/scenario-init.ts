/**
 * What only k6's first init needs: the plan (resolvePlan and its thresholds, shapes, arrivals), the
 * k6 options and the drawn schedules. The result is plain data, so that in the runner's build
 * (build/bundle.ts) this module is a file of its own, required once by the init k6 runs to read the
 * options and handed to every VU through a SharedArray: k6 compiles the whole script in every VU,
 * so code left out of the script costs no memory per VU (measured in docs/performance.md).
 */
import type { Options } from 'k6/options';
import { resolvePlan, type ScenarioDefinition } from '../../core/plan/plan.js';
import type { EndpointInfo } from '../../core/plan/mix.js';
import type { ScenarioPlan } from '../../core/types.js';
import { planLine } from '../../core/plan/plan-line.js';
import { k6Thresholds } from '../../core/rules/thresholds.js';
import type { Sending } from './endpoints.js';
import { sendingOf } from './sending.js';
import { ROUTES } from '../../core/target/routes.js';
import { readEnv, type K6Env } from './env.js';
import { K6_VARS } from '../../core/contract.js';
import { CONNECTIONS_PER_HOST } from '../../core/stream/hosts.js';

/** Set by the bundler: false in the runner's build, which needs OUT_DIR for its summary. */
declare const __HOUSE_BLOCK__: boolean;

/**
 * k6's variables, decoded: in the runner's build only here, in the init that k6 runs first, and handed
 * to the other VUs as data (src/k6/lib/scenario.ts), so that no client builds the variables' codecs.
 */
export function initEnv(scenario: string): K6Env {
  const env = readEnv();
  if (!__HOUSE_BLOCK__ && env.outDir === null) {
    throw new Error(
      `this build of scenario ${scenario} is the runner's and needs -e ${K6_VARS.OUT_DIR.name}=<folder> ` +
        `for its summary; run dist/k6/${scenario}.js on its own`,
    );
  }
  return env;
}
import { phaseSchedules, scheduleArrayName, traceOffsets } from './arrivals.js';
import { k6Scenario, warmupOf } from './k6-scenario.js';
import { loadWorkloadLines, phaseSessions } from './workload.js';
import { phaseOffsets } from '../../core/plan/workload.js';
import { sessionRuns, type Session } from '../../core/workload/sequence.js';
import { ALL_FEATURES, clientFeatures, missingFeatures, type ClientFeatures } from '../../core/plan/client-features.js';

// The runner's build's scenario files take their shape from here (./scenario.ts shapeOf): no client builds it.
export { SCENARIO_SHAPES } from '../../core/plan/scenario-shapes.js';
export { clientEnv } from './env.js';
export { summaryFiles } from './runner-record.js';

/** Percentiles the report needs; k6's default (avg, min, med, max, p90, p95) lacks p50, p99 and count. */
export const SUMMARY_TREND_STATS = ['avg', 'min', 'med', 'max', 'p(50)', 'p(90)', 'p(95)', 'p(99)', 'count'];

/** The run's plan, k6 options and drawn schedules: JSON, the same in every VU. */
export interface ScenarioInit {
  plan: ScenarioPlan;
  options: Options;
  /**
   * Phase name → the SharedArray of its requests' due offsets (--arrivals poisson|gamma, --trace),
   * drawn here once: a VU takes them from there (src/k6/lib/arrivals.ts sharedSchedule).
   */
  schedules: Array<[string, string]>;
  /** How the built-in endpoints of the plan's mix (and the API's health, a stream's probe) are sent. */
  sending: Sending;
}

/** A scenario file's own endpoints, where they live: what the plan needs of them (plain data, so it can be passed). */
export type OwnRoutes = Readonly<Record<string, EndpointInfo>>;

export function scenarioInit(
  scenarioDef: ScenarioDefinition,
  env: K6Env,
  promptCount: number | null,
  own: OwnRoutes = {},
  /** What the script was bundled with (src/core/plan/client-features.ts): a plan needing more is refused. */
  built: ClientFeatures = ALL_FEATURES,
): ScenarioInit {
  const warmup = env.warmupRequests !== null;
  const def = warmup ? warmupOf(scenarioDef, Math.round(env.warmupRequests!)) : scenarioDef;
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
      workload: env.workload,
    },
    (e) => own[e] ?? ROUTES[env.api][e],
  );
  const missing = missingFeatures(clientFeatures(plan, env.promptsFile !== null, Object.keys(own)), built);
  if (missing.length > 0)
    throw new Error(
      `this script of scenario ${plan.scenario} was bundled for a run without ${missing.join(', ')}, which ` +
        'its plan needs: run it through the runner, which bundles it for the run, or run the build in dist/k6',
    );

  if (
    plan.stream != null &&
    env.streamAliasDomain === null &&
    plan.phases.some((p) => p.clients > CONNECTIONS_PER_HOST)
  ) {
    // Run without the runner's browser arguments (plain `k6 run`): one host, 6 connections.
    plan.notes.push(
      `${K6_VARS.K6_BROWSER_ARGS.name} maps no alias domain to the server ` +
        '(host-resolver-rules=MAP *.<domain> <host>), ' +
        `so every stream goes to one host, over at most ${CONNECTIONS_PER_HOST} connections: ` +
        `streams beyond ${CONNECTIONS_PER_HOST} waited inside the browser for a connection, ` +
        'so fewer were in flight at once than the shape asked for (each is still timed from when it was sent).',
    );
  }

  // A conversation is one k6 iteration: its phase runs as many as it has conversations.
  // The plan's workload: none when no endpoint of the scenario takes prompts.
  const lines = loadWorkloadLines(plan.workload ?? null);
  const firstRequest = phaseOffsets(plan.phases);
  const sessions = new Map<string, readonly Session[]>();
  if (plan.workload?.conversations === true && lines !== null)
    for (const p of plan.phases) {
      const held = phaseSessions(p.name, lines, firstRequest[p.name]!, p.requests);
      sessions.set(p.name, held);
      // A split run's runners hold whole sessions: the merge counts each one's share from them.
      p.sessions = sessionRuns(held);
    }

  // Said once, before any request, so that a k6 killed before handleSummary still leaves its plan
  // (src/core/plan/plan-line.ts); VU 0 is the init k6 runs to read the options.
  if (env.outDir !== null && __VU === 0) console.log(planLine(plan));

  // Phases whose requests each wait for their own due time (--arrivals poisson|gamma, --trace).
  const schedules = phaseSchedules(plan.phases, trace);
  const options: Options = {
    scenarios: Object.fromEntries(
      plan.phases.map((p) => [
        p.name,
        k6Scenario(
          p,
          plan.stream != null,
          schedules.get(p.name),
          plan.stream == null ? sessions.get(p.name) : undefined,
        ),
      ]),
    ),
    thresholds: k6Thresholds(plan),
    summaryTrendStats: SUMMARY_TREND_STATS,
  };
  const names = plan.phases
    .filter((p) => schedules.has(p.name))
    .map((p): [string, string] => [p.name, scheduleArrayName(p)]);
  const sending = sendingOf(
    {
      api: env.api,
      model: env.model,
      server: env.server,
      promptCache: env.promptCache,
      chat: plan.workload?.chat === true,
    },
    [...plan.mix.map((m) => m.endpoint), 'health'],
  );
  return { plan, options, schedules: names, sending };
}
