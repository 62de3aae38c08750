/**
 * The endpoints the scenarios send to, for each API (./endpoints/realizar.ts: Realizar's native one as
 * the seed exercises it; ./endpoints/openai.ts: the OpenAI-compatible one, /v1, that vLLM, llama.cpp's
 * server, Ollama and Realizar itself serve), and what they share. Each has its method, path, the seed's
 * request bodies, and how a 200 response is judged (JSON Schema from schemas/api, precompiled by ajv at
 * build time, plus what a schema cannot say, such as one result per input). With a workload
 * (src/k6/lib/workload.ts) the generating endpoints send its lines: request n's prompt and max_tokens, or a
 * conversation's turn with its history.
 *
 * A VU builds an endpoint when the run first asks for it (src/k6/lib/scenario.ts), from where the
 * run sends it (src/k6/lib/sending.ts, worked out with the plan): k6 evaluates a script's top level in
 * every VU, and a table of every endpoint with its closures cost each VU what it built, whether the
 * run sent to that endpoint or not (docs/performance.md).
 */
import type { EndpointName } from '../../core/types.js';
import type { Route } from '../../core/target/routes.js';
import type { ConversationState } from '../../core/workload/conversation.js';
import type { WorkloadLine } from '../../core/workload/sequence.js';
import { maxTokensOf, SEED_MAX_TOKENS } from './prompt-source.js';
import { withExtras } from './server-extras.js';
import { matches, type Validator } from './validators.js';
import type { ApiConstants } from '../../core/plan/client-features.js';
import { realizarEndpoint } from './endpoints/realizar.js';
import { openaiEndpoint } from './endpoints/openai.js';

/**
 * What the script carries (src/core/plan/client-features.ts): the runner's build for a run leaves out
 * the endpoints of the API it does not send to (./endpoints/realizar.ts and ./endpoints/openai.ts
 * leave out those its mix does not send).
 */
declare const __API__: ApiConstants;

export interface Endpoint {
  name: EndpointName;
  method: 'GET' | 'POST';
  path: string;
  /** Request body for the n-th request of a phase (null: no body). */
  body: (n: number) => Record<string, unknown> | null;
  /**
   * The body when it is the same for every n (with the prompt set in use), so it is serialised
   * once; undefined when it varies. Absent: it varies.
   */
  fixedBody?: () => Record<string, unknown> | null | undefined;
  /** True when the parsed 200 body is what this endpoint promises for that request. */
  accepts: (body: unknown, request: Record<string, unknown> | null) => boolean;
  /** Tokens generated, from an accepted body (the server's own count, num_generated). */
  tokens: (body: unknown) => number;
  /**
   * Given to an endpoint that takes prompts: the body of a conversation's turn (request n), its line's
   * message after the conversation so far.
   */
  turnBody?: (line: WorkloadLine, conversation: ConversationState, n: number) => Record<string, unknown>;
}

export const none = (): number => 0;

// The seed's configurations (load-testing.md, Test Scenarios 2-5).
export const GENERATE_PARAMS = { max_tokens: SEED_MAX_TOKENS, strategy: 'greedy' };

export const inputs = (request: Record<string, unknown> | null, key: string): number =>
  Array.isArray(request?.[key]) ? (request[key] as unknown[]).length : -1;

export type Api = 'realizar' | 'openai';

/** A health check: no body, its 200 answer judged by the API's schema. */
export const healthEndpoint = (
  at: Pick<Endpoint, 'name' | 'method' | 'path'>,
  v: Validator<'health' | 'openai-models'>,
): Endpoint => ({
  ...at,
  body: () => null,
  fixedBody: () => null,
  accepts: (body) => matches(v, body),
  tokens: none,
});

/** One max_tokens serves every prompt of a batch: the most any of them asks for. */
export const batchMaxTokens = (lines: readonly WorkloadLine[]): number => Math.max(...lines.map(maxTokensOf));

/** How a run sends the built-in endpoints: plain data, worked out where the plan is resolved (sending.ts). */
export interface Sending {
  api: Api;
  /** The model named in OpenAI-compatible requests. */
  model: string;
  /** The OpenAI-compatible generate sends chat messages (a workload of chat lines or conversations). */
  chat: boolean;
  /** Fields the server needs in every request body (src/k6/lib/server-extras.ts); none for most. */
  extras: Readonly<Record<string, unknown>>;
  /** Where each built-in endpoint the run may send to goes. */
  routes: Readonly<Partial<Record<EndpointName, Route>>>;
}

/** The built-in endpoint `name` as this run sends it; the run's plan has refused one its API lacks. */
export function builtinEndpoint(name: EndpointName, s: Sending): Endpoint {
  const route = s.routes[name];
  if (route === undefined)
    throw new Error(`endpoint ${name}: not among the run's (${Object.keys(s.routes).join(', ')})`);
  let e: Endpoint | null = null;
  if (__API__.realizar && s.api === 'realizar') e = realizarEndpoint(name, route);
  if (__API__.openai && s.api === 'openai') e = openaiEndpoint(name, route, s.model, s.chat);
  if (e === null)
    throw new Error(`endpoint ${name}: this script was bundled for a run that does not send to the ${s.api} API`);
  return withExtras(e, s.extras);
}
