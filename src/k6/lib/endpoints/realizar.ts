/**
 * Realizar's native endpoints as the seed exercises them (load-testing.md, Test Scenarios 1-5), and
 * with a workload its lines (../workload.ts).
 */
import type { EndpointName } from '../../../core/types.js';
import type { Route } from '../../../core/target/routes.js';
import type { ConversationState } from '../../../core/workload/conversation.js';
import { BATCH_PROMPTS } from '../../../core/plan/workload.js';
import type { WorkloadLine } from '../../../core/workload/sequence.js';
import { lineOf, maxTokensOf, prompt, promptSet, textOf, turnInput, workload } from '../prompt-source.js';
import type { SendsConstants } from '../../../core/plan/client-features.js';
import * as V from '../validators.js';
import { batchMaxTokens, GENERATE_PARAMS, healthEndpoint, inputs, none, type Endpoint } from '../endpoints.js';

const generated = (body: unknown): number => (body as { num_generated: number }).num_generated;
const generatedInBatch = (body: unknown): number =>
  (body as { results: Array<{ num_generated: number }> }).results.reduce((n, r) => n + r.num_generated, 0);
// The seed's batch of texts to tokenize (load-testing.md, Test Scenario 4).
const BATCH_TEXTS = 3;

/**
 * What the script carries (src/core/plan/client-features.ts): the runner's build for a run leaves out
 * the endpoints its mix does not send and, without a workload, the code of a workload's bodies. Each
 * case is a block under its constant: esbuild leaves out what a false constant guards, not what
 * follows an early return.
 */
declare const __SENDS__: SendsConstants;
declare const __WITH_WORKLOAD__: boolean;

/** Realizar's native body for a line (after the conversation so far, flattened into the prompt). */
function nativeBody(line: WorkloadLine, c?: ConversationState): Record<string, unknown> {
  return {
    prompt: c === undefined ? textOf(line) : turnInput(line, c).prompt,
    max_tokens: maxTokensOf(line),
    strategy: 'greedy',
  };
}

/** A generating endpoint's bodies: the seed's prompt, or with a workload its line or a conversation's turn. */
const generating = (): Pick<Endpoint, 'body' | 'turnBody'> => ({
  body: (n) =>
    __WITH_WORKLOAD__ && workload !== null
      ? nativeBody(lineOf(workload, n))
      : { prompt: prompt(n, 'Hello'), ...GENERATE_PARAMS },
  ...(__WITH_WORKLOAD__ ? { turnBody: (line: WorkloadLine, c: ConversationState) => nativeBody(line, c) } : {}),
});

/** Realizar's native endpoint `name`, at `route`. */
export function realizarEndpoint(name: EndpointName, route: Route): Endpoint {
  const at = { name, method: route.method, path: route.path };
  switch (name) {
    case 'health':
      if (__SENDS__.health) return healthEndpoint(at, V.HEALTH);
      break;
    case 'tokenize':
      if (__SENDS__.tokenize) {
        return {
          ...at,
          body: () => ({ text: 'Hello world test message' }),
          fixedBody: () => ({ text: 'Hello world test message' }),
          accepts: (body) => V.matches(V.TOKENIZE, body),
          tokens: none,
        };
      }
      break;
    case 'generate':
      if (__SENDS__.generate) {
        return {
          ...at,
          ...generating(),
          fixedBody: () =>
            promptSet === null && workload === null ? { prompt: 'Hello', ...GENERATE_PARAMS } : undefined,
          accepts: (body) => V.matches(V.GENERATE, body),
          tokens: generated,
        };
      }
      break;
    case 'batch-tokenize':
      if (__SENDS__.batch_tokenize) {
        return {
          ...at,
          body: (n) => ({ texts: Array.from({ length: BATCH_TEXTS }, (_, i) => `Text ${i + 1} batch ${n}`) }),
          accepts: (body, request) =>
            V.matches(V.BATCH_TOKENIZE, body) && body.results.length === inputs(request, 'texts'),
          tokens: none,
        };
      }
      break;
    // Streamed: sent by src/k6/lib/stream/record.ts from a browser page, not by k6/http; judged there.
    case 'stream-generate':
      if (__SENDS__.stream_generate) {
        return {
          ...at,
          ...generating(),
          accepts: () => false,
          tokens: none,
        };
      }
      break;
    case 'batch-generate':
      if (__SENDS__.batch_generate) {
        return {
          ...at,
          body: (n) => {
            if (__WITH_WORKLOAD__ && workload !== null) {
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
          ...(__WITH_WORKLOAD__
            ? {
                turnBody: (line: WorkloadLine) => ({
                  prompts: [textOf(line)],
                  max_tokens: maxTokensOf(line),
                  strategy: 'greedy',
                }),
              }
            : {}),
          accepts: (body, request) =>
            V.matches(V.BATCH_GENERATE, body) && body.results.length === inputs(request, 'prompts'),
          tokens: generatedInBatch,
        };
      }
      break;
  }
  throw new Error(`Realizar's API has no endpoint ${name}, or this script was bundled for a run that does not send it`);
}
