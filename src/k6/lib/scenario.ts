/**
 * defineScenario: everything a scenario file would otherwise repeat. A scenario file only states its
 * shape (phases, mix) and its thresholds file; this turns them into k6 options, the iteration
 * function and handleSummary.
 */
import exec from 'k6/execution';
import type { Options } from 'k6/options';
import { convertScenario } from '../../core/summary/convert.js';
import { mixCycle } from '../../core/plan/mix.js';
import type { K6Summary, ScenarioPlan } from '../../core/types.js';
import { resolvePlan, type ScenarioDefinition } from '../../core/plan/plan.js';
import { k6Scenario, warmupOf } from './k6-scenario.js';
import { renderScenario } from '../../core/report/render.js';
import { planLine } from '../../core/plan/plan-line.js';
import { k6Thresholds } from '../../core/rules/thresholds.js';
import { SharedArray } from 'k6/data';
import { parsePromptSet } from '../../core/workload/prompts.js';
import { endpointsFor, maxTokensOf, usePromptSet, useWorkload, workloadLines, type Endpoint } from './endpoints.js';
import { readEnv } from './env.js';
import { K6_FILES, K6_VARS, runFile } from '../../core/contract.js';
import { openPhaseGuard } from './open-guard.js';
import { bodyOf, send, type SendTarget } from './request.js';
import { loadWorkloadLines, phaseSessions, recordWorkloadRequest, runConversation } from './workload.js';
import { phaseOffsets } from '../../core/plan/workload.js';
import { receivedOf } from '../../core/workload/received.js';
import type { Session } from '../../core/workload/sequence.js';
import { awaitDue, phaseSchedules, traceOffsets } from './arrivals.js';
import { useGoodput } from './stream/record.js';
// Type only: importing stream/run.ts would import k6/browser, whose module makes k6 emit and wait
// for two events on every iteration of every scenario (a measured 5 % of k6's CPU). Streamed
// scenarios pass runStreamPhase in (src/k6/scenarios/stream.ts).
import type { runStreamPhase } from './stream/run.js';
import { CONNECTIONS_PER_HOST } from '../../core/stream/hosts.js';

/**
 * Set by the bundler (build/bundle.ts): true in dist/k6 (run on its own or in k6 cloud, the script
 * prints the house report block), false in the runner's build, which leaves that code out since the
 * runner writes the report in Node and every VU compiles the whole script.
 */
declare const __HOUSE_BLOCK__: boolean;

/** Percentiles the report needs; k6's default (avg, min, med, max, p90, p95) lacks p50, p99 and count. */
export const SUMMARY_TREND_STATS = ['avg', 'min', 'med', 'max', 'p(50)', 'p(90)', 'p(95)', 'p(99)', 'count'];

/** A prompt set, read once and shared by every VU (k6's SharedArray). */
function loadPrompts(file: string | null): readonly string[] | null {
  if (file === null) return null;
  return new SharedArray('prompts', () => parsePromptSet(open(file), file)) as unknown as readonly string[];
}

export function defineScenario(
  scenarioDef: ScenarioDefinition,
  /** For a streamed scenario: src/k6/lib/stream/run.ts's runStreamPhase. */
  streamRunner: typeof runStreamPhase | null = null,
): {
  options: Options;
  run: () => void | Promise<void>;
  handleSummary: (data: unknown) => Record<string, string>;
  plan: ScenarioPlan;
} {
  const env = readEnv();
  if (!__HOUSE_BLOCK__ && env.outDir === null) {
    throw new Error(
      `this build of scenario ${scenarioDef.name} is the runner's and needs -e ${K6_VARS.OUT_DIR.name}=<folder> for its summary; run dist/k6/${scenarioDef.name}.js on its own`,
    );
  }
  const def = env.warmupRequests === null ? scenarioDef : warmupOf(scenarioDef, Math.round(env.warmupRequests));
  const prompts = loadPrompts(env.promptsFile);
  usePromptSet(prompts);
  const workload = env.workload;
  const lines = loadWorkloadLines(workload);
  useWorkload(
    workload === null || lines === null
      ? null
      : { lines, perRequest: workload.perRequest, defaultOutputTokens: workload.defaultOutputTokens },
  );
  const catalog = endpointsFor(env.api, env.model, env.server, {
    promptCache: env.promptCache,
    chat: workload?.chat ?? false,
  });
  const warmup = env.warmupRequests !== null;
  const trace = env.arrivalsFile === null || warmup ? null : traceOffsets(env.arrivalsFile);
  useGoodput(env.goodput);
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
      prompts: prompts === null ? null : { source: env.promptsFile!.split('/').pop()!, count: prompts.length },
      shape: env.warmupRequests === null ? env.shape : null,
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
      workload,
    },
    (e) => catalog[e],
  );

  // Said once, before any request, so that a k6 killed before handleSummary still leaves its plan
  // (src/core/plan/plan-line.ts); VU 0 is the init k6 runs to read the options.
  if (env.outDir !== null && __VU === 0) console.log(planLine(plan));

  // Phases whose requests each wait for their own due time (--arrivals poisson|gamma, --trace).
  const schedules = phaseSchedules(plan.phases, trace);
  // Where each phase's requests start among the workload's lines, and its conversations.
  const firstRequest = phaseOffsets(plan.phases);
  const sessions = new Map<string, readonly Session[]>();
  if (workload?.conversations === true && lines !== null)
    for (const p of plan.phases)
      sessions.set(p.name, phaseSessions(p.name, lines, firstRequest.get(p.name)!, p.requests));
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

  // resolvePlan has refused any endpoint the API lacks.
  const cycle = mixCycle(plan.mix).map((e) => catalog[e]!);
  const timeoutOf = new Map(plan.phases.map((p) => [p.name, p.timeoutSec]));
  const timeouts = [...new Set(timeoutOf.values())];
  // Reading exec.scenario builds a fresh object in k6 on every access, a measurable cost at full
  // speed (see bench/): it is read only when the mix or differing phase timeouts need it.
  const sharedTimeout = timeouts.length === 1 ? timeouts[0]! : null;
  const single = cycle.length === 1 ? cycle[0]! : null;
  let local = 0;
  const target: SendTarget = {
    baseUrl: plan.baseUrl,
    validateBodies: env.validateBodies,
    apiKey: env.apiKey,
    goodput: env.goodput,
  };

  const stream = plan.stream ?? null;
  if (stream !== null && env.streamAliasDomain === null && plan.phases.some((p) => p.clients > CONNECTIONS_PER_HOST)) {
    // Run without the runner's browser arguments (plain `k6 run`): one host, 6 connections.
    plan.notes.push(
      `${K6_VARS.K6_BROWSER_ARGS.name} maps no alias domain to the server (host-resolver-rules=MAP *.<domain> <host>), so every stream goes to one host, over at most ${CONNECTIONS_PER_HOST} connections: streams beyond ${CONNECTIONS_PER_HOST} waited inside the browser for a connection, so fewer were in flight at once than the shape asked for (each is still timed from when it was sent).`,
    );
  }

  const mayStart = openPhaseGuard(plan.phases);

  /** Request n (counted over the scenario's phases); with a workload, its asked and received counts. */
  function sendRequest(endpoint: Endpoint, n: number, timeoutSec: number): void {
    const sent = send(endpoint, n, timeoutSec, target);
    if (lines === null) return;
    const carried = workloadLines(endpoint, n);
    if (carried.length === 0) return;
    const maxTokens = Math.max(...carried.map(maxTokensOf));
    const received = sent.ok ? receivedOf(bodyOf(sent)) : null;
    recordWorkloadRequest({ lines: carried, maxTokens, received, history: false });
  }

  function run(): void | Promise<void> {
    if (stream !== null) {
      const name = exec.scenario.name;
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
        probePath: catalog.health?.path ?? '/health',
        dueMs: schedules.get(name) ?? null,
        firstRequest: firstRequest.get(name) ?? 0,
        workload:
          workload === null || lines === null
            ? null
            : {
                lines,
                // A SharedArray has indexes and a length, not an array's methods.
                sessions: sessions.has(name) ? Array.from(sessions.get(name)!) : null,
                thinkMs: workload.thinkTimeSec * 1000,
                turns: workload.turns,
              },
      });
    }
    const conversations = sessions.size > 0 ? sessions.get(exec.scenario.name) : undefined;
    if (conversations !== undefined) {
      const scenario = exec.scenario;
      const session = conversations[scenario.iterationInTest];
      if (session === undefined) return;
      runConversation({
        endpoint: cycle[0]!,
        session,
        lines: lines!,
        turns: workload!.turns,
        thinkTimeSec: workload!.thinkTimeSec,
        timeoutSec: timeoutOf.get(scenario.name) ?? 30,
        target,
      });
      return;
    }
    if (schedules.size > 0) {
      const scenario = exec.scenario;
      const offsets = schedules.get(scenario.name);
      if (offsets !== undefined) {
        // A client that took its request too late (every client was busy at its due time) drops it.
        const i = scenario.iterationInTest;
        if (awaitDue(offsets, i, scenario.startTime) === 'drop') return;
        const n = i + (firstRequest.get(scenario.name) ?? 0);
        sendRequest(cycle[i % cycle.length]!, n, timeoutOf.get(scenario.name) ?? 30);
        return;
      }
    }
    // Exactly the planned requests: an iteration k6 starts past an open phase's end sends nothing.
    if (!mayStart()) return;
    if (single !== null && sharedTimeout !== null && prompts === null && lines === null) {
      // One endpoint and the seed's prompts: the request number only varies batch texts, so a
      // per-client count will do (a prompt set is taken in order across all clients).
      send(single, local++, sharedTimeout, target);
      return;
    }
    // iterationInTest is unique within the k6 scenario (our phase) across all VUs, so the mix is
    // applied exactly, whatever the number of clients.
    const scenario = exec.scenario;
    const n = scenario.iterationInTest;
    // A workload's lines are counted over every phase; a prompt set restarts in each phase.
    const global = lines === null ? n : n + (firstRequest.get(scenario.name) ?? 0);
    sendRequest(cycle[n % cycle.length]!, global, sharedTimeout ?? timeoutOf.get(scenario.name) ?? 30);
  }

  function handleSummary(data: unknown): Record<string, string> {
    if (env.outDir !== null) {
      // The raw summary as k6 gives it (not --summary-export, whose threshold flags are inverted),
      // and the plan it was produced under; the Node runner turns both into the house report.
      return {
        [runFile(env.outDir, K6_FILES.summary)]: JSON.stringify(data, null, 2),
        [runFile(env.outDir, K6_FILES.plan)]: JSON.stringify(plan, null, 2),
      };
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
