/**
 * defineScenario for a scenario file of one's own: the same defineScenario the built-in scenarios
 * use (src/k6/lib/scenario.ts), with the file's own endpoints added to the API's, so its requests
 * are counted, judged and reported as theirs.
 *
 * The runner reads the file twice. First in Node, before anything starts (src/node/own/own-scenario.ts):
 * a bundle built with `__PLAN_ONLY__` hands the declaration (types.ts, functions left out) to the
 * runner, which checks it, its thresholds and the plan with the run's flags. Then k6 runs the real
 * bundle, into which the runner put the scenario's name and its checked thresholds (`__OWN_SCENARIO__`)
 * and its compiled schemas.
 */
import type { ScenarioDeclaration, ThresholdsFile } from '../../core/types.js';
import { prompt as promptOf } from '../lib/prompt-source.js';
import { defineScenario as defineToolkitScenario } from '../lib/scenario.js';
import { declaredEndpoint, toEndpoint } from './endpoint.js';
import type { DefinedScenario, ScenarioSpec } from './types.js';

/** Set by the bundler (build/own-bundle.ts): true only in the runner's reading of the declaration. */
declare const __PLAN_ONLY__: boolean;
/** Set by the bundler: the scenario's name (its file's) and its thresholds, as the runner checked them. */
declare const __OWN_SCENARIO__: { name: string; thresholds: ThresholdsFile };

/** How the runner's reading receives the declaration (src/node/own/own-scenario.ts). */
const DECLARE_HOOK = '__realizarK6Declare';

/**
 * The spec as data. Whatever else it holds is kept, so that the runner names a misspelt field (or,
 * from JavaScript, a value of the wrong kind) instead of this code tripping over it.
 */
function declarationOf(spec: ScenarioSpec<string>): ScenarioDeclaration {
  const { endpoints, mixable, stream, ...rest } = spec;
  return {
    ...rest,
    endpoints: endpoints === undefined ? [] : Array.isArray(endpoints) ? endpoints.map(declaredEndpoint) : endpoints,
    mixable: mixable ?? false,
    stream: stream !== undefined,
  } as ScenarioDeclaration;
}

/** What the runner's reading gets back: nothing runs then. */
const INERT: DefinedScenario = {
  options: {},
  run: () => undefined,
  handleSummary: () => ({}),
  plan: null as unknown as DefinedScenario['plan'],
};

/**
 * The prompt of the n-th request: the run's prompt set (--prompts), taken in order and cycling, or
 * `fallback` when there is none. The built-in endpoints' own (src/k6/lib/prompt-source.ts).
 */
export const prompt: (n: number, fallback: string) => string = promptOf;

/**
 * A scenario: `export const options = s.options; export default s.run; export const handleSummary =
 * s.handleSummary;` with `const s = defineScenario({...})`.
 */
export function defineScenario<const N extends string = never>(spec: ScenarioSpec<N>): DefinedScenario {
  const declaration = declarationOf(spec as ScenarioSpec<string>);
  if (typeof __PLAN_ONLY__ !== 'undefined' && __PLAN_ONLY__) {
    (globalThis as unknown as Record<string, (d: ScenarioDeclaration) => void>)[DECLARE_HOOK]!(declaration);
    return INERT;
  }
  if (typeof __OWN_SCENARIO__ === 'undefined')
    throw new Error('run this scenario file with `npx realizar-k6 run FILE`: it bundles the file with its thresholds');
  const own = __OWN_SCENARIO__;
  // The toolkit's scenario loads the prompt set (src/k6/lib/scenario.ts) that prompt() reads.
  return defineToolkitScenario(
    {
      name: own.name,
      description: declaration.description,
      thresholds: own.thresholds,
      mix: declaration.mix,
      mixable: declaration.mixable,
      phases: declaration.phases,
      ...(declaration.stream ? { stream: true as const } : {}),
    },
    spec.stream ?? null,
    Object.fromEntries((spec.endpoints ?? []).map((e) => [e.name, toEndpoint(e)])),
  );
}
