/**
 * Multi-turn conversations: turn k's chat request is the system prefix (if any), every earlier user
 * message with the assistant's reply as the server actually sent it, then the new user message. The
 * replies are the real ones, not the dataset's recorded ones, so the server sees the history it made
 * (and its prompt cache can hold it), as a user's next message would.
 *
 * The state is a small immutable value per conversation: recordTurn returns a new one, so a caller
 * may keep it anywhere (a VU's closure, a map by conversation id) and nothing is shared by accident.
 */
import type { ChatMessage, WorkloadItem } from './types.js';

export interface ConversationState {
  id: string;
  system?: string;
  /** Earlier turns: user message, assistant reply, in order. */
  history: readonly ChatMessage[];
  /** Turns completed. */
  turns: number;
}

export function startConversation(id: string, system?: string): ConversationState {
  return system === undefined ? { id, history: [], turns: 0 } : { id, system, history: [], turns: 0 };
}

/** The messages of the next turn's request. */
export function turnMessages(state: ConversationState, user: string): ChatMessage[] {
  return [
    ...(state.system === undefined ? [] : [{ role: 'system' as const, content: state.system }]),
    ...state.history,
    { role: 'user', content: user },
  ];
}

/**
 * The state after a turn: its user message and the reply received. A failed request has no reply;
 * the caller decides whether the conversation goes on (record '' as the reply) or ends.
 */
export function recordTurn(state: ConversationState, user: string, reply: string): ConversationState {
  return {
    ...state,
    history: [...state.history, { role: 'user', content: user }, { role: 'assistant', content: reply }],
    turns: state.turns + 1,
  };
}

export interface Conversation {
  id: string;
  /** Its items in turn order. */
  turns: WorkloadItem[];
}

/**
 * Items grouped by conversation, conversations in order of first appearance, turns in turn order
 * (the readers have checked that turn numbers rise). Items without a conversation id are left out:
 * they are single requests.
 */
export function groupConversations(items: readonly WorkloadItem[]): Conversation[] {
  const byId = new Map<string, WorkloadItem[]>();
  for (const item of items) {
    if (item.conversationId === undefined) continue;
    const turns = byId.get(item.conversationId);
    if (turns) turns.push(item);
    else byId.set(item.conversationId, [item]);
  }
  return [...byId].map(([id, turns]) => ({ id, turns: turns.sort((a, b) => (a.turn ?? 0) - (b.turn ?? 0)) }));
}
