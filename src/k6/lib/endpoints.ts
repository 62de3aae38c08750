/**
 * The endpoints the scenarios send to, for each API: Realizar's native one as the seed exercises
 * it, and the OpenAI-compatible one (/v1) that vLLM, llama.cpp's server, Ollama and Realizar itself
 * serve. Each has its method, path, the seed's request bodies, and how a 200 response is judged
 * (JSON Schema from schemas/api, precompiled by ajv at build time, plus what a schema cannot say,
 * such as one result per input).
 */
import type { EndpointName } from '../../core/types.js';
import { ROUTES } from '../../core/target/routes.js';
import {
  validateBatchGenerateResponse,
  validateBatchTokenizeResponse,
  validateGenerateResponse,
  validateHealthResponse,
  validateOpenAICompletionResponse,
  validateOpenAIModelsResponse,
  validateTokenizeResponse,
} from '../../generated/api-validators.cjs';
import type { ServerKind } from '../../core/target/servers.js';
import { withServerExtras } from './server-extras.js';

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
}

const none = (): number => 0;
const generated = (body: unknown): number => (body as { num_generated: number }).num_generated;
const generatedInBatch = (body: unknown): number =>
  (body as { results: Array<{ num_generated: number }> }).results.reduce((n, r) => n + r.num_generated, 0);

/**
 * The prompt of the n-th request: the seed's ("Hello", "Prompt i batch n") unless a prompt set is
 * loaded (--prompts), whose prompts are then taken in order, cycling.
 */
let promptSet: readonly string[] | null = null;
export function usePromptSet(prompts: readonly string[] | null): void {
  promptSet = prompts === null || prompts.length === 0 ? null : prompts;
}
const prompt = (n: number, fallback: string): string =>
  promptSet === null ? fallback : promptSet[n % promptSet.length]!;

// The seed's configurations (load-testing.md, Test Scenarios 2-5).
const GENERATE_PARAMS = { max_tokens: 5, strategy: 'greedy' };
const BATCH_TEXTS = 3;
const BATCH_PROMPTS = 2;

const inputs = (request: Record<string, unknown> | null, key: string): number =>
  Array.isArray(request?.[key]) ? (request[key] as unknown[]).length : -1;

export type Api = 'realizar' | 'openai';

export const ENDPOINTS: Record<EndpointName, Endpoint> = {
  health: {
    name: 'health',
    ...ROUTES.realizar['health']!,
    body: () => null,
    fixedBody: () => null,
    accepts: (body) => validateHealthResponse(body),
    tokens: none,
  },
  tokenize: {
    name: 'tokenize',
    ...ROUTES.realizar['tokenize']!,
    body: () => ({ text: 'Hello world test message' }),
    fixedBody: () => ({ text: 'Hello world test message' }),
    accepts: (body) => validateTokenizeResponse(body),
    tokens: none,
  },
  generate: {
    name: 'generate',
    ...ROUTES.realizar['generate']!,
    body: (n) => ({ prompt: prompt(n, 'Hello'), ...GENERATE_PARAMS }),
    fixedBody: () => (promptSet === null ? { prompt: 'Hello', ...GENERATE_PARAMS } : undefined),
    accepts: (body) => validateGenerateResponse(body),
    tokens: generated,
  },
  'batch-tokenize': {
    name: 'batch-tokenize',
    ...ROUTES.realizar['batch-tokenize']!,
    body: (n) => ({ texts: Array.from({ length: BATCH_TEXTS }, (_, i) => `Text ${i + 1} batch ${n}`) }),
    accepts: (body, request) => validateBatchTokenizeResponse(body) && body.results.length === inputs(request, 'texts'),
    tokens: none,
  },
  // Streamed: sent by src/k6/lib/stream/record.ts from a browser page, not by k6/http; judged there.
  'stream-generate': {
    name: 'stream-generate',
    ...ROUTES.realizar['stream-generate']!,
    body: (n) => ({ prompt: prompt(n, 'Hello'), ...GENERATE_PARAMS }),
    accepts: () => false,
    tokens: none,
  },
  'batch-generate': {
    name: 'batch-generate',
    ...ROUTES.realizar['batch-generate']!,
    body: (n) => ({
      prompts: Array.from({ length: BATCH_PROMPTS }, (_, i) =>
        prompt(n * BATCH_PROMPTS + i, `Prompt ${i + 1} batch ${n}`),
      ),
      ...GENERATE_PARAMS,
    }),
    accepts: (body, request) =>
      validateBatchGenerateResponse(body) && body.results.length === inputs(request, 'prompts'),
    tokens: generatedInBatch,
  },
};

/** Completion tokens from an OpenAI-style usage block. */
const usageTokens = (body: unknown): number =>
  (body as { usage?: { completion_tokens?: number } }).usage?.completion_tokens ?? 0;

/**
 * The OpenAI-compatible API. Requests name a model; greedy decoding is not part of the API (and
 * some servers refuse temperature 0), so the server's default sampling is used. There is no
 * tokenizer in the API: scenarios that need one cannot run with it.
 */
function openaiEndpoints(model: string): Partial<Record<EndpointName, Endpoint>> {
  const completion = (prompt: string | string[]): Record<string, unknown> => ({
    model,
    prompt,
    max_tokens: GENERATE_PARAMS.max_tokens,
  });
  return {
    health: {
      name: 'health',
      ...ROUTES.openai.health!,
      body: () => null,
      fixedBody: () => null,
      accepts: (body) => validateOpenAIModelsResponse(body),
      tokens: none,
    },
    generate: {
      name: 'generate',
      ...ROUTES.openai.generate!,
      body: (n) => completion(prompt(n, 'Hello')),
      fixedBody: () => (promptSet === null ? completion('Hello') : undefined),
      accepts: (body) => validateOpenAICompletionResponse(body),
      tokens: usageTokens,
    },
    'batch-generate': {
      name: 'batch-generate',
      ...ROUTES.openai['batch-generate']!,
      body: (n) =>
        completion(
          Array.from({ length: BATCH_PROMPTS }, (_, i) => prompt(n * BATCH_PROMPTS + i, `Prompt ${i + 1} batch ${n}`)),
        ),
      accepts: (body, request) =>
        validateOpenAICompletionResponse(body) && body.choices.length === inputs(request, 'prompt'),
      tokens: usageTokens,
    },
    'stream-generate': {
      name: 'stream-generate',
      ...ROUTES.openai['stream-generate']!,
      body: (n) => ({
        model,
        messages: [{ role: 'user', content: prompt(n, 'Hello') }],
        max_tokens: GENERATE_PARAMS.max_tokens,
        stream: true,
        stream_options: { include_usage: true },
      }),
      accepts: () => false,
      tokens: none,
    },
  };
}

/**
 * The endpoints of an API; an endpoint the API lacks is absent. A known OpenAI-compatible server
 * gets the request fields it needs (src/k6/lib/server-extras.ts).
 */
export function endpointsFor(
  api: Api,
  model: string,
  server: ServerKind | null = null,
): Partial<Record<EndpointName, Endpoint>> {
  return api === 'realizar' ? ENDPOINTS : withServerExtras(openaiEndpoints(model), server);
}
