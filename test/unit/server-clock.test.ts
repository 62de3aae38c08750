import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { crossCheck, crossCheckStatus } from '../../src/core/scrape/crosscheck.js';
import type { EndpointReport, K6Summary, ScenarioReport, ServerProfile } from '../../src/core/types.js';
import { renderScenario } from '../../src/core/report/render.js';
import { serverClockLines } from '../../src/core/report/render-server-clock.js';
import { SERVER_CLOCK_METRICS as M, serverClockOf } from '../../src/core/stream/server-clock.js';
import { serverClockSection } from '../../src/core/stream/server-clock-report.js';
import { streamTimings } from '../../src/core/stream/stream.js';

/** A chat stream as llama.cpp's server sends it: role, one delta per token, then usage with timings. */
function llamaStream(
  tokens: number,
  usage: number,
  timings: Record<string, number>,
  gapMs = 10,
): Array<{ tMs: number; text: string }> {
  const ev = (body: unknown): string => `data: ${JSON.stringify(body)}\n\n`;
  const chunks = [{ tMs: 20, text: ev({ choices: [{ index: 0, delta: { role: 'assistant', content: null } }] }) }];
  for (let i = 0; i < tokens; i++)
    chunks.push({ tMs: 50 + i * gapMs, text: ev({ choices: [{ index: 0, delta: { content: `t${i}` } }] }) });
  const end = 50 + tokens * gapMs;
  chunks.push({
    tMs: end,
    text:
      ev({ choices: [{ index: 0, delta: {}, finish_reason: 'length' }] }) +
      ev({ choices: [], usage: { completion_tokens: usage, prompt_tokens: 3 }, timings }) +
      'data: [DONE]\n\n',
  });
  return chunks;
}

describe("a stream's figures beside the server's own", () => {
  it("takes llama.cpp's timings from the final chunk, paired with the client's TTFT, mean ITL and tokens", () => {
    const t = streamTimings(
      llamaStream(5, 5, {
        prompt_n: 3,
        prompt_ms: 42.5,
        predicted_n: 5,
        predicted_ms: 36,
        predicted_per_token_ms: 9,
        cache_n: 0,
      }),
      'openai',
    );
    assert.deepEqual(t.serverTimings, {
      prompt_n: 3,
      prompt_ms: 42.5,
      predicted_n: 5,
      predicted_ms: 36,
      predicted_per_token_ms: 9,
      cache_n: 0,
    });
    assert.deepEqual(serverClockOf(t), {
      ttft: { clientMs: 50, serverMs: 42.5 },
      itl: { clientMs: 10, serverMs: 9 },
      tokens: { client: 5, server: 5 },
      prompt: { tokens: 3, cached: 0 },
    });
  });

  it('compares only tokens when the server sends a count and no timings, and nothing when it sends neither', () => {
    const withUsage = streamTimings(llamaStream(4, 4, {}), 'openai');
    assert.deepEqual(serverClockOf(withUsage), {
      ttft: null,
      itl: null,
      tokens: { client: 4, server: 4 },
      prompt: null,
    });
    const bare = streamTimings(
      [{ tMs: 30, text: 'data: {"choices":[{"delta":{"content":"a"}}]}\n\ndata: [DONE]\n\n' }],
      'openai',
    );
    assert.deepEqual(serverClockOf(bare), { ttft: null, itl: null, tokens: null, prompt: null });
  });

  it('has no ITL to compare when the server made a single token', () => {
    const t = streamTimings(
      llamaStream(1, 1, { prompt_ms: 40, predicted_n: 1, predicted_ms: 0.001, predicted_per_token_ms: 0 }),
      'openai',
    );
    assert.equal(serverClockOf(t).itl, null);
  });
});

/** k6's summary of what src/k6/lib/stream/server-clock.ts recorded. */
function summaryOf(over: Partial<Record<keyof typeof M, Record<string, number>>>): K6Summary {
  const metrics: K6Summary['metrics'] = {};
  for (const [k, values] of Object.entries(over)) metrics[M[k as keyof typeof M]] = { type: 'counter', values };
  return { metrics, state: { testRunDurationMs: 1 }, root_group: { checks: [], groups: [] } } as K6Summary;
}

describe("the server's own id of a stream", () => {
  it('is taken from the first chunk that carries one, to be found in the server logs', () => {
    const ev = (body: unknown): string => `data: ${JSON.stringify(body)}\n\n`;
    const chunks = [
      { tMs: 10, text: ev({ id: 'chatcmpl-abc', choices: [{ index: 0, delta: { content: 'a' } }] }) },
      { tMs: 20, text: ev({ id: 'chatcmpl-other', choices: [{ index: 0, delta: { content: 'b' } }] }) },
      { tMs: 21, text: 'data: [DONE]\n\n' },
    ];
    assert.equal(streamTimings(chunks, 'openai').serverId, 'chatcmpl-abc');
    assert.equal(streamTimings(llamaStream(2, 2, {}), 'openai').serverId, null);
  });
});

describe("the report's client-versus-server line", () => {
  const timed = {
    streams: { count: 10 },
    ttftClient: { count: 10, 'p(50)': 60 },
    ttftServer: { count: 10, 'p(50)': 45 },
    ttftDiff: { count: 10, 'p(50)': 15 },
    itlClient: { count: 10, 'p(50)': 9.5 },
    itlServer: { count: 10, 'p(50)': 9 },
    itlDiff: { count: 10, 'p(50)': 0.4 },
    counted: { count: 10 },
    tokensClient: { count: 50 },
    tokensServer: { count: 50 },
    tokenMismatches: { count: 0 },
  };

  it('agrees when the medians of the differences are within tolerance and every token count is equal', () => {
    const c = serverClockSection(summaryOf(timed));
    assert.equal(c.agree, true);
    assert.deepEqual([c.ttftMs?.medianDiff, c.itlMs?.medianDiff, c.tokens.client, c.tokens.server], [15, 0.4, 50, 50]);
    assert.match(
      c.summary,
      new RegExp(
        /^client and server agree: TTFT: client 60\.00 ms, server 45\.00 ms \(prompt_ms\), /.source +
          /median per-request difference \+15\.00 ms/.source,
      ),
    );
  });

  it('says DISAGREE and by how much when the ITL is off beyond tolerance and token counts differ', () => {
    const c = serverClockSection(
      summaryOf({
        ...timed,
        itlDiff: { count: 10, 'p(50)': 6 },
        tokensClient: { count: 48 },
        tokenMismatches: { count: 2 },
      }),
    );
    assert.equal(c.agree, false);
    assert.equal(c.itlMs?.agree, false);
    assert.equal(c.tokens.agree, false);
    assert.match(
      c.summary,
      new RegExp(
        /DISAGREE: ITL off by \+6\.00 ms /.source +
          /\(±2 ms or ±25% of the server's median, whichever is larger allowed\); /.source +
          /token counts differ in 2 stream\(s\): client 48, server 50/.source,
      ),
    );
  });

  it('says a TTFT later than prompt_ms by a slot queue differs by the time waiting in the server', () => {
    // 8 clients on 4 slots: the client's TTFT is seconds after the server's prompt time, decoding agrees.
    const queued = { ...timed, ttftClient: { count: 10, 'p(50)': 7842 }, ttftDiff: { count: 10, 'p(50)': 5982 } };
    const c = serverClockSection(summaryOf(queued));
    assert.deepEqual([c.agree, c.ttftMs?.agree], [true, false]);
    assert.equal(c.ttftMs?.explained, 'differs by the time waiting in the server (see the parts below)');
    const text = serverClockLines(c).join('\n');
    assert.match(text, /TTFT vs prompt_ms: .* - differs by the time waiting in the server \(see the parts below\)/);
    assert.doesNotMatch(text, /DISAGREE/);
  });

  it('keeps DISAGREE for a late TTFT that the queue does not explain: decoding or token counts disagree too', () => {
    const late = { ttftClient: { count: 10, 'p(50)': 7842 }, ttftDiff: { count: 10, 'p(50)': 5982 } };
    for (const over of [{ itlDiff: { count: 10, 'p(50)': 6 } }, { tokenMismatches: { count: 2 } }]) {
      const c = serverClockSection(summaryOf({ ...timed, ...late, ...over }));
      assert.deepEqual([c.agree, c.ttftMs?.explained], [false, undefined]);
      assert.match(c.summary, /DISAGREE: TTFT off by \+5982\.00 ms/);
      assert.match(serverClockLines(c).join('\n'), /TTFT vs prompt_ms: .* - DISAGREE/);
    }
    const early = serverClockSection(summaryOf({ ...timed, ttftDiff: { count: 10, 'p(50)': -500 } }));
    assert.equal(early.ttftMs?.explained, undefined, 'a TTFT before the prompt time is no queue');
  });

  it('says there was nothing to compare when the server reported nothing per request', () => {
    const c = serverClockSection(summaryOf({}));
    assert.deepEqual([c.agree, c.ttftMs, c.itlMs, c.tokens.agree], [null, null, null, null]);
    assert.match(c.summary, /sent no per-request timings or token counts/);
  });
});

describe('a server counter the server does not export', () => {
  const profile: ServerProfile = {
    name: 'x',
    metricsPath: '/metrics',
    counters: [{ name: 'llamacpp:tokens_predicted_total', endpoints: ['stream-generate'], counts: 'tokens' }],
    source: 'test',
  };
  const endpoints: EndpointReport[] = [
    {
      name: 'stream-generate',
      totals: { requests: 2, sent: 2, successes: 2, failures: 0, dropped: 0, unsent: 0 },
      errorRatePct: 0,
      latencyMs: null,
    },
  ];
  const summary = { metrics: {}, state: { testRunDurationMs: 1 }, root_group: { checks: [], groups: [] } } as K6Summary;

  it('is reported as not exported, never as a disagreement', () => {
    const [row] = crossCheck(profile, { 'llamacpp:tokens_predicted_total': null }, endpoints, summary);
    assert.equal(crossCheckStatus(row!), 'not exported');
    const text = renderScenario({
      name: 'stream',
      description: 'x',
      status: 'completed',
      error: null,
      k6ExitCode: 0,
      durationSec: 1,
      totals: endpoints[0]!.totals,
      throughputRps: 2,
      errorRatePct: 0,
      successRatePct: 100,
      latencyMs: null,
      endpoints,
      phases: [],
      checks: [],
      verdicts: [],
      notes: [],
      files: { summary: null, plan: null },
      prometheus: { profile: 'x', deltas: { 'llamacpp:tokens_predicted_total': null }, crossCheck: [row!] },
    } as ScenarioReport);
    assert.match(
      text,
      /llamacpp:tokens_predicted_total \(tokens on stream-generate\): server n\/a, k6 0 - not exported/,
    );
    assert.doesNotMatch(text, /DISAGREE/);
  });

  it('still reads DISAGREE when the server exported it and counted otherwise', () => {
    const [row] = crossCheck(profile, { 'llamacpp:tokens_predicted_total': 3 }, endpoints, summary);
    assert.equal(crossCheckStatus(row!), 'DISAGREE');
  });
});
