/**
 * The whole plan of a run, resolved and checked on the Node side before a tool is built or a server
 * started: each scenario's shape (src/core/plan/scenario-shapes.ts, or a scenario file of one's own,
 * src/node/own/own-scenario.ts) with its thresholds (from --thresholds-dir when given) and the run's
 * flags, through the same pure resolvePlan the k6 script runs at init. A rule naming a phase the
 * scenario lacks, a shape the scenario cannot take or a mix
 * the API cannot serve is an error here, naming the file or flag, instead of a k6 exit 107 later.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parsePromptSet } from '../../core/workload/prompts.js';
import { resolvePlan } from '../../core/plan/plan.js';
import { clientFeatures } from '../../core/plan/client-features.js';
import type { EndpointInfo } from '../../core/plan/mix.js';
import { ROUTES, type ApiName } from '../../core/target/routes.js';
import { SCENARIO_SHAPES, type ScenarioShape } from '../../core/plan/scenario-shapes.js';
import type { DeclaredEndpoint, EndpointName, ScenarioPlan, ThresholdsFile } from '../../core/types.js';
import { SERVERS } from '../../core/target/servers.js';
import { ValidationError } from '../../core/errors/ValidationError.js';
import type { PlanConfig } from '../config/run.js';
import { shown, thresholdsFile } from '../files/paths.js';
import { loadOwnScenario, scenarioFileOf, type OwnScenario } from '../own/own-scenario.js';
import { loadThresholds } from './scenarios.js';
import { runArrivals } from './arrivals.js';
import { runWorkloadSource } from '../workload/source.js';
import { plannedWorkload } from '../workload/plan.js';

/** The prompt set's size, after checking every line of it (k6 checks it again), so a bad line is named at once. */
async function promptSetSize(file: string | null): Promise<number | null> {
  if (file === null) return null;
  const text = await readFile(file, 'utf8').catch(() => {
    throw new ValidationError(shown(file), [{ path: '', expected: 'a JSONL prompt set', found: 'no such file' }]);
  });
  return parsePromptSet(text, shown(file)).length;
}

/** A scenario's shape, thresholds and own endpoints: a built-in one's, or a scenario file's (`own`). */
export interface ScenarioSource {
  shape: ScenarioShape;
  thresholds: ThresholdsFile;
  thresholdsSource: string;
  routes: DeclaredEndpoint[];
}

/** A built-in scenario's shape (src/core/plan/scenario-shapes.ts) and its thresholds file, or the scenario file's. */
export async function scenarioSource(
  name: string,
  own: OwnScenario | null,
  thresholdsDir: string | null,
): Promise<ScenarioSource> {
  if (own !== null && own.name === name)
    return {
      shape: own.shape,
      thresholds: own.thresholds,
      thresholdsSource: own.thresholdsSource,
      routes: own.endpoints,
    };
  const shape = SCENARIO_SHAPES[name];
  if (shape === undefined) {
    throw new ValidationError(`src/k6/scenarios/${name}.ts`, [
      { path: '', expected: `an entry '${name}' in src/core/plan/scenario-shapes.ts`, found: 'none' },
    ]);
  }
  const file = thresholdsDir === null ? thresholdsFile(name) : path.join(thresholdsDir, `${name}.json`);
  return { shape, thresholds: await loadThresholds(name, file), thresholdsSource: shown(file), routes: [] };
}

/** Where each endpoint of a plan goes: the scenario's own endpoints first, then the API's. */
export const endpointRoute =
  (routes: readonly DeclaredEndpoint[], api: ApiName) =>
  (e: EndpointName): EndpointInfo | undefined => {
    const mine = routes.find((r) => r.name === e);
    return mine === undefined
      ? ROUTES[api][e]
      : { method: mine.method, path: mine.path, prompted: mine.prompted === true };
  };

export async function resolveRunPlans(config: PlanConfig): Promise<ScenarioPlan[]> {
  const promptCount = await promptSetSize(config.promptsFile);
  const arrivals = await runArrivals(config);
  // A dataset's lines are read and checked here; the lines themselves are made once the server is up.
  const source = await runWorkloadSource(config);
  const workload = source === null ? null : plannedWorkload(config, source);
  const plans: ScenarioPlan[] = [];
  const own = config.scenarioFile === null ? null : await loadOwnScenario(config.scenarioFile, config.thresholdsDir);
  for (const name of config.scenarios) {
    const { shape, thresholds, thresholdsSource, routes } = await scenarioSource(name, own, config.thresholdsDir);
    const route = endpointRoute(routes, config.api);
    if (
      shape.stream === true &&
      config.api === 'openai' &&
      config.server !== null &&
      !SERVERS[config.server].streamsChat
    )
      throw new ValidationError('--api', [
        {
          path: '',
          expected:
            `a server whose OpenAI-compatible chat stream carries tokens for scenario ${name}: ` +
            `--server llamacpp or realizar-model, or --api realizar (its native /stream/generate)`,
          found: `openai with ${SERVERS[config.server].name}'s demo, whose chat stream sends no content`,
        },
      ]);
    plans.push(
      resolvePlan(
        { ...shape, thresholds },
        {
          baseUrl: config.baseUrl,
          gate: config.gate,
          scale: config.scale,
          mix: config.mix,
          api: config.api,
          model: config.model,
          prompts:
            config.promptsFile === null || promptCount === null
              ? null
              : { source: path.basename(config.promptsFile), count: promptCount },
          timeoutSec: config.timeoutSec,
          shape: config.shape,
          thresholdsSource,
          arrivals,
          goodput: config.goodput,
          workload,
        },
        route,
      ),
    );
  }
  return plans;
}

/**
 * Each scenario's k6 script for this run: the runner's build bundled for what its plan needs
 * (src/core/plan/client-features.ts), leaving out the code of the features the run lacks, which each of
 * its clients would otherwise build. A scenario file of one's own keeps its build with every feature.
 */
export async function planScripts(
  config: PlanConfig,
  plans: readonly ScenarioPlan[],
  bundleDir: string,
): Promise<string[]> {
  const { bundleForRun } = await import('../../../build/bundle.js');
  const own = scenarioFileOf(config.scenarioFile ?? undefined, '/')?.name ?? null;
  return Promise.all(
    config.scenarios.map((name, i) =>
      name === own
        ? path.join(bundleDir, `${name}.js`)
        : bundleForRun(name, bundleDir, config.thresholdsDir, clientFeatures(plans[i]!, config.promptsFile !== null)),
    ),
  );
}
