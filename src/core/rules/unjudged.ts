/**
 * Rules a run could not judge because what they read was not watched: the server's process (its
 * memory and CPU, from /proc) or its own metrics over time (scraped from /metrics). Such a rule is
 * left out and said so in the notes, neither passed nor failed. Pure.
 */
import type { ResourcesReport, Rule, TelemetryReport } from '../types.js';
import { METRIC_ENTRIES, type MeasuredAt } from './metric-table.js';
import { RULE_METRICS } from './metrics.js';
import { isServerSideRule } from './thresholds.js';

const measuredAt = new Map<string, MeasuredAt>(
  METRIC_ENTRIES.flatMap(([, e]) => (e.rule === undefined || e.rule.stats !== undefined ? [] : [[e.rule.name, e.at]])),
);

/** The note for a rule that cannot be judged, or null when it can. */
export function whyUnjudged(
  rule: Pick<Rule, 'id' | 'metric'>,
  watched: { resources: ResourcesReport | null; telemetry: TelemetryReport | null },
): string | null {
  if (!isServerSideRule(rule)) return null;
  const what = `Rule '${rule.id}' (${RULE_METRICS[rule.metric].label}) was not judged`;
  if (measuredAt.get(rule.metric) === 'server-metrics') {
    return watched.telemetry !== null
      ? null
      : `${what}: the server's metrics were not scraped during the load (it needs a server profile naming the ` +
          `series, and --scrape-interval above 0).`;
  }
  return watched.resources !== null
    ? null
    : `${what}: the server's process was not watched (give --server-pid with --no-server).`;
}
