/**
 * The server's own counters against what k6 counted. The profile (profiles/<server>.json) says which
 * counter counts what over which endpoints; where the two disagree, the report says so, with the
 * profile's explanation of what the server counts differently.
 */
import type { EndpointReport, K6Summary, PrometheusReport, ServerProfile } from '../types.js';
import { K6_METRICS } from '../rules/metric-table.js';
import { selector } from '../rules/thresholds.js';

/** A counter the server did not export is no disagreement: there is nothing to compare. */
export function crossCheckStatus(
  c: Pick<PrometheusReport['crossCheck'][number], 'serverDelta' | 'agree'>,
): 'agree' | 'DISAGREE' | 'not exported' {
  if (c.serverDelta === null) return 'not exported';
  return c.agree ? 'agree' : 'DISAGREE';
}

/**
 * Prompt tokens by the server's answers (whole-scenario Trends' sums): those it processed (received
 * less cached) and those it took from its cache; null without a shaped workload.
 */
function promptTokensOf(summary: K6Summary): { processed: number; cached: number } | null {
  const sum = (name: string): number | null => {
    const v = summary.metrics[name]?.values;
    return v === undefined || !v['count'] ? null : (v['avg'] ?? 0) * v['count'];
  };
  const received = sum(K6_METRICS.inputReceived);
  if (received === null) return null;
  const cached = sum(K6_METRICS.cachedTokens) ?? 0;
  return { processed: Math.round(received - cached), cached: Math.round(cached) };
}

export function crossCheck(
  profile: ServerProfile,
  deltas: Record<string, number | null>,
  endpoints: readonly EndpointReport[],
  summary: K6Summary,
): PrometheusReport['crossCheck'] {
  // Prompt tokens are read from the answers of a shaped workload's requests only (src/k6/lib/workload.ts).
  const prompt = promptTokensOf(summary);
  const fromAnswers = { 'prompt-tokens': prompt?.processed ?? 0, 'cached-tokens': prompt?.cached ?? 0 };
  const counters = profile.counters.filter(
    (c) => (c.counts !== 'prompt-tokens' && c.counts !== 'cached-tokens') || prompt !== null,
  );
  return counters.map((counter) => {
    const mine = endpoints.filter((e) => (counter.endpoints as string[]).includes(e.name));
    const k6Count = mine.reduce(
      (n, e) => {
        switch (counter.counts) {
          case 'requests':
            return n + e.totals.sent;
          case 'successes':
            return n + e.totals.successes;
          case 'failures':
            return n + e.totals.failures;
          case 'tokens':
            return n + (summary.metrics[selector(K6_METRICS.tokens, { endpoint: e.name })]?.values['count'] ?? 0);
          case 'prompt-tokens':
          case 'cached-tokens':
            return n;
        }
      },
      fromAnswers[counter.counts as keyof typeof fromAnswers] ?? 0,
    );
    const serverDelta = deltas[counter.name] ?? null;
    const agree = serverDelta !== null && serverDelta === k6Count;
    const what = `${counter.counts} on ${counter.endpoints.join(', ')}`;
    const note =
      serverDelta === null
        ? `the server did not export ${counter.name} before and after the scenario`
        : agree
          ? 'the server and k6 agree'
          : `the server counted ${serverDelta}, k6 ${k6Count}${counter.note === undefined ? '' : `: ${counter.note}`}`;
    return { what, serverMetric: counter.name, serverDelta, k6Count, agree, note };
  });
}
