/**
 * The report's workload section: what the requests carried (from the plan) beside what the server
 * said it received (the k6 metrics of src/k6/lib/workload.ts): token counts asked and received, the
 * prompt cache's hits and the TTFT of hits and misses apart, and in conversations every figure by
 * turn. Pure.
 */
import { turnTags } from '../plan/workload.js';
import { K6_METRICS } from '../rules/metric-table.js';
import type { K6Metric, K6Summary, ScenarioPlan, TokenCounts, WorkloadReport } from '../types.js';
import { latencyOf, metric, value } from './summary-read.js';

/** A Trend of token counts: one sample per request. */
export function tokenCounts(m: K6Metric | undefined): TokenCounts | null {
  const samples = m?.values['count'];
  if (m === undefined || samples === undefined || samples === 0) return null;
  const v = (stat: string): number => m.values[stat] ?? 0;
  // A split run's merge keeps no percentiles of them (src/core/merge/merge-summary.ts): not known, not 0.
  const p = (stat: string): number | null => m.values[stat] ?? null;
  return { samples, min: v('min'), p50: p('p(50)'), p95: p('p(95)'), max: v('max'), total: v('avg') * samples };
}

const tagged = (name: string, tag: string, v: string): string => `${name}{${tag}:${v}}`;

function cacheOf(plan: ScenarioPlan, summary: K6Summary, inputTotal: number | null): WorkloadReport['cache'] {
  const hits = metric(summary, K6_METRICS.cacheHit);
  const requests = value(hits, 'passes') + value(hits, 'fails');
  if (hits === undefined || requests === 0) return null;
  const cached = tokenCounts(metric(summary, K6_METRICS.cachedTokens));
  const stream = plan.stream != null;
  return {
    requests,
    hits: value(hits, 'passes'),
    hitSharePct: (value(hits, 'passes') / requests) * 100,
    cachedTokens: cached,
    cachedSharePct: cached === null || !inputTotal ? null : (cached.total / inputTotal) * 100,
    ttftHitMs: stream ? latencyOf(metric(summary, tagged(K6_METRICS.ttft, 'cache', 'hit'))) : null,
    ttftMissMs: stream ? latencyOf(metric(summary, tagged(K6_METRICS.ttft, 'cache', 'miss'))) : null,
  };
}

function byTurn(plan: ScenarioPlan, summary: K6Summary, turns: number): WorkloadReport['byTurn'] {
  const latency = plan.latencyMetric ?? K6_METRICS.latency;
  const stream = plan.stream != null;
  return turnTags(turns).map((t) => ({
    turn: t,
    requests: value(metric(summary, tagged(K6_METRICS.requestsOk, 'turn', t)), 'count'),
    latencyMs: latencyOf(metric(summary, tagged(latency, 'turn', t))),
    ttftMs: stream ? latencyOf(metric(summary, tagged(K6_METRICS.ttft, 'turn', t))) : null,
    itlMs: stream ? latencyOf(metric(summary, tagged(K6_METRICS.itl, 'turn', t))) : null,
    inputTokens: tokenCounts(metric(summary, tagged(K6_METRICS.inputReceived, 'turn', t))),
  }));
}

export function workloadSection(plan: ScenarioPlan, summary: K6Summary): WorkloadReport | null {
  const w = plan.workload;
  if (w == null) return null;
  const received = tokenCounts(metric(summary, K6_METRICS.inputReceived));
  return {
    source: w.source,
    seed: w.seed,
    input: w.input,
    output: w.output,
    prefix: w.prefix,
    turns: w.turns,
    thinkTimeSec: w.thinkTimeSec,
    promptCache: w.promptCache,
    tokenizer: w.tokenizer,
    outputLength: w.outputLength,
    inputTokens: {
      asked: tokenCounts(metric(summary, K6_METRICS.inputAsked)),
      received,
      extra: tokenCounts(metric(summary, K6_METRICS.inputExtra)),
    },
    outputTokens: {
      asked: tokenCounts(metric(summary, K6_METRICS.outputAsked)),
      received: tokenCounts(metric(summary, K6_METRICS.outputReceived)),
    },
    cache: cacheOf(plan, summary, received?.total ?? null),
    byTurn: w.conversations ? byTurn(plan, summary, w.turns) : null,
    conversations: w.conversations
      ? {
          started: value(metric(summary, K6_METRICS.conversationsStarted), 'count'),
          completed: value(metric(summary, K6_METRICS.conversationsCompleted), 'count'),
          cut: value(metric(summary, K6_METRICS.conversationsCut), 'count'),
        }
      : null,
  };
}
