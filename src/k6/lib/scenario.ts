/**
 * defineScenario: everything a scenario file would otherwise repeat. A scenario file only states its
 * shape (phases, mix) and its thresholds file; this turns them into k6 options, the iteration
 * function and handleSummary.
 */
import { currentScenario } from './k6-scenario.js';
import type { Options } from 'k6/options';
import { convertScenario } from '../../core/summary/convert.js';
import { mixCycle } from '../../core/plan/mix.js';
import type { K6Summary, ScenarioPlan, ThresholdsFile } from '../../core/types.js';
import type { ScenarioShape } from '../../core/plan/scenario-shapes.js';
import { renderScenario } from '../../core/report/render.js';
import { builtinEndpoint, type Endpoint } from './endpoints.js';
import { maxTokensOf, usePromptSet, useWorkload, workloadLines } from './prompt-source.js';
import { bodyOf, useGoodputMetrics } from './request.js';
import { useServerClockMetrics } from './stream/server-clock.js';
import { loadPrompts, loadWorkloadLines, phaseSessions, recordWorkloadRequest, runConversation } from './workload.js';
import { phaseOffsets } from '../../core/plan/workload.js';
import { joinsAnswers } from '../../core/plan/client-features.js';
import { receivedOf } from '../../core/workload/received.js';
import type { Session } from '../../core/workload/sequence.js';

import { openPhaseGuard } from './open-guard.js';
import { send, type SendTarget } from './request.js';
import { awaitDue, sharedSchedule } from './arrivals.js';
import type { OwnRoutes } from './scenario-init.js';
import { initOnce, type ScenarioSource } from './init-once.js';
// Type only: importing stream/run.ts would import k6/browser, whose module makes k6 emit and wait
// for two events on every iteration of every scenario (a measured 5 % of k6's CPU). Streamed
// scenarios pass runStreamPhase in (src/k6/scenarios/stream.ts).
import type { runStreamPhase } from './stream/run.js';

/**
 * Set by the bundler (build/bundle.ts): true in dist/k6 (run on its own or in k6 cloud, the script
 * prints the house report block), false in the runner's build, which leaves that code out since the
 * runner writes the report in Node and every VU compiles the whole script.
 */
declare const __HOUSE_BLOCK__: boolean;

/** What the script carries (src/core/plan/client-features.ts): code behind a false one is left out. */
declare const __WITH_WORKLOAD__: boolean, __WITH_GOODPUT__: boolean, __WITH_SCHEDULES__: boolean;
declare const __WITH_ANSWER_CLOCK__: boolean;
/** k6's CommonJS require, in init code: resolved beside the script. */
declare function require(id: string): unknown;

/** Set by the bundler: true in the runner's build, whose init file resolves the plan (./init-once.ts). */
declare const __INIT_ONCE__: boolean;

/**
 * The toolkit's scenario `name`'s shape (src/core/plan/scenario-shapes.ts), required when first asked
 * for: only the init that resolves the plan builds that table. In the runner's build it comes from
 * the init file beside the script, so the clients' script carries none of it (nor esbuild's wrapper).
 */
function shapeOf(name: string): ScenarioShape {
  const shapes = __INIT_ONCE__
    ? (require('./scenario-init.js') as typeof import('./scenario-init.js'))
    : (require('../../core/plan/scenario-shapes.js') as typeof import('../../core/plan/scenario-shapes.js'));
  return shapes.SCENARIO_SHAPES[name]!;
}

/**
 * One of the toolkit's scenarios: its shape and its thresholds file, given as text (imported `with {
 * type: 'text' }`, which TypeScript types as the JSON itself). Both become its definition only where the
 * plan is resolved (in the runner's build, k6's first init): a JSON file bundled as an object would be
 * wrapped by esbuild, and the wrapper alone costs every client about 2.7 KB (docs/performance.md).
 */
export function builtinScenario(
  name: string,
  thresholdsText: unknown,
  streamRunner: typeof runStreamPhase | null = null,
): ReturnType<typeof defineScenario> {
  return defineScenario(
    () => ({ ...shapeOf(name), thresholds: JSON.parse(thresholdsText as string) as ThresholdsFile }),
    streamRunner,
  );
}

export function defineScenario(
  scenarioSource: ScenarioSource,
  /** For a streamed scenario: src/k6/lib/stream/run.ts's runStreamPhase. */
  streamRunner: typeof runStreamPhase | null = null,
  /** Endpoints a scenario file of one's own defines (src/k6/api/endpoint.ts), beside the API's. */
  ownEndpoints: Readonly<Record<string, Endpoint>> = {},
): {
  options: Options;
  run: () => void | Promise<void>;
  handleSummary: (data: unknown) => Record<string, string>;
  plan: ScenarioPlan;
} {
  // Plain objects and loops here and on the request path, no Map or Set: a VU builds k6's class of
  // each builtin at its first use (Map about 15 KB, Set 10 KB per VU; docs/performance.md).
  const own: Record<string, OwnRoutes[string]> = {};
  for (const name in ownEndpoints) {
    const { method, path, turnBody } = ownEndpoints[name]!;
    own[name] = { method, path, prompted: turnBody !== undefined };
  }
  const { env, init, summaryFiles } = initOnce(scenarioSource, own);
  const prompts = __WITH_WORKLOAD__ ? loadPrompts(env.promptsFile) : null;
  if (__WITH_WORKLOAD__) usePromptSet(prompts);
  if (__WITH_GOODPUT__ && env.goodput !== null) useGoodputMetrics();
  const { plan, options } = init;
  useServerClockMetrics({
    streams: streamRunner !== null,
    answers: __WITH_ANSWER_CLOCK__ && joinsAnswers(plan.mix, Object.keys(ownEndpoints)),
  });
  // The plan's: none when no endpoint of the scenario takes prompts.
  const workload = plan.workload ?? null;
  const lines = __WITH_WORKLOAD__ ? loadWorkloadLines(workload) : null;
  if (__WITH_WORKLOAD__)
    useWorkload(
      workload === null || lines === null
        ? null
        : { lines, perRequest: workload.perRequest, defaultOutputTokens: workload.defaultOutputTokens },
    );
  // Each endpoint of the mix built once, here: a VU builds no other.
  const built: Record<string, Endpoint> = {};
  const endpointOf = (name: string): Endpoint =>
    (built[name] ??= ownEndpoints[name] ?? builtinEndpoint(name, init.sending));
  const schedules: Record<string, ReturnType<typeof sharedSchedule>> = {};
  if (__WITH_SCHEDULES__) for (const [phase, name] of init.schedules) schedules[phase] = sharedSchedule(name);
  const scheduled = init.schedules.length > 0;
  // When this VU came free in each scheduled phase: a request it takes late is a drop only if it was busy then.
  const freeAt: Record<string, number> = {};
  // Where each phase's requests start among the workload's lines, and its conversations.
  const firstRequest = phaseOffsets(plan.phases);
  const conversing = workload?.conversations === true && lines !== null;
  const sessions: Record<string, readonly Session[]> = {};
  if (__WITH_WORKLOAD__ && conversing)
    for (const p of plan.phases) sessions[p.name] = phaseSessions(p.name, lines, firstRequest[p.name]!, p.requests);

  // resolvePlan has refused any endpoint the API lacks.
  const cycle = mixCycle(plan.mix).map(endpointOf);
  const timeoutOf: Record<string, number> = {};
  plan.phases.forEach((p) => (timeoutOf[p.name] = p.timeoutSec));
  // k6's scenario (its name, its count) is read only when the mix or differing phase timeouts need it:
  // a getter of the object kept per VU (currentScenario, src/k6/lib/k6-scenario.ts) is still work per request.
  const first = plan.phases[0]?.timeoutSec;
  const sharedTimeout = first !== undefined && plan.phases.every((p) => p.timeoutSec === first) ? first : null;
  const single = cycle.length === 1 ? cycle[0]! : null;
  // A scenario file's body function is promised the request's number, counted over every client.
  const exactN = single !== null && single.name in ownEndpoints && single.fixedBody === undefined;
  let local = 0;
  const target: SendTarget = {
    baseUrl: plan.baseUrl,
    validateBodies: env.validateBodies,
    apiKey: env.apiKey,
    goodput: env.goodput,
  };

  const stream = plan.stream ?? null;

  const mayStart = openPhaseGuard(plan.phases);

  /** Request n (counted over the scenario's phases); with a workload, its asked and received counts. */
  function sendRequest(endpoint: Endpoint, n: number, timeoutSec: number): void {
    const sent = send(endpoint, n, timeoutSec, target);
    // A block, not an early return: esbuild leaves out the code a false constant guards, not what follows.
    if (__WITH_WORKLOAD__ && lines !== null) {
      const carried = workloadLines(endpoint, n);
      if (carried.length === 0) return;
      const maxTokens = Math.max(...carried.map(maxTokensOf));
      const received = sent.ok ? receivedOf(bodyOf(sent)) : null;
      recordWorkloadRequest({ lines: carried, maxTokens, received, history: false });
    }
  }

  function run(): void | Promise<void> {
    if (stream !== null) {
      const name = currentScenario().name;
      const phase = plan.phases.find((p) => p.name === name)!;
      if (streamRunner === null)
        throw new Error(`scenario ${plan.scenario} is streamed: pass runStreamPhase to defineScenario`);
      return streamRunner({
        phase,
        cycle,
        baseUrl: plan.baseUrl,
        api: stream.api,
        apiKey: env.apiKey,
        aliasDomain: env.streamAliasDomain,
        goodput: env.goodput,
        probePath: init.sending.routes.health?.path ?? '/health',
        dueMs: schedules[name] ?? null,
        firstRequest: firstRequest[name] ?? 0,
        workload:
          workload === null || lines === null
            ? null
            : {
                lines,
                // A SharedArray has indexes and a length, not an array's methods.
                sessions: sessions[name] !== undefined ? Array.from(sessions[name]) : null,
                thinkMs: workload.thinkTimeSec * 1000,
                turns: workload.turns,
              },
      });
    }
    const conversations = conversing ? sessions[currentScenario().name] : undefined;
    if (__WITH_WORKLOAD__ && conversations !== undefined) {
      const scenario = currentScenario();
      const session = conversations[scenario.iterationInTest];
      if (session === undefined) return;
      runConversation({
        endpoint: cycle[0]!,
        session,
        lines: lines!,
        turns: workload!.turns,
        thinkTimeSec: workload!.thinkTimeSec,
        timeoutSec: timeoutOf[scenario.name] ?? 30,
        target,
      });
      return;
    }
    if (__WITH_SCHEDULES__ && scheduled) {
      const scenario = currentScenario();
      const offsets = schedules[scenario.name];
      if (offsets !== undefined) {
        // A client that took its request too late (every client was busy at its due time) drops it.
        const i = scenario.iterationInTest;
        try {
          if (awaitDue(offsets, i, scenario.startTime, freeAt[scenario.name] ?? scenario.startTime) === 'drop') return;
          const n = i + (firstRequest[scenario.name] ?? 0);
          sendRequest(cycle[i % cycle.length]!, n, timeoutOf[scenario.name] ?? 30);
        } finally {
          freeAt[scenario.name] = Date.now();
        }
        return;
      }
    }
    // Exactly the planned requests: an iteration k6 starts past an open phase's end sends nothing.
    if (!mayStart()) return;
    if (single !== null && sharedTimeout !== null && prompts === null && lines === null && !exactN) {
      // One built-in endpoint and the seed's prompts: the request number only varies batch texts, so
      // a per-client count will do (a prompt set is taken in order across all clients).
      send(single, local++, sharedTimeout, target);
      return;
    }
    // iterationInTest is unique within the k6 scenario (our phase) across all VUs, so the mix is
    // applied exactly, whatever the number of clients.
    const scenario = currentScenario();
    const n = scenario.iterationInTest;
    // A workload's lines are counted over every phase; a prompt set restarts in each phase.
    const global = lines === null ? n : n + (firstRequest[scenario.name] ?? 0);
    sendRequest(cycle[n % cycle.length]!, global, sharedTimeout ?? timeoutOf[scenario.name] ?? 30);
  }

  function handleSummary(data: unknown): Record<string, string> {
    if (env.outDir !== null) {
      // k6 runs handleSummary in an init of its own with __VU 0, the one that resolves the plan.
      if (summaryFiles === null) throw new Error("handleSummary ran in a client's VU, which has no plan's files");
      return summaryFiles(env.outDir, env, plan, data);
    }
    // Run on its own (plain `k6 run`, k6 cloud): print the house block for this scenario.
    if (__HOUSE_BLOCK__) {
      const report = convertScenario(plan, data as K6Summary, {
        k6ExitCode: null,
        status: 'completed',
        error: null,
        files: { summary: null, plan: null },
      });
      return { stdout: `${renderScenario(report)}\n` };
    }
    return {};
  }

  return { options, run, handleSummary, plan };
}
