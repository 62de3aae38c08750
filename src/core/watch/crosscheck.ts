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

export function crossCheck(
  profile: ServerProfile,
  deltas: Record<string, number | null>,
  endpoints: readonly EndpointReport[],
  summary: K6Summary,
): PrometheusReport['crossCheck'] {
  return profile.counters.map((counter) => {
    const mine = endpoints.filter((e) => (counter.endpoints as string[]).includes(e.name));
    const k6Count = mine.reduce((n, e) => {
      switch (counter.counts) {
        case 'requests':
          return n + e.totals.sent;
        case 'successes':
          return n + e.totals.successes;
        case 'failures':
          return n + e.totals.failures;
        case 'tokens':
          return n + (summary.metrics[selector(K6_METRICS.tokens, { endpoint: e.name })]?.values['count'] ?? 0);
      }
    }, 0);
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
