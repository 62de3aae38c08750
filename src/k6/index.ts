/**
 * realizar-k6/k6: the API a scenario file of one's own imports. Its requests go through the same
 * code as the built-in scenarios' (sending, the schema check, the mix, the counting), so they get the
 * same report, verdicts and exit code. docs/writing-scenarios.md shows a whole file.
 *
 * The streamed runner is apart, in realizar-k6/k6/stream: importing k6's browser module costs every
 * iteration of every scenario in a script, streamed or not.
 */
export { defineScenario, prompt } from './api/define.js';
export { defineEndpoint } from './api/endpoint.js';
export type {
  BuiltinEndpointName,
  DefinedScenario,
  EndpointSpec,
  JsonSchema,
  PhaseDefinition,
  PromptInput,
  RecoveryRule,
  RequestBody,
  RuleMetric,
  ScenarioRule,
  ScenarioSpec,
  ScenarioThresholds,
  StreamRunner,
} from './api/types.js';
export { generatePromptSet, seededRandom, type PromptSetOptions } from '../core/workload/prompts.js';
