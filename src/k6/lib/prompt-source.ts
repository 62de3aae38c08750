/**
 * Where a request's prompt comes from: the run's workload (its lines, written by the runner:
 * src/node/workload/), else its prompt set (--prompts), else the seed's own. One place for the
 * built-in endpoints (endpoints.ts) and a scenario file's own (src/k6/api/endpoint.ts), so that both
 * take the same line for the same request.
 */
import { turnMessages, type ConversationState } from '../../core/workload/conversation.js';
import { flattenMessages } from '../../core/workload/received.js';
import { BATCH_PROMPTS } from '../../core/plan/workload.js';
import type { WorkloadLine } from '../../core/workload/sequence.js';
import type { ChatMessage } from '../../core/workload/types.js';
import type { Endpoint } from './endpoints.js';

/** The seed's max_tokens (load-testing.md, Test Scenario 3): a prompt's without a workload. */
export const SEED_MAX_TOKENS = 5;

/**
 * The prompt set in use (--prompts), taken in order and cycling; null: the seed's prompts
 * ("Hello", "Prompt i batch n"). Read as a live binding by the endpoints.
 */
export let promptSet: readonly string[] | null = null;
export function usePromptSet(prompts: readonly string[] | null): void {
  promptSet = prompts === null || prompts.length === 0 ? null : prompts;
}
export const prompt = (n: number, fallback: string): string =>
  promptSet === null ? fallback : promptSet[n % promptSet.length]!;

/** A run's workload: its lines (request n takes lines n*perRequest...), and max_tokens of a line without its own. */
export interface WorkloadUse {
  lines: ArrayLike<WorkloadLine>;
  perRequest: number;
  defaultOutputTokens: number;
}
export let workload: WorkloadUse | null = null;
export function useWorkload(w: WorkloadUse | null): void {
  workload = w;
}
/** The k-th line of request n (the lines cycle when a warm-up asks for more). */
export const lineOf = (w: WorkloadUse, n: number, k = 0): WorkloadLine =>
  w.lines[(n * w.perRequest + k) % w.lines.length]!;
/** The lines request n sends to `endpoint`: one per prompt; none for an endpoint the workload does not drive. */
export function workloadLines(endpoint: Endpoint, n: number): WorkloadLine[] {
  const w = workload;
  if (w === null || endpoint.turnBody === undefined) return [];
  const count = endpoint.name === 'batch-generate' ? BATCH_PROMPTS : 1;
  return Array.from({ length: count }, (_, k) => lineOf(w, n, k));
}
export const maxTokensOf = (line: WorkloadLine): number =>
  line.output_tokens ?? workload?.defaultOutputTokens ?? SEED_MAX_TOKENS;
export const textOf = (line: WorkloadLine): string => line.prompt ?? flattenMessages(line.messages ?? []);
export const messagesOf = (line: WorkloadLine): ChatMessage[] =>
  line.messages ?? [{ role: 'user', content: line.prompt ?? '' }];
/** A turn as messages: the conversation so far (replies as received), then the line's message. */
export const turnChat = (line: WorkloadLine, c: ConversationState): ChatMessage[] =>
  line.messages ?? turnMessages(c, line.prompt ?? '');

/** What a request of a scenario file's own endpoint carries (`prompted`, src/k6/api/types.ts). */
export interface PromptInput {
  /** The prompt as text; a chat line's or a conversation's messages flattened, one per paragraph. */
  prompt: string;
  /** The same as chat messages: a conversation's later turn holds the turns before it, replies as received. */
  messages: ChatMessage[];
  /** The output tokens asked for: the line's, else --output-tokens, else the seed's 5. */
  maxTokens: number;
}

/** Request n's input: its workload line's, else the prompt set's n-th prompt, else 'Hello'. */
export function inputOf(n: number): PromptInput {
  if (workload === null) {
    const text = prompt(n, 'Hello');
    return { prompt: text, messages: [{ role: 'user', content: text }], maxTokens: SEED_MAX_TOKENS };
  }
  const line = lineOf(workload, n);
  return { prompt: textOf(line), messages: messagesOf(line), maxTokens: maxTokensOf(line) };
}

/** A conversation's turn: the conversation so far, then the line's message. */
export function turnInput(line: WorkloadLine, c: ConversationState): PromptInput {
  if (c.turns === 0) return { prompt: textOf(line), messages: messagesOf(line), maxTokens: maxTokensOf(line) };
  const messages = turnChat(line, c);
  return { prompt: flattenMessages(messages), messages, maxTokens: maxTokensOf(line) };
}
