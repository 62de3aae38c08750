/**
 * Our workload JSONL (schemas/workload-line.schema.json): one request per line, either
 *
 *   {"prompt": "...", "output_tokens"?: n, "conversation_id"?: "...", "turn"?: k, "timestamp"?: ms}
 *   {"messages": [{"role": "system"|"user"|"assistant", "content": "..."}], "output_tokens"?: n, "timestamp"?: ms}
 *
 * and on either, "input_tokens"?: n — the tokens of the line's text as the runner counted them when it
 * wrote the line (a run folder's workload file is a dataset like any other), and on a conversation's
 * turn "turns"?: n, how many turns the run that wrote it gave the conversation (checked, not used).
 *
 * Read: every field above; nothing is ignored: an unknown field is an error (a typo such as
 * "output_token" would otherwise change the workload unseen). Besides the schema, across lines: a
 * conversation's turns rise (a line without "turn" is the previous turn + 1), and "timestamp" is on
 * every line or on none. Blank lines are allowed.
 *
 * The checks are written out here rather than run by the generated ajv validator, because this zone
 * runs in k6 too, where only the API validators are bundled; a unit test runs both on the same
 * fixtures and requires that they accept and refuse the same lines.
 */
import {
  fileError,
  has,
  isObject,
  isWhole,
  nonBlankLines,
  parseObjectLine,
  Problems,
  TimestampsEverywhereOrNowhere,
  type JsonObject,
} from './lines.js';
import { noneSkipped, type ChatMessage, type ReadResult, type WorkloadItem } from '../workload/types.js';

const PROMPT_FIELDS = ['prompt', 'output_tokens', 'input_tokens', 'conversation_id', 'turn', 'turns', 'timestamp'];
const CHAT_FIELDS = ['messages', 'output_tokens', 'input_tokens', 'timestamp'];
const ROLES = ['system', 'user', 'assistant'];

function readMessages(value: unknown, at: string, problems: Problems): ChatMessage[] | undefined {
  if (!Array.isArray(value) || value.length === 0) {
    problems.add(at, 'a non-empty list of {"role", "content"} messages', value);
    return undefined;
  }
  const messages: ChatMessage[] = [];
  value.forEach((m: unknown, j) => {
    const where = `${at}/${j}`;
    if (!isObject(m)) return problems.add(where, 'a {"role", "content"} message', m);
    for (const key of Object.keys(m))
      if (key !== 'role' && key !== 'content')
        problems.add(`${where}/${key}`, 'no such field (a message has role and content)', m[key]);
    if (!ROLES.includes(m['role'] as string))
      problems.add(`${where}/role`, "one of 'system', 'user', 'assistant'", m['role']);
    else if (typeof m['content'] !== 'string') problems.add(`${where}/content`, 'a string', m['content']);
    else messages.push({ role: m['role'] as ChatMessage['role'], content: m['content'] });
  });
  return messages.length === value.length ? messages : undefined;
}

function readLine(o: JsonObject, line: number, problems: Problems): WorkloadItem | undefined {
  const at = `/line ${line}`;
  const before = problems.count;
  const chat = has(o, 'messages');
  if (chat === has(o, 'prompt')) {
    problems.add(at, chat ? 'either "prompt" or "messages", not both' : 'a "prompt" string or a "messages" list', o);
    return undefined;
  }
  const allowed = chat ? CHAT_FIELDS : PROMPT_FIELDS;
  for (const key of Object.keys(o))
    if (!allowed.includes(key))
      problems.add(
        `${at}/${key}`,
        `no such field (${chat ? 'a "messages" line has' : 'a "prompt" line has'} ${allowed.join(', ')})`,
        o[key],
      );
  const item: WorkloadItem = { line };
  if (chat) item.messages = readMessages(o['messages'], `${at}/messages`, problems);
  else if (typeof o['prompt'] !== 'string' || o['prompt'] === '')
    problems.add(`${at}/prompt`, 'a non-empty string', o['prompt']);
  else item.prompt = o['prompt'];
  if (has(o, 'output_tokens')) {
    if (!isWhole(o['output_tokens'], 1)) {
      problems.add(`${at}/output_tokens`, 'a whole number ≥ 1', o['output_tokens']);
    } else item.outputTokens = o['output_tokens'];
  }
  if (has(o, 'input_tokens')) {
    if (!isWhole(o['input_tokens'], 1)) problems.add(`${at}/input_tokens`, 'a whole number ≥ 1', o['input_tokens']);
    else item.inputTokens = o['input_tokens'];
  }
  // On a "messages" line these two are unknown fields, reported above.
  if (!chat && has(o, 'conversation_id')) {
    const id = o['conversation_id'];
    if (typeof id !== 'string' || id === '') problems.add(`${at}/conversation_id`, 'a non-empty string', id);
    else item.conversationId = id;
  }
  if (!chat && has(o, 'turn')) {
    if (!isWhole(o['turn'], 1)) problems.add(`${at}/turn`, 'a whole number ≥ 1', o['turn']);
    else if (!has(o, 'conversation_id'))
      problems.add(`${at}/conversation_id`, 'a "conversation_id" for "turn"', undefined);
    else item.turn = o['turn'];
  }
  // A run's own lines say how many turns each conversation had; sent again, a conversation is what its lines are.
  if (!chat && has(o, 'turns')) {
    if (!isWhole(o['turns'], 1)) problems.add(`${at}/turns`, 'a whole number ≥ 1', o['turns']);
    else if (!has(o, 'conversation_id'))
      problems.add(`${at}/conversation_id`, 'a "conversation_id" for "turns"', undefined);
  }
  if (has(o, 'timestamp')) {
    const t = o['timestamp'];
    const valid = typeof t === 'number' && Number.isFinite(t) && t >= 0;
    if (!valid) problems.add(`${at}/timestamp`, 'a number of ms ≥ 0', t);
    else item.timestampMs = t;
  }
  return problems.count === before ? item : undefined;
}

/** Read a workload JSONL file; every bad line is named with its field, what it needs and what it holds. */
export function readWorkloadJsonl(text: string, source: string): ReadResult {
  const lines = nonBlankLines(text);
  if (lines.length === 0)
    throw fileError(source, 'one request per line ({"prompt": ...} or {"messages": [...]})', 'an empty file');
  const problems = new Problems(source);
  const timestamps = new TimestampsEverywhereOrNowhere('timestamp');
  const lastTurn = new Map<string, { turn: number; line: number }>();
  const items: WorkloadItem[] = [];
  for (const l of lines) {
    const o = parseObjectLine(l, problems);
    if (!o) continue;
    timestamps.check(l.line, has(o, 'timestamp'), problems);
    const item = readLine(o, l.line, problems);
    if (!item) continue;
    if (item.conversationId !== undefined) {
      const last = lastTurn.get(item.conversationId);
      const turn = item.turn ?? (last ? last.turn + 1 : 1);
      if (last && turn <= last.turn)
        problems.add(
          `/line ${l.line}/turn`,
          `a turn after ${last.turn} ` +
            `(turn ${last.turn} of conversation '${item.conversationId}' is on line ${last.line})`,
          turn,
        );
      lastTurn.set(item.conversationId, { turn, line: l.line });
      item.turn = turn;
    }
    items.push(item);
  }
  problems.throwIfAny();
  return { items, skipped: noneSkipped() };
}
