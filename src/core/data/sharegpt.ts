/**
 * ShareGPT JSON, as vLLM's `bench serve --dataset-name sharegpt` and GuideLLM read it: one JSON array
 * of {"conversations": [{"from": ..., "value": "..."}], "id"?: "..."}.
 *
 * Read: "conversations" (each message's "from" and "value") and "id". Ignored: every other field of
 * an entry or a message (images, model names, "markdown"...). "from" is human or user (a user
 * message), gpt, assistant, chatgpt, bing or bard (an assistant message), or system (ignored: the
 * workload has no system prompt of its own); any other value is an error, as is a malformed entry.
 *
 * By default each conversation is one request: its first human message is the prompt, and the gpt
 * message right after it sets the output target, estimated as ceil(characters / 4) tokens (the
 * usual 4 characters per token of English text; the reader has no tokenizer, so this is an estimate,
 * not the recorded reply's real token count). With `turns`, each human message is a turn of its
 * conversation (id: the entry's "id", else "#" and its 1-based position), its output target the
 * length of the gpt message that follows it, if any.
 *
 * Like vLLM, conversations that cannot make a request are left out, but here each is counted by
 * reason in the result's `skipped`. vLLM drops entries without "conversations" or with fewer than two
 * messages, takes messages 0 and 1 as prompt and reply whatever their "from", and then, measured
 * with the model's tokenizer, drops prompts or replies under 4 tokens, prompts over 1024 and pairs
 * over 2048. Left out here: no human message, an empty human message, and (first-turn mode) no gpt
 * reply right after the first human message, or an empty one. The token-length filters are not
 * applied: lengths here are estimates, and a caller can filter the items on them. Entries keep the
 * file's order (vLLM shuffles them with its seed; sampling is the caller's).
 */
import { describeValue } from '../errors/describe.js';
import { fileError, isObject, Problems } from './lines.js';
import type { ReadResult, SkippedItems, WorkloadItem } from '../workload/types.js';

const ROLE_OF_FROM: Record<string, 'user' | 'assistant' | 'system'> = {
  human: 'user',
  user: 'user',
  gpt: 'assistant',
  assistant: 'assistant',
  chatgpt: 'assistant',
  bing: 'assistant',
  bard: 'assistant',
  system: 'system',
};

export const SKIP_REASONS = {
  noHuman: 'no human message',
  emptyHuman: 'an empty human message',
  noReply: 'no gpt reply right after the first human message',
  emptyReply: 'an empty gpt reply',
} as const;

/** Output tokens of a recorded reply: ceil(characters / 4), at least 1. */
export function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

export interface ShareGptOptions {
  /** Each human message a turn of its conversation, rather than the first one alone. */
  turns?: boolean;
}

interface Message {
  role: 'user' | 'assistant' | 'system';
  value: string;
}

interface Entry {
  index: number;
  id?: string;
  messages: Message[];
}

function readEntry(entry: unknown, i: number, problems: Problems): Entry | undefined {
  const at = `/${i}`;
  if (!isObject(entry)) return void problems.add(at, 'a {"conversations": [...]} object', entry);
  const id = entry['id'];
  if (id !== undefined && typeof id !== 'string' && typeof id !== 'number')
    problems.add(`${at}/id`, 'a string or a number', id);
  const list = entry['conversations'];
  if (!Array.isArray(list))
    return void problems.add(`${at}/conversations`, 'a list of {"from", "value"} messages', list);
  const before = problems.count;
  const messages: Message[] = [];
  list.forEach((m: unknown, j) => {
    const where = `${at}/conversations/${j}`;
    if (!isObject(m)) return problems.add(where, 'a {"from", "value"} message', m);
    const role = typeof m['from'] === 'string' ? ROLE_OF_FROM[m['from']] : undefined;
    if (role === undefined) problems.add(`${where}/from`, `one of ${Object.keys(ROLE_OF_FROM).join(', ')}`, m['from']);
    else if (typeof m['value'] !== 'string') problems.add(`${where}/value`, 'a string', m['value']);
    else messages.push({ role, value: m['value'] });
  });
  if (problems.count !== before) return undefined;
  return { index: i, ...(id === undefined ? {} : { id: String(id) }), messages };
}

/** Count a left-out conversation under its reason. */
function skip(skipped: SkippedItems, reason: string): undefined {
  skipped.count++;
  skipped.reasons[reason] = (skipped.reasons[reason] ?? 0) + 1;
  return undefined;
}

function firstTurn(e: Entry, skipped: SkippedItems): WorkloadItem | undefined {
  const h = e.messages.findIndex((m) => m.role === 'user');
  const human = e.messages[h];
  const reply = e.messages[h + 1];
  if (!human) return skip(skipped, SKIP_REASONS.noHuman);
  if (human.value.trim() === '') return skip(skipped, SKIP_REASONS.emptyHuman);
  if (!reply || reply.role !== 'assistant') return skip(skipped, SKIP_REASONS.noReply);
  if (reply.value.trim() === '') return skip(skipped, SKIP_REASONS.emptyReply);
  return { line: e.index + 1, prompt: human.value, outputTokens: estimateTokens(reply.value) };
}

function conversationIdOf(e: Entry): string {
  return e.id ?? `#${e.index + 1}`;
}

function allTurns(e: Entry, skipped: SkippedItems): WorkloadItem[] {
  const users = e.messages.filter((m) => m.role === 'user');
  if (users.length === 0) return skip(skipped, SKIP_REASONS.noHuman) ?? [];
  if (users.some((m) => m.value.trim() === '')) return skip(skipped, SKIP_REASONS.emptyHuman) ?? [];
  const conversationId = conversationIdOf(e);
  const items: WorkloadItem[] = [];
  e.messages.forEach((m, k) => {
    if (m.role !== 'user') return;
    const item: WorkloadItem = { line: e.index + 1, prompt: m.value, conversationId, turn: items.length + 1 };
    const reply = e.messages[k + 1];
    if (reply?.role === 'assistant' && reply.value.trim() !== '') item.outputTokens = estimateTokens(reply.value);
    items.push(item);
  });
  return items;
}

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    // Some engines give a position ("... at position N"): the line is what an editor shows.
    const message = e instanceof Error ? e.message : String(e);
    const position = /position (\d+)/.exec(message)?.[1];
    const where = position === undefined ? '' : ` at line ${text.slice(0, Number(position)).split('\n').length}`;
    const said = message.length > 100 ? `${message.slice(0, 97)}...` : message;
    throw fileError(
      source,
      'a JSON array of ShareGPT conversations',
      `text that is not JSON${where} (${said.replace(/\s+/g, ' ')})`,
    );
  }
}

/** Read a ShareGPT JSON file into requests; what it leaves out is counted in `skipped`. */
export function readShareGpt(text: string, source: string, o: ShareGptOptions = {}): ReadResult {
  if (text.trim() === '') throw fileError(source, 'a JSON array of ShareGPT conversations', 'an empty file');
  const data = parseJson(text.replace(/^\uFEFF/, ''), source);
  if (!Array.isArray(data)) throw fileError(source, 'a JSON array of ShareGPT conversations', describeValue(data));
  if (data.length === 0) throw fileError(source, 'at least one conversation', 'an empty list');
  const problems = new Problems(source);
  const entries = data.map((entry: unknown, i) => readEntry(entry, i, problems));
  // Turns of different conversations must not share an id, or they would become one conversation.
  const ids = new Map<string, number>();
  if (o.turns)
    for (const e of entries) {
      if (!e) continue;
      const id = conversationIdOf(e);
      const first = ids.get(id);
      if (first === undefined) ids.set(id, e.index);
      else problems.add(`/${e.index}/id`, `an id of its own (entry ${first} has it too)`, id);
    }
  problems.throwIfAny();
  const skipped: SkippedItems = { count: 0, reasons: {} };
  const items: WorkloadItem[] = [];
  for (const e of entries as Entry[]) {
    if (o.turns) items.push(...allTurns(e, skipped));
    else {
      const item = firstTurn(e, skipped);
      if (item) items.push(item);
    }
  }
  if (items.length === 0) {
    const reasons = Object.entries(skipped.reasons).map(([reason, n]) => `${n} with ${reason}`);
    throw fileError(source, 'at least one conversation with a usable human message', `none (${reasons.join(', ')})`);
  }
  return { items, skipped };
}
