/**
 * The shapes a scenario file of one's own writes (realizar-k6/k6): its endpoints, its phases, its
 * mix and its thresholds. Typed so that an editor completes every field and tsc refuses a misspelt
 * metric, a phase model that does not exist or a mix naming an endpoint nobody defined.
 */
import type { Options } from 'k6/options';
import type { PhaseDefinition } from '../../core/plan/plan.js';
import type { BuiltinEndpointName, RecoveryRule, Rule, ScenarioPlan } from '../../core/types.js';
import type { runStreamPhase } from '../lib/stream/run.js';
import type { PromptInput } from '../lib/prompt-source.js';

export type { BuiltinEndpointName, PhaseDefinition, PromptInput, RecoveryRule };

/** What a rule measures: latency_p95 in ms, error_rate in %, throughput in req/s, ttft_p95... */
export type RuleMetric = Rule['metric'];

/** A JSON Schema (draft-07), as an object: inline, or imported from a .json file. */
export type JsonSchema = Record<string, unknown>;

/** A JSON request body, or null for none. */
export type RequestBody = Record<string, unknown> | null;

/** An endpoint of one's own: where its requests go, what they carry and how a 200 is judged. */
export interface EndpointSpec<N extends string = string> {
  /** Its name in the mix, in rules and in the report (lowercase, digits, dashes; not a built-in one's). */
  name: N;
  method: 'GET' | 'POST';
  /** Joined to the base URL (--base-url), e.g. /v1/chat/completions. */
  path: string;
  /**
   * The body of the n-th request of a phase (n from 0, counted over every client); `prompt(n, 'Hello')`
   * takes the run's prompt set (--prompts) in order. Absent (and no `prompted`): no body.
   */
  body?: (n: number) => RequestBody;
  /**
   * Instead of `body`: the body of a request that carries the run's prompt. With a workload
   * (--input-tokens, --output-tokens, --dataset, --prefix-tokens, --turns, a trace with lengths) `input`
   * is the workload's line for the request, a conversation's turn with the replies so far; else the
   * prompt set's (--prompts) or 'Hello', with the seed's 5 tokens. The endpoint then takes the workload
   * as the built-in generate does, and the report sets what was asked beside what the answer says it got.
   */
  prompted?: (input: PromptInput, n: number) => RequestBody;
  /** Every 200 body must match it, or the request is a failure like a 500 (compiled before the run). */
  schema?: JsonSchema;
  /** What a schema cannot say (one result per input, say): false makes the request a failure. */
  accepts?: (body: unknown, request: RequestBody) => boolean;
  /** Tokens generated, read from a body that passed (counted as tokens_generated). */
  tokens?: (body: unknown) => number;
}

/** A rule of the scenario's thresholds; `endpoint` names a built-in endpoint or one of the scenario's. */
export type ScenarioRule<N extends string = never> = Omit<Rule, 'endpoint'> & {
  endpoint?: BuiltinEndpointName | NoInfer<N>;
};

/** The scenario's thresholds, as in thresholds/<name>.json; `scenario` may be left out inline. */
export interface ScenarioThresholds<N extends string = never> {
  scenario?: string;
  description?: string;
  rules: ScenarioRule<N>[];
  recovery?: RecoveryRule;
}

/** The stream runner (realizar-k6/k6/stream): every response read as Server-Sent Events in a browser. */
export type StreamRunner = typeof runStreamPhase;

/** A scenario: its shape, its endpoints and its thresholds. Its name is its file's. */
export interface ScenarioSpec<N extends string = never> {
  /** One line saying what it does; the report's heading. */
  description: string;
  /** Endpoints of its own (defineEndpoint), beside the built-in ones. */
  endpoints?: readonly EndpointSpec<N>[];
  /** Which endpoints the requests go to, and in which proportion (weights are whole numbers). */
  mix: ReadonlyArray<{ endpoint: BuiltinEndpointName | NoInfer<N>; weight: number }>;
  /** Whether --mix may replace the mix (default false). */
  mixable?: boolean;
  /** One closed phase, or open phases one after the other. */
  phases: readonly PhaseDefinition[];
  /**
   * Inline; or leave it out and keep them in <file>.thresholds.json beside the scenario file
   * (or in --thresholds-dir as <file>.json).
   */
  thresholds?: ScenarioThresholds<N>;
  /** A streamed scenario: pass `stream` from realizar-k6/k6/stream. */
  stream?: StreamRunner;
}

/** What a scenario file exports: `options`, `run` as its default and `handleSummary`. */
export interface DefinedScenario {
  options: Options;
  run: () => void | Promise<void>;
  handleSummary: (data: unknown) => Record<string, string>;
  /** The plan the script resolved at init (the runner checked the same one before the run). */
  plan: ScenarioPlan;
}
