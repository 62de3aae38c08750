/**
 * The run's workload on the k6 side: its lines, written by the runner (src/node/workload/), read once
 * and shared by every VU; what each request asked for recorded beside what the server said it
 * received (src/core/workload/received.ts); and a conversation held by one VU, turn after turn, each
 * turn carrying the replies the server actually sent, with the user's think time between.
 */
import { sleep } from './k6-calls.js';
import { SharedArray } from 'k6/data';
import exec from 'k6/execution';
import { turnTag } from '../../core/plan/workload.js';
import { parsePromptSet } from '../../core/workload/prompts.js';
import type { WorkloadPlan } from '../../core/types.js';
import { recordTurn, startConversation } from '../../core/workload/conversation.js';
import { receivedOf, type Received } from '../../core/workload/received.js';
import { isCut, sessionsOf, type Session, type WorkloadLine } from '../../core/workload/sequence.js';
import type { Endpoint } from './endpoints.js';
import { maxTokensOf } from './prompt-source.js';
import { metric } from './metrics.js';
import { bodyOf, send, type SendTarget } from './request.js';

// Custom metrics must be created in init code.
function workloadMetrics() {
  return {
    inputAsked: metric('inputAsked'),
    inputReceived: metric('inputReceived'),
    inputExtra: metric('inputExtra'),
    outputAsked: metric('outputAsked'),
    outputReceived: metric('outputReceived'),
    cachedTokens: metric('cachedTokens'),
    cacheHit: metric('cacheHit'),
    started: metric('conversationsStarted'),
    completed: metric('conversationsCompleted'),
    cut: metric('conversationsCut'),
  };
}
/**
 * Made in init code when the run carries a workload (loadWorkloadLines), not at the top level: each
 * k6 metric is an object every VU builds, a few KB each (docs/performance.md).
 */
let m: ReturnType<typeof workloadMetrics> | null = null;

/** A prompt set (--prompts), read once and shared by every VU. */
export function loadPrompts(file: string | null): readonly string[] | null {
  if (file === null) return null;
  return new SharedArray('prompts', () => parsePromptSet(open(file), file)) as unknown as readonly string[];
}

/** The workload's lines, parsed once (the runner wrote and checked them) and shared by every VU. */
export function loadWorkloadLines(w: WorkloadPlan | null): ArrayLike<WorkloadLine> | null {
  if (w === null) return null;
  m ??= workloadMetrics();
  return new SharedArray('workload', () =>
    open(w.file)
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as WorkloadLine),
  );
}

/**
 * A phase's conversations (its lines grouped into sessions), found once and shared by every VU:
 * grouping them in each VU would decode every line of the file in every VU's init.
 */
export function phaseSessions(
  phase: string,
  lines: ArrayLike<WorkloadLine>,
  first: number,
  count: number,
): readonly Session[] {
  return new SharedArray(`workload:sessions:${phase}`, () => sessionsOf(lines, first, count));
}

export interface RequestRecord {
  /** The lines the request carried (a batch carries two). */
  lines: readonly WorkloadLine[];
  /** The request's max_tokens. */
  maxTokens: number;
  /** What the server said; null when the request failed. */
  received: Received | null;
  /** A conversation's later turn: its prompt holds the history too, so received - asked is no framing. */
  history: boolean;
  tags?: Record<string, string>;
}

/** Asked (the lines' own tokens, max_tokens per prompt) beside received (the server's counts). */
export function recordWorkloadRequest(r: RequestRecord): void {
  const tags = r.tags;
  const counted = r.lines.every((l) => l.input_tokens !== undefined);
  const asked = counted ? r.lines.reduce((a, l) => a + l.input_tokens!, 0) : null;
  if (asked !== null) m!.inputAsked.add(asked, tags);
  m!.outputAsked.add(r.maxTokens * r.lines.length, tags);
  const got = r.received;
  if (got === null) return;
  if (got.input !== null) {
    m!.inputReceived.add(got.input, tags);
    if (asked !== null && !r.history) m!.inputExtra.add(got.input - asked, tags);
  }
  if (got.output !== null) m!.outputReceived.add(got.output, tags);
  if (got.cached !== null) {
    m!.cachedTokens.add(got.cached, tags);
    m!.cacheHit.add(got.cached > 0, tags);
  }
}

export interface ConversationRun {
  endpoint: Endpoint;
  session: Session;
  lines: ArrayLike<WorkloadLine>;
  turns: number;
  thinkTimeSec: number;
  timeoutSec: number;
  target: SendTarget;
}

/** One conversation, held by this VU from its first turn to its last; its turns are tagged `turn`. */
export function runConversation(c: ConversationRun): void {
  const first = c.lines[c.session.start % c.lines.length]!;
  let state = startConversation(first.conversation_id ?? `#${c.session.start}`);
  let allOk = true;
  m!.started.add(1);
  const tags = exec.vu.metrics.tags;
  for (let k = 0; k < c.session.turns; k++) {
    if (k > 0 && c.thinkTimeSec > 0) sleep(c.thinkTimeSec);
    const line = c.lines[(c.session.start + k) % c.lines.length]!;
    tags['turn'] = turnTag(k + 1, c.turns);
    const request = c.endpoint.turnBody!(line, state, c.session.start + k);
    const sent = send(c.endpoint, c.session.start + k, c.timeoutSec, c.target, request);
    const received = sent.ok ? receivedOf(bodyOf(sent)) : null;
    recordWorkloadRequest({ lines: [line], maxTokens: maxTokensOf(line), received, history: k > 0 });
    allOk &&= sent.ok;
    // A failed turn leaves no reply: the conversation goes on with an empty one, as a user would retry.
    state = recordTurn(state, line.prompt ?? '', received?.reply ?? '');
  }
  delete tags['turn'];
  recordEnd(allOk, isCut(first, c.session));
}

function recordEnd(ok: boolean, cut: boolean): void {
  if (cut) m!.cut.add(1);
  else if (ok) m!.completed.add(1);
}

/**
 * A streamed conversation's turn arrived: its first starts it, its last ends it (completed when all
 * succeeded, unless the run's request count cut it short).
 */
export function recordConversation(o: { first: boolean; last: boolean; ok: boolean; cut: boolean }): void {
  if (o.first) m!.started.add(1);
  if (o.last) recordEnd(o.ok, o.cut);
}
