/**
 * defineScenario: everything a scenario file would otherwise repeat. A scenario file only states its
 * shape (phases, mix) and its thresholds file; this turns them into k6 options, the iteration
 * function and handleSummary.
 */
import exec from 'k6/execution';
import type { Options, Scenario } from 'k6/options';
import { convertScenario } from '../../core/convert.js';
import { mixCycle } from '../../core/mix.js';
import type { K6Summary, PlanPhase, ScenarioPlan } from '../../core/model.js';
import { k6OpenDurationSec, resolvePlan, type ScenarioDefinition } from '../../core/plan.js';
import { renderScenario } from '../../core/render.js';
import { k6Thresholds } from '../../core/thresholds.js';
import { SharedArray } from 'k6/data';
import { parsePromptSet } from '../../core/prompts.js';
import { endpointsFor, usePromptSet } from './endpoints.js';
import { readEnv } from './env.js';
import { send } from './request.js';
import { sendStreamed } from './stream.js';

export type { ScenarioDefinition } from '../../core/plan.js';

/** Percentiles the report needs; k6's default (avg, min, med, max, p90, p95) lacks p50, p99 and count. */
export const SUMMARY_TREND_STATS = ['avg', 'min', 'med', 'max', 'p(50)', 'p(90)', 'p(95)', 'p(99)', 'count'];

const ms = (sec: number): string => `${Math.round(sec * 1000)}ms`;

function k6Scenario(phase: PlanPhase, browser: boolean): Scenario {
  // In-flight requests may finish (up to their timeout) after a phase ends: cutting them off would
  // lose measured samples.
  const gracefulStop = ms(phase.timeoutSec);
  // Streamed scenarios read responses in a headless Chromium (src/k6/lib/stream.ts).
  const options = browser ? { options: { browser: { type: 'chromium' as const } } } : {};
  if (phase.model === 'closed') {
    return {
      ...options,
      executor: 'shared-iterations',
      vus: phase.clients,
      iterations: phase.requests,
      maxDuration: ms(phase.maxDurationSec),
      gracefulStop,
    };
  }
  return {
    ...options,
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
    thresholds: { scenario: def.name, rules: [{ id: 'warmup', metric: 'error_rate', acceptable: 100, source: 'A warm-up is not judged.' }] },
    phases: [{ name: 'warmup', model: 'closed', clients: Math.min(clients, requests), requests, timeoutSec: Math.max(...def.phases.map((p) => p.timeoutSec)) }],
  };
}

/** A prompt set, read once and shared by every VU (k6's SharedArray). */
function loadPrompts(file: string | null): readonly string[] | null {
  if (file === null) return null;
  return new SharedArray('prompts', () => parsePromptSet(open(file), file)) as unknown as readonly string[];
}

export function defineScenario(scenarioDef: ScenarioDefinition): {
  options: Options;
  run: () => void | Promise<void>;
  handleSummary: (data: unknown) => Record<string, string>;
  plan: ScenarioPlan;
} {
  const env = readEnv();
  const def = env.warmupRequests === null ? scenarioDef : warmupOf(scenarioDef, Math.round(env.warmupRequests));
  const prompts = loadPrompts(env.promptsFile);
  usePromptSet(prompts);
  const catalog = endpointsFor(env.api, env.model);
  const plan = resolvePlan(def, { baseUrl: env.baseUrl, gate: env.gate, scale: env.scale, mix: env.mix, timeoutSec: env.timeoutSec, api: env.api, model: env.model, prompts: prompts === null ? null : { source: env.promptsFile!.split('/').pop()!, count: prompts.length } }, (e) => catalog[e]);

  const options: Options = {
    scenarios: Object.fromEntries(plan.phases.map((p) => [p.name, k6Scenario(p, plan.stream != null)])),
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

  const stream = plan.stream ?? null;

  function run(): void | Promise<void> {
    if (stream !== null) {
      const scenario = exec.scenario;
      const n = scenario.iterationInTest;
      return sendStreamed(cycle[n % cycle.length]!, plan.baseUrl, n, sharedTimeout ?? timeoutOf.get(scenario.name) ?? 60, stream.api, env.apiKey);
    }
    if (single !== null && sharedTimeout !== null && prompts === null) {
      // One endpoint and the seed's prompts: the request number only varies batch texts, so a
      // per-client count will do (a prompt set is taken in order across all clients).
      send(single, plan.baseUrl, local++, sharedTimeout, env.validateBodies, env.apiKey);
      return;
    }
    // iterationInTest is unique within the k6 scenario (our phase) across all VUs, so the mix is
    // applied exactly, whatever the number of clients.
    const scenario = exec.scenario;
    const n = scenario.iterationInTest;
    send(cycle[n % cycle.length]!, plan.baseUrl, n, sharedTimeout ?? timeoutOf.get(scenario.name) ?? 30, env.validateBodies, env.apiKey);
  }

  function handleSummary(data: unknown): Record<string, string> {
    if (env.outDir !== null) {
      // The raw summary as k6 gives it (not --summary-export, whose threshold flags are inverted),
      // and the plan it was produced under; the Node runner turns both into the house report.
      return {
        [`${env.outDir}/summary.json`]: JSON.stringify(data, null, 2),
        [`${env.outDir}/plan.json`]: JSON.stringify(plan, null, 2),
      };
    }
    // Run on its own (plain `k6 run`, k6 cloud): print the house block for this scenario.
    const report = convertScenario(plan, data as K6Summary, {
      k6ExitCode: null,
      status: 'completed',
      error: null,
      files: { summary: null, plan: null },
    });
    return { stdout: `${renderScenario(report)}\n` };
  }

  return { options, run, handleSummary, plan };
}
