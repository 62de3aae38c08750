import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderScenario } from '../../src/core/report/render.js';
import { requestClockLines } from '../../src/core/report/render-server-clock.js';
import { K6_METRICS } from '../../src/core/rules/metric-table.js';
import { requestClockOf, serverIdOf } from '../../src/core/stream/request-clock.js';
import { requestClockSection, withServerLog } from '../../src/core/stream/request-clock-report.js';
import {
  mismatchedRequestIds,
  mismatchedRequests,
  mismatchLogLine,
  SERVER_CLOCK_METRICS as M,
} from '../../src/core/stream/server-clock.js';
import { serverTimingLogLine, serverTimingNames } from '../../src/core/stream/server-timing.js';
import type { K6Summary } from '../../src/core/types.js';

/** A non-streamed answer as llama.cpp's server gives it (/v1/completions). */
const llamaAnswer = {
  id: 'chatcmpl-63ti0HbvUC1N2x8V6fnPtYsEYhZgZAz2',
  object: 'text_completion',
  choices: [{ text: 'Lnguperestival', index: 0, finish_reason: 'length' }],
  usage: { completion_tokens: 5, prompt_tokens: 2, total_tokens: 7 },
  timings: {
    cache_n: 0,
    prompt_n: 2,
    prompt_ms: 63.055,
    predicted_n: 5,
    predicted_ms: 50.797,
    predicted_per_token_ms: 12.69925,
  },
};

describe("an answer that does not stream, beside the server's own account of it", () => {
  it('splits the client latency into waiting, prefill and decode from the same answer, with both ids', () => {
    const s = requestClockOf({ body: llamaAnswer, clientMs: 200, clientTokens: 5, serverTiming: null });
    assert.deepEqual(s.split, {
      clientMs: 200,
      promptMs: 63.055,
      predictedMs: 50.797,
      waitMs: 200 - 63.055 - 50.797,
      perTokenMs: 12.69925,
    });
    assert.deepEqual(s.tokens, { client: 5, server: 5 });
    assert.deepEqual(s.prompt, { tokens: 2, cached: 0 });
    assert.equal(s.serverId, 'chatcmpl-63ti0HbvUC1N2x8V6fnPtYsEYhZgZAz2');
    assert.deepEqual(s.serverTiming, []);
  });

  it('has no time per token for a one-token answer, and no split without both prompt_ms and predicted_ms', () => {
    const one = { ...llamaAnswer, timings: { ...llamaAnswer.timings, predicted_n: 1, predicted_per_token_ms: 0 } };
    assert.equal(
      requestClockOf({ body: one, clientMs: 90, clientTokens: 1, serverTiming: null }).split?.perTokenMs,
      null,
    );
    const half = { timings: { prompt_ms: 5, predicted_n: 3 } };
    const s = requestClockOf({ body: half, clientMs: 90, clientTokens: 3, serverTiming: null });
    assert.deepEqual([s.split, s.tokens, s.serverId], [null, { client: 3, server: 3 }, null]);
  });

  it("takes the Server-Timing header's durations, and nothing from an answer that carries nothing", () => {
    const header = 'queue;dur=300;desc="slot", prefill;dur=60, cache';
    const s = requestClockOf({ body: { choices: [] }, clientMs: 400, clientTokens: 4, serverTiming: header });
    assert.deepEqual(
      s.serverTiming.map((e) => [e.name, e.durMs]),
      [
        ['queue', 300],
        ['prefill', 60],
      ],
    );
    const none = requestClockOf({ body: 'not json', clientMs: 1, clientTokens: null, serverTiming: null });
    assert.deepEqual(
      [none.split, none.tokens, none.prompt, none.serverId, none.serverTiming],
      [null, null, null, null, []],
    );
    assert.deepEqual([serverIdOf({ id: '' }), serverIdOf({ id: 7 }), serverIdOf(null)], [null, null, null]);
  });
});

const trend = (p50: number, p95: number, count = 8): Record<string, number> => ({
  count,
  min: p50,
  avg: p50,
  'p(50)': p50,
  'p(90)': p95,
  'p(95)': p95,
  'p(99)': p95,
  max: p95,
});

function summaryOf(metrics: Record<string, Record<string, number>>): K6Summary {
  const m: K6Summary['metrics'] = {};
  for (const [k, values] of Object.entries(metrics)) m[k] = { type: 'trend', values };
  return { metrics: m, state: { testRunDurationMs: 1 }, root_group: { checks: [], groups: [] } } as K6Summary;
}

const answered = { [K6_METRICS.tokens]: { count: 40 }, [K6_METRICS.requestsOk]: { count: 8 } };
const joinedSummary = summaryOf({
  ...answered,
  [M.requests]: { count: 8 },
  [M.requestLatency]: trend(520, 525),
  [M.requestWait]: trend(390, 395),
  [M.requestPrefill]: trend(60, 61),
  [M.requestDecode]: trend(70, 71),
  [M.requestPerToken]: trend(10, 10.2),
  [M.serverTiming1]: trend(388, 391),
  [M.counted]: { count: 8 },
  [M.tokensClient]: { count: 40 },
  [M.tokensServer]: { count: 41 },
  [M.tokenMismatches]: { count: 1 },
});

describe("the report's parts of each answer's latency", () => {
  it('gives each part as percentiles, naming the field behind it, and the token counts', () => {
    const rc = requestClockSection(joinedSummary)!;
    assert.deepEqual([rc.answers, rc.joined], [8, 8]);
    assert.deepEqual(
      rc.parts.map((p) => [p.part, p.source, p.ms?.p50]),
      [
        ['client latency', "k6's http_req_duration of the answers with timings", 520],
        [
          'waiting in the server and the network',
          'client latency − timings.prompt_ms − timings.predicted_ms, per request',
          390,
        ],
        ['prefill', 'timings.prompt_ms', 60],
        ['decode', 'timings.predicted_ms', 70],
        ['decode per token', 'timings.predicted_per_token_ms', 10],
        ['server-timing: entry 1', 'Server-Timing header, entry 1: dur', 388],
      ],
    );
    assert.deepEqual(rc.tokens, { requests: 8, client: 40, server: 41, mismatchedRequests: 1, agree: false });
    assert.match(rc.summary, /^latency parts p50 \/ p95 ms: waiting in the server and the network 390\.0 \/ 395\.0,/);
  });

  it("names the Server-Timing parts as the server did and lists the mismatched requests with the server's id", () => {
    const log = [
      `msg="${serverTimingLogLine(1, 'queue')}"`,
      `msg="${mismatchLogLine({ requestId: 'rk6-a-vu1-3', serverId: 'chatcmpl-x', client: 5, server: 6 })}"`,
    ].join('\n');
    const rc = withServerLog(requestClockSection(joinedSummary)!, {
      names: serverTimingNames(log),
      mismatched: mismatchedRequests(log),
    });
    assert.ok(rc.parts.some((p) => p.part === 'server-timing: queue'));
    assert.deepEqual(rc.mismatched, [{ requestId: 'rk6-a-vu1-3', serverId: 'chatcmpl-x', client: 5, server: 6 }]);
    const text = requestClockLines(rc).join('\n');
    assert.match(text, /server-timing: queue: p50 388\.00, p95 391\.00, p99 391\.00 ms {2}\[Server-Timing header/);
    assert.match(text, /tokens: client 40 \(usage\), server 41 \(timings\.predicted_n\) over 8 requests, 1 differ/);
    assert.match(text, /token counts differ in \(client vs server\): rk6-a-vu1-3 \(server id chatcmpl-x\) 5 vs 6/);
  });

  it('says in one line that the server gave nothing (Realizar), and nothing at all when no answer had tokens', () => {
    const rc = requestClockSection(summaryOf(answered))!;
    assert.deepEqual([rc.joined, rc.parts], [0, []]);
    const lines = requestClockLines(rc);
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /the server sent no per-request figures in its answers/);
    assert.equal(requestClockSection(summaryOf({ [K6_METRICS.requestsOk]: { count: 3 } })), null);
    assert.equal(requestClockLines(null).length, 0);
  });
});

describe('the requests whose token counts differ, in k6.log', () => {
  it("reads our id, the server's id and both counts, each request once", () => {
    const line = (requestId: string, serverId: string | null): string =>
      `time="..." level=warning msg="${mismatchLogLine({ requestId, serverId, client: 4, server: 5 })}"`;
    const log = [line('rk6-x-3', 'chatcmpl-a'), line('rk6-x-9', null), line('rk6-x-3', 'chatcmpl-a')].join('\n');
    assert.deepEqual(mismatchedRequests(log), [
      { requestId: 'rk6-x-3', serverId: 'chatcmpl-a', client: 4, server: 5 },
      { requestId: 'rk6-x-9', serverId: null, client: 4, server: 5 },
    ]);
    assert.deepEqual(mismatchedRequestIds(log), ['rk6-x-3', 'rk6-x-9']);
  });
});

describe('a scenario that does not stream, in report.txt', () => {
  it('shows the per-request parts under their own heading', () => {
    const rc = requestClockSection(joinedSummary)!;
    const text = renderScenario({ ...minimalScenario(), requestClock: rc });
    assert.match(text, /Client vs server, per request: 8 of 8 successful requests joined/);
  });
});

function minimalScenario(): Parameters<typeof renderScenario>[0] {
  return {
    name: 'generate',
    description: 'd',
    status: 'completed',
    error: null,
    k6ExitCode: 0,
    durationSec: 1,
    totals: { requests: 8, sent: 8, successes: 8, failures: 0, dropped: 0, unsent: 0 },
    throughputRps: 8,
    errorRatePct: 0,
    successRatePct: 100,
    latencyMs: null,
    endpoints: [],
    phases: [],
    checks: [],
    verdicts: [],
    notes: [],
    files: { summary: 's', plan: 'p', dashboard: null },
    resources: null,
    prometheus: null,
    streaming: null,
  } as unknown as Parameters<typeof renderScenario>[0];
}
