/**
 * One request of a workload, whatever it came from: generated from length specs, read from our own
 * workload JSONL, a ShareGPT dump, a Mooncake trace, an Azure LLM inference trace or a BurstGPT trace. Every reader
 * returns these, so what sends the requests knows one shape.
 *
 * A dataset gives text (prompt or messages); a trace gives only lengths (inputTokens, hashIds) and
 * the text is made later, deterministically (prefix.ts, synthetic.ts).
 */

import type { WorkloadChatMessage } from '../types.js';

/** A chat message, as the workload JSONL schema defines it (schemas/workload-line.schema.json). */
export type ChatMessage = WorkloadChatMessage;
export type ChatRole = ChatMessage['role'];

export interface WorkloadItem {
  /** Where it came from: 1-based line of a JSONL or CSV file, entry of a JSON array, or draw. */
  line: number;
  /** The text to send as a completion prompt, or as the user message of a chat turn. */
  prompt?: string;
  /** A complete chat request (history included), sent as it is. */
  messages?: ChatMessage[];
  /**
   * Tokens of this item's own new text (the prompt, shared prefix included), not of a conversation's
   * history; for a trace, the recorded input length.
   */
  inputTokens?: number;
  /** How many tokens to ask the server for (its max_tokens / n_predict). */
  outputTokens?: number;
  /** Items with the same id are the turns of one conversation, sent in turn order on one connection. */
  conversationId?: string;
  /** 1-based turn within the conversation. */
  turn?: number;
  /** Turns its conversation has in the run (its first ones, up to --turns); fewer sent: the run's count ended it. */
  conversationTurns?: number;
  /** When to send it, in ms from the start of the workload. */
  timestampMs?: number;
  /** Mooncake's block hashes: requests sharing a hash id share that block of their prompt exactly. */
  hashIds?: number[];
  /** The shared-prefix group of a generated item (prefix.ts). */
  prefixGroup?: number;
}

/** What a reader dropped on purpose, counted by reason: nothing is dropped silently. */
export interface SkippedItems {
  count: number;
  /** reason → how many entries it dropped. */
  reasons: Record<string, number>;
}

export interface ReadResult {
  items: WorkloadItem[];
  skipped: SkippedItems;
}

export const DATASET_FORMATS = ['workload', 'sharegpt', 'mooncake', 'azure', 'burstgpt'] as const;
export type DatasetFormat = (typeof DATASET_FORMATS)[number];

export function noneSkipped(): SkippedItems {
  return { count: 0, reasons: {} };
}
