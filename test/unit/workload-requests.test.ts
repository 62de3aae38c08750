import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolvePlan, type ScenarioDefinition } from '../../src/core/plan/plan.js';
import { applyWorkload, turnTag, turnTags } from '../../src/core/plan/workload.js';
import { observerThresholds } from '../../src/core/rules/thresholds.js';
import { streamTimings } from '../../src/core/stream/stream.js';
import type { PlanPhase, WorkloadPlan } from '../../src/core/types.js';
import { readWorkloadJsonl } from '../../src/core/data/workload-jsonl.js';
import { flattenMessages, receivedOf } from '../../src/core/workload/received.js';
import { isCut, requestSequence, sessionRuns, sessionsOf, toLine, turnsAt } from '../../src/core/workload/sequence.js';
import type { WorkloadItem } from '../../src/core/workload/types.js';
import { info, settings } from '../support/plan-settings.js';
import { WORKLOAD } from '../support/workload.js';

const item = (line: number, over: Partial<WorkloadItem> = {}): WorkloadItem => ({ line, prompt: `p${line}`, ...over });

describe('the order requests are sent in', () => {
  it('cycles single requests until the count is reached', () => {
    const seq = requestSequence([item(1), item(2), item(3)], 7);
    assert.deepEqual(
      seq.map((i) => i.line),
      [1, 2, 3, 1, 2, 3, 1],
    );
  });

  it('keeps a conversation’s turns together in turn order, and a conversation sent again is another one', () => {
    const items = [
      item(1, { conversationId: 'a', turn: 1 }),
      item(2),
      item(3, { conversationId: 'a', turn: 2 }),
      item(4, { conversationId: 'b', turn: 1 }),
    ];
    const seq = requestSequence(items, 9);
    assert.deepEqual(
      seq.map((i) => `${i.line}:${i.conversationId ?? '-'}`),
      ['1:a', '3:a', '2:-', '4:b', '1:a#2', '3:a#2', '2:-', '4:b#2', '1:a#3'],
    );
    assert.deepEqual(
      requestSequence(items, 3, 1).map((i) => i.line),
      [1, 2, 4],
      'at most one turn each',
    );
  });

  it('groups consecutive lines of one conversation into the session one client holds', () => {
    const lines = [
      { conversation_id: 'c1', turn: 1 },
      { conversation_id: 'c1', turn: 2 },
      { conversation_id: 'c1', turn: 3 },
      {},
      { conversation_id: 'c2', turn: 1 },
      { conversation_id: 'c2', turn: 2 },
    ];
    assert.deepEqual(sessionsOf(lines, 0, 6), [
      { start: 0, turns: 3 },
      { start: 3, turns: 1 },
      { start: 4, turns: 2 },
    ]);
    assert.deepEqual(
      sessionsOf(lines, 4, 6),
      [
        { start: 4, turns: 2 },
        { start: 6, turns: 3 },
        { start: 9, turns: 1 },
      ],
      'past the end, the lines start again',
    );
  });

  it('marks each turn with its conversation’s turns, so that one the count ends early is known cut short', () => {
    const items = [1, 2, 3].map((t) => item(t, { conversationId: 'a', turn: t }));
    const seq = requestSequence(items, 5);
    assert.deepEqual(
      seq.map((i) => `${i.turn}/${i.conversationTurns}`),
      ['1/3', '2/3', '3/3', '1/3', '2/3'],
    );
    assert.deepEqual(toLine(seq[3]!), { prompt: 'p1', conversation_id: 'a#2', turn: 1, turns: 3 });
    const lines = seq.map(toLine);
    const [whole, cut] = sessionsOf(lines, 0, 5);
    assert.deepEqual([isCut(lines[0]!, whole!), isCut(lines[3]!, cut!)], [false, true]);
    assert.deepEqual(
      requestSequence(items, 2, 2).map((i) => i.conversationTurns),
      [2, 2],
      '--turns 2 keeps 2 of 3',
    );
    // A run's lines are a dataset: sent again, the conversation cut after 2 turns is one of 2 turns.
    const again = readWorkloadJsonl(lines.map((l) => JSON.stringify(l)).join('\n'), 'workload-generate.jsonl');
    assert.deepEqual(
      requestSequence(again.items, 5).map((i) => `${i.conversationId}:${i.turn}/${i.conversationTurns}`),
      ['a:1/3', 'a:2/3', 'a:3/3', 'a#2:1/2', 'a#2:2/2'],
    );
    assert.throws(() => readWorkloadJsonl('{"prompt": "x", "turns": 2}', 'w.jsonl'), /conversation_id.*"turns"/s);
  });

  it("codes sessions' turns by runs, and counts the requests of any sessions from them", () => {
    const runs = sessionRuns([3, 3, 3, 1, 2, 2].map((turns) => ({ turns })));
    assert.deepEqual(runs, [
      [3, 3],
      [1, 1],
      [2, 2],
    ]);
    assert.equal(turnsAt(runs, [0, 2, 4]), 3 + 3 + 2);
    assert.equal(turnsAt(runs, [1, 3, 5]), 3 + 1 + 2);
    assert.equal(turnsAt(runs, []), 0);
  });

  it('writes a line with only the fields the item has', () => {
    assert.deepEqual(toLine({ line: 3, prompt: 'x', inputTokens: 12, outputTokens: 4, prefixGroup: 1 }), {
      prompt: 'x',
      input_tokens: 12,
      output_tokens: 4,
    });
  });
});

describe('what the server says it received, from its own answer', () => {
  it("reads llama.cpp's usage, timings and cache", () => {
    const body = {
      choices: [{ text: ' a reply' }],
      usage: { prompt_tokens: 185, completion_tokens: 2, prompt_tokens_details: { cached_tokens: 184 } },
      timings: { cache_n: 184, prompt_n: 1, predicted_n: 2 },
    };
    assert.deepEqual(receivedOf(body), { input: 185, output: 2, cached: 184, reply: ' a reply' });
    assert.deepEqual(receivedOf({ timings: { cache_n: 3, prompt_n: 5, predicted_n: 7 }, choices: [] }), {
      input: 8,
      output: 7,
      cached: 3,
      reply: '',
    });
  });

  it("reads a chat answer's message, and an OpenAI usage without cache as no cache count", () => {
    const body = {
      choices: [{ message: { role: 'assistant', content: 'hi there' } }],
      usage: { prompt_tokens: 20, completion_tokens: 8 },
    };
    assert.deepEqual(receivedOf(body), { input: 20, output: 8, cached: null, reply: 'hi there' });
  });

  it("reads Realizar's native answer: the prompt is token_ids less num_generated; a batch sums", () => {
    assert.deepEqual(receivedOf({ token_ids: new Array(20).fill(0), text: 'x', num_generated: 8 }), {
      input: 12,
      output: 8,
      cached: null,
      reply: 'x',
    });
    const batch = {
      results: [
        { token_ids: [1, 2, 3, 4, 5, 6, 7], text: '', num_generated: 3 },
        { token_ids: [1, 2, 3, 4], text: '', num_generated: 3 },
      ],
    };
    assert.deepEqual(receivedOf(batch), { input: 5, output: 6, cached: null, reply: '' });
    assert.deepEqual(receivedOf('not json'), { input: null, output: null, cached: null, reply: '' });
  });

  it("takes a stream's prompt and cache counts from its final chunk, and its reply when asked for", () => {
    const sse = (o: unknown): string => `data: ${JSON.stringify(o)}\n\n`;
    const chunks = [
      { tMs: 10, text: sse({ choices: [{ delta: { role: 'assistant', content: null } }] }) },
      { tMs: 20, text: sse({ choices: [{ delta: { content: 'Hel' } }] }) },
      { tMs: 30, text: sse({ choices: [{ delta: { content: 'lo' } }] }) },
      {
        tMs: 31,
        text:
          sse({
            choices: [],
            usage: { completion_tokens: 2, prompt_tokens: 33 },
            timings: { cache_n: 30, prompt_n: 3, predicted_n: 2 },
          }) + 'data: [DONE]\n\n',
      },
    ];
    const t = streamTimings(chunks, 'openai', undefined, true);
    assert.deepEqual([t.promptTokens, t.cachedTokens, t.replyText, t.outputTokens], [33, 30, 'Hello', 2]);
    assert.equal(streamTimings(chunks, 'openai').replyText, '', 'not kept unless asked for');
    const native = [
      { tMs: 5, text: 'event: token\ndata: {"token_id":1,"text":"ab"}\n\n' },
      { tMs: 9, text: 'event: token\ndata: {"token_id":2,"text":"c"}\n\nevent: done\ndata: {"num_generated":2}\n\n' },
    ];
    const n = streamTimings(native, 'realizar', undefined, true);
    assert.deepEqual([n.promptTokens, n.cachedTokens, n.replyText], [null, null, 'abc']);
  });

  it('flattens a conversation into one prompt for an endpoint that takes text', () => {
    assert.equal(
      flattenMessages([
        { role: 'user', content: 'a' },
        { role: 'assistant', content: 'b' },
        { role: 'user', content: 'c' },
      ]),
      'a\n\nb\n\nc',
    );
  });
});

describe('a workload in the plan', () => {
  const closed: PlanPhase = {
    name: 'stream',
    model: 'closed',
    clients: 8,
    requests: 32,
    timeoutSec: 60,
    startSec: 0,
    maxDurationSec: 245,
  };
  const talk: WorkloadPlan = { ...WORKLOAD, turns: 4, thinkTimeSec: 1, conversations: true, chat: true };

  it("adds each client's think time to how long a phase of conversations may last", () => {
    const [p] = applyWorkload([closed], { workload: talk, mix: [{ endpoint: 'stream-generate' }] });
    assert.equal(p!.maxDurationSec, 245 + 4 * 1);
  });

  it('refuses conversations on an open phase, naming --turns', () => {
    const open: PlanPhase = { ...closed, model: 'open', ratePerSec: 2, durationSec: 16 };
    assert.throws(
      () => applyWorkload([open], { workload: talk, mix: [{ endpoint: 'generate' }] }),
      /--turns: expected conversations on one closed phase.*found an open phase \(stream\)/,
    );
  });

  const scenario = (endpoint: string): ScenarioDefinition => ({
    name: 's',
    description: 'd',
    thresholds: { scenario: 's', rules: [] },
    mixable: false,
    mix: [{ endpoint, weight: 1 }],
    phases: [{ name: 'main', model: 'closed', clients: 2, requests: 4, timeoutSec: 30 }],
  });

  it('leaves a workload no endpoint takes out of the plan, and says so', () => {
    const plan = resolvePlan(scenario('health'), { ...settings, workload: WORKLOAD }, info);
    assert.equal(plan.workload, null);
    assert.deepEqual(
      plan.endpoints.map((e) => e.prompted),
      [false],
    );
    assert.ok(
      plan.notes.some((n) => /workload \(.*\) was not sent: no endpoint of this scenario takes prompts/.test(n)),
    );
    assert.ok(!plan.notes.some((n) => n.includes("'prompted'")), 'a built-in scenario is not told of prompted');
  });

  it('says a prompt set was not sent to a scenario that takes no prompts, and taken in order by one that does', () => {
    const prompts = { source: 'chat.jsonl', count: 20 };
    const health = resolvePlan(scenario('health'), { ...settings, prompts }, info);
    assert.ok(health.notes.some((n) => /^The prompt set \(chat\.jsonl\) was not sent: no endpoint/.test(n)));
    const generate = resolvePlan(scenario('generate'), { ...settings, prompts }, info);
    assert.ok(generate.notes.includes('Prompts: 20 from chat.jsonl, taken in order.'), generate.notes.join('\n'));
    // A scenario file's body(n) may call prompt(n, fallback): whether it does is not known.
    const own = resolvePlan(scenario('chat'), { ...settings, prompts }, () => ({ ...info('chat'), prompted: false }));
    assert.ok(own.notes.includes('Prompts: 20 from chat.jsonl, taken in order.'), own.notes.join('\n'));
  });

  it('gives it to a built-in generating endpoint and to a scenario file’s endpoint said to take prompts', () => {
    const generate = resolvePlan(scenario('generate'), { ...settings, workload: WORKLOAD }, info);
    assert.equal(generate.workload, WORKLOAD);
    const own = (prompted: boolean) =>
      resolvePlan(scenario('chat'), { ...settings, workload: WORKLOAD }, () => ({ ...info('chat'), prompted }));
    assert.equal(own(true).workload, WORKLOAD);
    assert.deepEqual(own(true).endpoints[0], { name: 'chat', method: 'POST', path: '/chat', prompted: true });
    assert.equal(own(false).workload, null);
    assert.ok(own(false).notes.some((n) => n.endsWith("(an endpoint of a scenario file takes them with 'prompted').")));
  });

  it('tags turns one by one up to 8, every later one as 8+', () => {
    assert.deepEqual(turnTags(4), ['1', '2', '3', '4']);
    assert.deepEqual(turnTags(12), ['1', '2', '3', '4', '5', '6', '7', '8+']);
    assert.deepEqual([turnTag(8, 8), turnTag(11, 12)], ['8', '8+']);
  });

  it('asks k6 for TTFT of cache hits and misses apart, and for every figure by turn', () => {
    const keys = (w: WorkloadPlan, stream: boolean): string[] =>
      observerThresholds({
        phases: [closed],
        mix: [{ endpoint: 'stream-generate', weight: 1 }],
        latencyMetric: 'stream_e2e',
        workload: w,
        stream: stream ? { api: 'openai' } : null,
      }).map((t) => t.key);
    assert.deepEqual(keys(WORKLOAD, true), ['stream_ttft{cache:hit}', 'stream_ttft{cache:miss}']);
    const byTurn = keys({ ...talk, turns: 2 }, true);
    assert.ok(byTurn.includes('stream_ttft{turn:2}') && byTurn.includes('workload_input_tokens_received{turn:1}'));
    assert.ok(byTurn.includes('stream_e2e{turn:1}') && byTurn.includes('requests_ok{turn:2}'));
    assert.deepEqual(keys({ ...WORKLOAD }, false), []);
  });
});
