/**
 * The OpenAI-compatible endpoints (/v1) that vLLM, llama.cpp's server, Ollama and Realizar itself serve.
 */
import type { EndpointName } from '../../../core/types.js';
import type { Route } from '../../../core/target/routes.js';
import type { ConversationState } from '../../../core/workload/conversation.js';
import { BATCH_PROMPTS } from '../../../core/plan/workload.js';
import type { WorkloadLine } from '../../../core/workload/sequence.js';
import type { ChatMessage } from '../../../core/workload/types.js';
import { lineOf, maxTokensOf, messagesOf, prompt, promptSet, textOf, turnChat, workload } from '../prompt-source.js';
import type { SendsConstants } from '../../../core/plan/client-features.js';
import * as V from '../validators.js';
import { batchMaxTokens, type Endpoint, GENERATE_PARAMS, healthEndpoint, inputs, none } from '../endpoints.js';

/**
 * What the script carries (src/core/plan/client-features.ts): the runner's build for a run leaves out
 * the endpoints its mix does not send. Each
 * case is a block under its constant: esbuild leaves out what a false constant guards, not what
 * follows an early return.
 */
declare const __SENDS__: SendsConstants;
declare const __WITH_WORKLOAD__: boolean;

/** Completion tokens from an OpenAI-style usage block. */
const usageTokens = (body: unknown): number =>
  (body as { usage?: { completion_tokens?: number } }).usage?.completion_tokens ?? 0;

/**
 * The OpenAI-compatible API's endpoint `name`, at `route`. Requests name a model; greedy decoding is
 * not part of the API (and some servers refuse temperature 0), so the server's default sampling is
 * used. There is no tokenizer in the API: scenarios that need one cannot run with it. With `chat`
 * (a workload of chat lines or conversations), generate sends chat messages.
 */
export function openaiEndpoint(name: EndpointName, route: Route, model: string, chat: boolean): Endpoint {
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
      if (__SENDS__.health) return healthEndpoint(at, V.OPENAI_MODELS);
      break;
    case 'generate':
      if (__SENDS__.generate) {
        return chat
          ? {
              ...at,
              body: (n) => generateBody(lineOf(workload!, n)),
              accepts: (body) => V.matches(V.OPENAI_CHAT_COMPLETION, body),
              tokens: usageTokens,
              turnBody: generateBody,
            }
          : {
              ...at,
              body: (n) => (workload === null ? completion(prompt(n, 'Hello')) : generateBody(lineOf(workload, n))),
              fixedBody: () => (promptSet === null && workload === null ? completion('Hello') : undefined),
              accepts: (body) => V.matches(V.OPENAI_COMPLETION, body),
              tokens: usageTokens,
              turnBody: generateBody,
            };
      }
      break;
    case 'batch-generate':
      if (__SENDS__.batch_generate) {
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
            V.matches(V.OPENAI_COMPLETION, body) && body.choices.length === inputs(request, 'prompt'),
          tokens: usageTokens,
        };
      }
      break;
    case 'stream-generate':
      if (__SENDS__.stream_generate) {
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
      break;
  }
  throw new Error(
    `the OpenAI-compatible API has no endpoint ${name}, or this script was bundled for a run that does not send it`,
  );
}
