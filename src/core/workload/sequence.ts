/**
 * A run's requests in the order they are sent, as the runner writes them for k6 (one JSON line per
 * prompt, schemas/workload-line.schema.json): single requests in order, a conversation's turns one
 * after the other, cycling the items until the plan's count is reached. k6 takes request n's line by
 * its number and groups a conversation's consecutive lines into one session (sessionsOf), which one
 * client holds from its first turn to its last.
 */
import type { ChatMessage, WorkloadItem } from './types.js';

/** One line of the file k6 reads: our workload JSONL, with the prompt's measured tokens. */
export interface WorkloadLine {
  prompt?: string;
  messages?: ChatMessage[];
  /** Tokens of this line's own text (prompt or every message), in the server's tokenizer when it has one. */
  input_tokens?: number;
  output_tokens?: number;
  conversation_id?: string;
  turn?: number;
  /** A conversation's turns as planned: a session of fewer lines was cut short by the run's request count. */
  turns?: number;
}

export function toLine(item: WorkloadItem): WorkloadLine {
  const line: WorkloadLine = {};
  if (item.prompt !== undefined) line.prompt = item.prompt;
  if (item.messages !== undefined) line.messages = item.messages;
  if (item.inputTokens !== undefined) line.input_tokens = item.inputTokens;
  if (item.outputTokens !== undefined) line.output_tokens = item.outputTokens;
  if (item.conversationId !== undefined) line.conversation_id = item.conversationId;
  if (item.turn !== undefined) line.turn = item.turn;
  if (item.conversationTurns !== undefined) line.turns = item.conversationTurns;
  return line;
}

/** Items as sessions: a conversation's turns together (in turn order), where its first turn stood. */
function sessionsOfItems(items: readonly WorkloadItem[]): WorkloadItem[][] {
  const sessions: WorkloadItem[][] = [];
  const byId = new Map<string, WorkloadItem[]>();
  for (const item of items) {
    if (item.conversationId === undefined) {
      sessions.push([item]);
      continue;
    }
    const turns = byId.get(item.conversationId);
    if (turns) turns.push(item);
    else {
      const fresh = [item];
      byId.set(item.conversationId, fresh);
      sessions.push(fresh);
    }
  }
  for (const turns of byId.values()) turns.sort((a, b) => (a.turn ?? 0) - (b.turn ?? 0));
  return sessions;
}

/**
 * `count` requests from the items: sessions in order, cycling, the last one cut short if the count
 * ends inside it (its lines say how many turns it has, so that k6 counts it as cut short). A conversation
 * sent a second time is another conversation (its id gets `#2`...), and `maxTurns` keeps each
 * conversation's first turns only.
 */
export function requestSequence(items: readonly WorkloadItem[], count: number, maxTurns?: number): WorkloadItem[] {
  const sessions = sessionsOfItems(items).map((s) => (maxTurns === undefined ? s : s.slice(0, maxTurns)));
  const out: WorkloadItem[] = [];
  if (sessions.length === 0) return out;
  for (let round = 1; out.length < count; round++) {
    for (const session of sessions) {
      for (const item of session) {
        if (out.length >= count) return out;
        const id = item.conversationId;
        if (id === undefined) out.push(item);
        else {
          const conversationId = round === 1 ? id : `${id}#${round}`;
          out.push({ ...item, conversationId, conversationTurns: session.length });
        }
      }
    }
  }
  return out;
}

/** A client's unit of work: `turns` consecutive lines from `start`, one conversation (or one request). */
export interface Session {
  start: number;
  turns: number;
}

/** The run's request count ended session `s` (whose first line is `first`) before its conversation's last turn. */
export const isCut = (first: Pick<WorkloadLine, 'turns'>, s: Session): boolean => s.turns < (first.turns ?? s.turns);

/** Sessions' turns, run-length coded as the plan keeps them: [turns, how many in a row]. */
export function sessionRuns(sessions: readonly Pick<Session, 'turns'>[]): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  for (const s of sessions) {
    const last = runs[runs.length - 1];
    if (last !== undefined && last[0] === s.turns) last[1]++;
    else runs.push([s.turns, 1]);
  }
  return runs;
}

/** The requests of the sessions at `indices` (ascending), from their run-length coding. */
export function turnsAt(runs: readonly (readonly number[])[], indices: readonly number[]): number {
  let total = 0;
  let run = 0;
  let runStart = 0;
  for (const i of indices) {
    while (run < runs.length && i >= runStart + runs[run]![1]!) runStart += runs[run++]![1]!;
    if (run === runs.length) break;
    total += runs[run]![0]!;
  }
  return total;
}

/**
 * The sessions of lines [offset, offset + count): a run of consecutive lines with one conversation
 * id is one session (a line whose turn is 1 starts a new one), a line without an id is a session of
 * its own. Lines past the end are taken from the start again (a warm-up may ask for more).
 */
export function sessionsOf(
  lines: ArrayLike<Pick<WorkloadLine, 'conversation_id' | 'turn'>>,
  offset: number,
  count: number,
): Session[] {
  const sessions: Session[] = [];
  let current: Session | null = null;
  let currentId: string | undefined;
  for (let k = 0; k < count; k++) {
    const line = lines[(offset + k) % lines.length]!;
    const id = line.conversation_id;
    const continues = current !== null && id !== undefined && id === currentId && line.turn !== 1 && k > 0;
    if (continues) current!.turns++;
    else {
      current = { start: offset + k, turns: 1 };
      sessions.push(current);
    }
    currentId = id;
  }
  return sessions;
}
