/**
 * The report's arrivals and goodput: how late a drawn or replayed schedule was kept (the generator's
 * own lateness, from each request's due time), and the requests that met every per-request objective
 * at once. Pure.
 */
import type { K6Summary, ScenarioPlan, ScenarioReport, Totals } from '../types.js';
import { K6_METRICS } from '../rules/metric-table.js';
import { latencyOf, metric, value } from './summary-read.js';

export function arrivalsSection(plan: ScenarioPlan, summary: K6Summary): ScenarioReport['arrivals'] {
  if (plan.arrivals == null) return null;
  return {
    process: plan.arrivals,
    requestStartLateMs: latencyOf(metric(summary, K6_METRICS.requestStartLate)),
    dropped: value(metric(summary, K6_METRICS.arrivalsDropped), 'count'),
  };
}

/** Good requests of every planned one (dropped, unsent and failed ones never good), over the measured window. */
export function goodputSection(
  plan: ScenarioPlan,
  summary: K6Summary,
  totals: Totals,
  durationSec: number,
): ScenarioReport['goodput'] {
  if (plan.goodput == null) return null;
  const good = value(metric(summary, K6_METRICS.goodput), 'passes');
  const tokens = metric(summary, K6_METRICS.goodputTokens);
  return {
    objectives: plan.goodput,
    good,
    requests: totals.requests,
    sharePct: totals.requests === 0 ? null : (good / totals.requests) * 100,
    ratePerSec: durationSec > 0 ? good / durationSec : 0,
    outputTokensPerSec: tokens === undefined || durationSec <= 0 ? null : value(tokens, 'count') / durationSec,
  };
}
