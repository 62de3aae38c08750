import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { workloadLines, workloadMarkdown } from '../../src/core/report/render-workload.js';
import { tokenCounts, workloadSection } from '../../src/core/summary/convert-workload.js';
import type { K6Metric, K6Summary, ScenarioPlan, ScenarioReport } from '../../src/core/types.js';
import { crossCheck } from '../../src/core/scrape/crosscheck.js';
import { WORKLOAD } from '../support/workload.js';

const trend = (count: number, min: number, med: number, p95: number, max: number, avg: number): K6Metric => ({
  type: 'trend',
  contains: 'default',
  values: { count, min, med, 'p(50)': med, 'p(95)': p95, max, avg },
});
const latency = (p50: number): K6Metric => ({
  type: 'trend',
  contains: 'time',
  values: { count: 4, min: p50, avg: p50, 'p(50)': p50, 'p(90)': p50, 'p(95)': p50, 'p(99)': p50, max: p50 },
});

const plan = (over: Partial<ScenarioPlan> = {}): ScenarioPlan =>
  ({
    scenario: 'stream',
    latencyMetric: 'stream_e2e',
    stream: { api: 'openai' },
    workload: WORKLOAD,
    ...over,
  }) as ScenarioPlan;

const summary: K6Summary = {
  metrics: {
    workload_input_tokens_asked: trend(16, 256, 256, 256, 256, 256),
    workload_input_tokens_received: trend(16, 284, 284, 285, 285, 284.25),
    workload_input_tokens_extra: trend(16, 28, 28, 29, 29, 28.25),
    workload_output_tokens_asked: trend(16, 64, 64, 64, 64, 64),
    workload_output_tokens_received: trend(16, 64, 64, 64, 64, 64),
    workload_cached_tokens: trend(16, 0, 256, 256, 256, 192),
    workload_cache_hit: { type: 'rate', contains: 'default', values: { rate: 0.75, passes: 12, fails: 4 } },
    'stream_ttft{cache:hit}': latency(120),
    'stream_ttft{cache:miss}': latency(900),
  },
} as unknown as K6Summary;

describe('the workload section', () => {
  it('puts what was asked beside what the server received, and the cache’s hits with their TTFT apart', () => {
    const w = workloadSection(plan(), summary)!;
    assert.deepEqual(w.inputTokens.asked, { samples: 16, min: 256, p50: 256, p95: 256, max: 256, total: 4096 });
    assert.equal(w.inputTokens.received!.p95, 285);
    assert.deepEqual([w.cache!.hits, w.cache!.requests, w.cache!.hitSharePct], [12, 16, 75]);
    assert.equal(Math.round(w.cache!.cachedSharePct!), Math.round((192 * 16 * 100) / (284.25 * 16)));
    assert.deepEqual([w.cache!.ttftHitMs!.p50, w.cache!.ttftMissMs!.p50], [120, 900]);
    assert.deepEqual([w.byTurn, w.conversations], [null, null]);
    assert.equal(workloadSection(plan({ workload: null }), summary), null);
    assert.equal(tokenCounts(undefined), null);
  });

  it('gives conversations their figures by turn, and how many were started, finished and cut short', () => {
    const talk = { ...WORKLOAD, turns: 2, conversations: true, chat: true };
    const s = {
      metrics: {
        ...summary.metrics,
        'stream_ttft{turn:1}': latency(300),
        'stream_ttft{turn:2}': latency(500),
        'requests_ok{turn:1}': { type: 'counter', contains: 'default', values: { count: 8, rate: 1 } },
        'workload_input_tokens_received{turn:2}': trend(8, 400, 410, 420, 420, 410),
        conversations_started: { type: 'counter', contains: 'default', values: { count: 8, rate: 1 } },
        conversations_completed: { type: 'counter', contains: 'default', values: { count: 6, rate: 1 } },
        conversations_cut: { type: 'counter', contains: 'default', values: { count: 1, rate: 1 } },
      },
    } as unknown as K6Summary;
    const w = workloadSection(plan({ workload: talk }), s)!;
    assert.deepEqual(
      w.byTurn!.map((t) => [t.turn, t.requests, t.ttftMs?.p50 ?? null, t.inputTokens?.p50 ?? null]),
      [
        ['1', 8, 300, null],
        ['2', 0, 500, 410],
      ],
    );
    assert.deepEqual(w.conversations, { started: 8, completed: 6, cut: 1 });
    const text = workloadLines({ workload: w } as ScenarioReport).join('\n');
    assert.match(text, /turn 2 +0 +n\/a +500\.00ms/);
    assert.match(
      text,
      /conversations: 8 started, 6 completed with every turn answered, 1 cut short by the run's request count$/m,
    );
  });

  it('reads as a block of the text report and a table of the Markdown summary', () => {
    const w = workloadSection(plan(), summary)!;
    const text = workloadLines({ workload: w } as ScenarioReport).join('\n');
    assert.match(text, /^Workload: generated from seed 1; input 256 tokens; output 64 tokens \(seed 1\)/);
    assert.match(text, /input asked {10}256 {5}256 {5}256 {5}256 {6}\(16\)/);
    assert.match(text, /input received {7}284 {5}284 {5}285 {5}285/);
    assert.match(text, /the server counted 28 to 29 input token\(s\) more than each request's text/);
    assert.match(text, /prompt cache hits: 12 of 16 requests \(75\.0%\)/);
    assert.match(text, /TTFT of cache hits p50 120\.00ms p95 120\.00ms, of misses p50 900\.00ms/);
    const s = { name: 'stream', workload: w } as ScenarioReport;
    const table = workloadMarkdown(
      [s],
      (x) => x.name,
      (t) => t,
    ).join('\n');
    assert.match(table, /^### Workload/);
    assert.match(
      table,
      /\| generated from seed 1; input 256 tokens; output 64 tokens \| 256 \/ 284 \| 64 \/ 64 \| 12 of 16 \| n\/a \|/,
    );
    assert.deepEqual(
      workloadMarkdown(
        [{ name: 'x', workload: null } as ScenarioReport],
        (x) => x.name,
        (t) => t,
      ),
      [],
    );
  });

  it("compares the server's prompt-token counters with the prompts its answers counted, only with a workload", () => {
    const profile = {
      name: 'llamacpp',
      metricsPath: '/metrics',
      counters: [
        { name: 'llamacpp:prompt_tokens_total', endpoints: ['stream-generate'], counts: 'prompt-tokens' },
        { name: 'llamacpp:prompt_tokens_cached_total', endpoints: ['stream-generate'], counts: 'cached-tokens' },
      ],
    } as const;
    const deltas = { 'llamacpp:prompt_tokens_total': 4548 - 3072, 'llamacpp:prompt_tokens_cached_total': 3072 };
    const rows = crossCheck(profile as never, deltas, [], summary);
    assert.deepEqual(
      rows.map((r) => [r.serverMetric, r.k6Count, r.agree]),
      [
        ['llamacpp:prompt_tokens_total', 1476, true],
        ['llamacpp:prompt_tokens_cached_total', 3072, true],
      ],
    );
    assert.deepEqual(crossCheck(profile as never, deltas, [], { metrics: {} } as unknown as K6Summary), []);
  });
});
