/**
 * The endpoints the scenarios send to, for each API: Realizar's native one as the seed exercises
 * it, and the OpenAI-compatible one (/v1) that vLLM, llama.cpp's server, Ollama and Realizar itself
 * serve. Each has its method, path, the seed's request bodies, and how a 200 response is judged
 * (JSON Schema from schemas/api, precompiled by ajv at build time, plus what a schema cannot say,
 * such as one result per input). With a workload (src/k6/lib/workload.ts) the generating endpoints
 * send its lines: request n's prompt and max_tokens, or a conversation's turn with its history.
 *
 * A VU builds an endpoint when the run first asks for it (src/k6/lib/scenario.ts), from where the
 * run sends it (src/k6/lib/sending.ts, worked out with the plan): k6 evaluates a script's top level in
 * every VU, and a table of every endpoint with its closures cost each VU what it built, whether the
 * run sent to that endpoint or not (docs/performance.md).
 */
import type { EndpointName } from '../../core/types.js';
import type { Route } from '../../core/target/routes.js';
import type { ConversationState } from '../../core/workload/conversation.js';
import { BATCH_PROMPTS } from '../../core/plan/workload.js';
import type { WorkloadLine } from '../../core/workload/sequence.js';
import type { ChatMessage } from '../../core/workload/types.js';
import {
  lineOf,
  maxTokensOf,
  messagesOf,
  prompt,
  promptSet,
  SEED_MAX_TOKENS,
  textOf,
  turnChat,
  turnInput,
  workload,
} from './prompt-source.js';
import { withExtras } from './server-extras.js';
import { matches } from './validators.js';

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

const none = (): number => 0;
const generated = (body: unknown): number => (body as { num_generated: number }).num_generated;
const generatedInBatch = (body: unknown): number =>
  (body as { results: Array<{ num_generated: number }> }).results.reduce((n, r) => n + r.num_generated, 0);

// The seed's configurations (load-testing.md, Test Scenarios 2-5).
const GENERATE_PARAMS = { max_tokens: SEED_MAX_TOKENS, strategy: 'greedy' };
const BATCH_TEXTS = 3;

const inputs = (request: Record<string, unknown> | null, key: string): number =>
  Array.isArray(request?.[key]) ? (request[key] as unknown[]).length : -1;

export type Api = 'realizar' | 'openai';

/** Realizar's native body for a line (after the conversation so far, flattened into the prompt). */
function nativeBody(line: WorkloadLine, c?: ConversationState): Record<string, unknown> {
  return {
    prompt: c === undefined ? textOf(line) : turnInput(line, c).prompt,
    max_tokens: maxTokensOf(line),
    strategy: 'greedy',
  };
}
/** One max_tokens serves every prompt of a batch: the most any of them asks for. */
const batchMaxTokens = (lines: readonly WorkloadLine[]): number => Math.max(...lines.map(maxTokensOf));

/** Realizar's native endpoint `name`, at `route`. */
function realizarEndpoint(name: EndpointName, route: Route): Endpoint {
  const at = { name, method: route.method, path: route.path };
  switch (name) {
    case 'health':
      return {
        ...at,
        body: () => null,
        fixedBody: () => null,
        accepts: (body) => matches('health', body),
        tokens: none,
      };
    case 'tokenize':
      return {
        ...at,
        body: () => ({ text: 'Hello world test message' }),
        fixedBody: () => ({ text: 'Hello world test message' }),
        accepts: (body) => matches('tokenize', body),
        tokens: none,
      };
    case 'generate':
      return {
        ...at,
        body: (n) =>
          workload === null ? { prompt: prompt(n, 'Hello'), ...GENERATE_PARAMS } : nativeBody(lineOf(workload, n)),
        fixedBody: () =>
          promptSet === null && workload === null ? { prompt: 'Hello', ...GENERATE_PARAMS } : undefined,
        accepts: (body) => matches('generate', body),
        tokens: generated,
        turnBody: (line, c) => nativeBody(line, c),
      };
    case 'batch-tokenize':
      return {
        ...at,
        body: (n) => ({ texts: Array.from({ length: BATCH_TEXTS }, (_, i) => `Text ${i + 1} batch ${n}`) }),
        accepts: (body, request) => matches('batch-tokenize', body) && body.results.length === inputs(request, 'texts'),
        tokens: none,
      };
    // Streamed: sent by src/k6/lib/stream/record.ts from a browser page, not by k6/http; judged there.
    case 'stream-generate':
      return {
        ...at,
        body: (n) =>
          workload === null ? { prompt: prompt(n, 'Hello'), ...GENERATE_PARAMS } : nativeBody(lineOf(workload, n)),
        accepts: () => false,
        tokens: none,
        turnBody: (line, c) => nativeBody(line, c),
      };
    case 'batch-generate':
      return {
        ...at,
        body: (n) => {
          if (workload !== null) {
            const lines = [lineOf(workload, n, 0), lineOf(workload, n, 1)];
            return { prompts: lines.map(textOf), max_tokens: batchMaxTokens(lines), strategy: 'greedy' };
          }
          return {
            prompts: Array.from({ length: BATCH_PROMPTS }, (_, i) =>
              prompt(n * BATCH_PROMPTS + i, `Prompt ${i + 1} batch ${n}`),
            ),
            ...GENERATE_PARAMS,
          };
        },
        turnBody: (line) => ({ prompts: [textOf(line)], max_tokens: maxTokensOf(line), strategy: 'greedy' }),
        accepts: (body, request) =>
          matches('batch-generate', body) && body.results.length === inputs(request, 'prompts'),
        tokens: generatedInBatch,
      };
  }
  throw new Error(`Realizar's API has no endpoint ${name}`);
}

/** Completion tokens from an OpenAI-style usage block. */
const usageTokens = (body: unknown): number =>
  (body as { usage?: { completion_tokens?: number } }).usage?.completion_tokens ?? 0;

/**
 * The OpenAI-compatible API's endpoint `name`, at `route`. Requests name a model; greedy decoding is
 * not part of the API (and some servers refuse temperature 0), so the server's default sampling is
 * used. There is no tokenizer in the API: scenarios that need one cannot run with it. With `chat`
 * (a workload of chat lines or conversations), generate sends chat messages.
 */
function openaiEndpoint(name: EndpointName, route: Route, model: string, chat: boolean): Endpoint {
  const at = { name, method: route.method, path: route.path };
  const completion = (prompt: string | string[], maxTokens = GENERATE_PARAMS.max_tokens): Record<string, unknown> => ({
    model,
    prompt,
    max_tokens: maxTokens,
  });
  const chatBody = (messages: ChatMessage[], maxTokens: number): Record<string, unknown> => ({
    model,
    messages,
    max_tokens: maxTokens,
  });
  const streamBody = (messages: ChatMessage[], maxTokens: number): Record<string, unknown> => ({
    ...chatBody(messages, maxTokens),
    stream: true,
    stream_options: { include_usage: true },
  });
  /** A workload's generate: a completion, or with chat lines or conversations a chat request. */
  const generateBody = (line: WorkloadLine, c?: ConversationState): Record<string, unknown> => {
    if (chat) return chatBody(c === undefined ? messagesOf(line) : turnChat(line, c), maxTokensOf(line));
    return completion(textOf(line), maxTokensOf(line));
  };
  switch (name) {
    case 'health':
      return {
        ...at,
        body: () => null,
        fixedBody: () => null,
        accepts: (body) => matches('openai-models', body),
        tokens: none,
      };
    case 'generate':
      return chat
        ? {
            ...at,
            body: (n) => generateBody(lineOf(workload!, n)),
            accepts: (body) => matches('openai-chat-completion', body),
            tokens: usageTokens,
            turnBody: generateBody,
          }
        : {
            ...at,
            body: (n) => (workload === null ? completion(prompt(n, 'Hello')) : generateBody(lineOf(workload, n))),
            fixedBody: () => (promptSet === null && workload === null ? completion('Hello') : undefined),
            accepts: (body) => matches('openai-completion', body),
            tokens: usageTokens,
            turnBody: generateBody,
          };
    case 'batch-generate':
      return {
        ...at,
        body: (n) => {
          if (workload !== null) {
            const lines = [lineOf(workload, n, 0), lineOf(workload, n, 1)];
            return completion(lines.map(textOf), batchMaxTokens(lines));
          }
          return completion(
            Array.from({ length: BATCH_PROMPTS }, (_, i) =>
              prompt(n * BATCH_PROMPTS + i, `Prompt ${i + 1} batch ${n}`),
            ),
          );
        },
        turnBody: (line) => completion([textOf(line)], maxTokensOf(line)),
        accepts: (body, request) =>
          matches('openai-completion', body) && body.choices.length === inputs(request, 'prompt'),
        tokens: usageTokens,
      };
    case 'stream-generate':
      return {
        ...at,
        body: (n) => {
          if (workload === null)
            return streamBody([{ role: 'user', content: prompt(n, 'Hello') }], GENERATE_PARAMS.max_tokens);
          const line = lineOf(workload, n);
          return streamBody(messagesOf(line), maxTokensOf(line));
        },
        accepts: () => false,
        tokens: none,
        turnBody: (line, c) => streamBody(turnChat(line, c), maxTokensOf(line)),
      };
  }
  throw new Error(`the OpenAI-compatible API has no endpoint ${name}`);
}

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
  const e = s.api === 'realizar' ? realizarEndpoint(name, route) : openaiEndpoint(name, route, s.model, s.chat);
  return withExtras(e, s.extras);
}
