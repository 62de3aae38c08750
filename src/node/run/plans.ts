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
import type { EndpointInfo } from '../../core/plan/mix.js';
import { ROUTES } from '../../core/target/routes.js';
import { SCENARIO_SHAPES } from '../../core/plan/scenario-shapes.js';
import type { EndpointName, ScenarioPlan } from '../../core/types.js';
import { SERVERS } from '../../core/target/servers.js';
import { ValidationError } from '../../core/errors/ValidationError.js';
import type { RunConfig } from '../config/index.js';
import { shown, thresholdsFile } from '../files/paths.js';
import { loadOwnScenario } from '../own/own-scenario.js';
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

/** A built-in scenario's shape (src/core/plan/scenario-shapes.ts) and its thresholds file. */
async function builtIn(name: string, thresholdsDir: string | null) {
  const shape = SCENARIO_SHAPES[name];
  if (shape === undefined) {
    throw new ValidationError(`src/k6/scenarios/${name}.ts`, [
      { path: '', expected: `an entry '${name}' in src/core/plan/scenario-shapes.ts`, found: 'none' },
    ]);
  }
  const file = thresholdsDir === null ? thresholdsFile(name) : path.join(thresholdsDir, `${name}.json`);
  return { shape, thresholds: await loadThresholds(name, file), source: shown(file), routes: [] };
}

export async function resolveRunPlans(config: RunConfig): Promise<ScenarioPlan[]> {
  const promptCount = await promptSetSize(config.promptsFile);
  const arrivals = await runArrivals(config);
  // A dataset's lines are read and checked here; the lines themselves are made once the server is up.
  const source = await runWorkloadSource(config);
  const workload = source === null ? null : plannedWorkload(config, source);
  const plans: ScenarioPlan[] = [];
  const own = config.scenarioFile === null ? null : await loadOwnScenario(config.scenarioFile, config.thresholdsDir);
  for (const name of config.scenarios) {
    const {
      shape,
      thresholds,
      source: thresholdsSource,
      routes,
    } = own !== null && own.name === name
      ? { ...own, source: own.thresholdsSource, routes: own.endpoints }
      : await builtIn(name, config.thresholdsDir);
    // The scenario's own endpoints first, then the API's.
    const route = (e: EndpointName): EndpointInfo | undefined => {
      const mine = routes.find((r) => r.name === e);
      return mine === undefined
        ? ROUTES[config.api][e]
        : { method: mine.method, path: mine.path, prompted: mine.prompted === true };
    };
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
