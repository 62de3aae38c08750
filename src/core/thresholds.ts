/**
 * The threshold model: how a rule of thresholds/<scenario>.json becomes a k6 threshold, and how the
 * same rule is judged from the report's figures. Both sides use this one module, so the k6 script and
 * the report can never disagree on what a rule means.
 */
import type { Gate, Rule, ScenarioPlan, ThresholdsFile } from './model.js';
import type { ValidationProblem } from './errors/ValidationError.js';

export type Tier = 'acceptable' | 'target';

/** Custom k6 metrics recorded by src/k6/lib/request.ts, one sample per request sent. */
export const K6_METRICS = {
  /** Rate: true when a request failed (status, body schema, timeout or connection error). */
  requestFailed: 'request_failed',
  /** Counter: +1 per successful request; its k6 `rate` is successful requests per second. */
  requestsOk: 'requests_ok',
  /** Counter: tokens generated, as the response bodies say (num_generated). */
  tokens: 'tokens_generated',
  latency: 'http_req_duration',
  dropped: 'dropped_iterations',
  /** Trends of streamed scenarios, measured in the browser (src/k6/lib/stream.ts), in ms. */
  ttft: 'stream_ttft',
  itl: 'stream_itl',
  e2e: 'stream_e2e',
  /** Trend: output tokens per second of each streamed request. */
  tokensPerSecond: 'stream_output_tokens_per_second',
} as const;

/** Latency rules read this metric unless the plan says another (stream_e2e for streams). */
export const LATENCY_PLACEHOLDER = '$latency';

interface MetricSpec {
  /** null: measured on the server's process by the runner, not by k6 (no k6 threshold). */
  k6Metric: string | null;
  stat: string;
  op: '<' | '>';
  unit: string;
  label: string;
  /** Rules are written in the seed's units (ms, %, req/s); k6 wants a fraction for rates. */
  toK6: (bound: number) => number;
}

export const RULE_METRICS: Record<Rule['metric'], MetricSpec> = {
  latency_p50: { k6Metric: LATENCY_PLACEHOLDER, stat: 'p(50)', op: '<', unit: 'ms', label: 'p50 latency', toK6: (b) => b },
  latency_p95: { k6Metric: LATENCY_PLACEHOLDER, stat: 'p(95)', op: '<', unit: 'ms', label: 'p95 latency', toK6: (b) => b },
  latency_p99: { k6Metric: LATENCY_PLACEHOLDER, stat: 'p(99)', op: '<', unit: 'ms', label: 'p99 latency', toK6: (b) => b },
  error_rate: { k6Metric: K6_METRICS.requestFailed, stat: 'rate', op: '<', unit: '%', label: 'error rate', toK6: (b) => b / 100 },
  throughput: { k6Metric: K6_METRICS.requestsOk, stat: 'rate', op: '>', unit: 'req/s', label: 'throughput', toK6: (b) => b },
  ttft_p50: { k6Metric: K6_METRICS.ttft, stat: 'p(50)', op: '<', unit: 'ms', label: 'p50 time to first token', toK6: (b) => b },
  ttft_p95: { k6Metric: K6_METRICS.ttft, stat: 'p(95)', op: '<', unit: 'ms', label: 'p95 time to first token', toK6: (b) => b },
  ttft_p99: { k6Metric: K6_METRICS.ttft, stat: 'p(99)', op: '<', unit: 'ms', label: 'p99 time to first token', toK6: (b) => b },
  itl_p50: { k6Metric: K6_METRICS.itl, stat: 'p(50)', op: '<', unit: 'ms', label: 'p50 inter-token latency', toK6: (b) => b },
  itl_p95: { k6Metric: K6_METRICS.itl, stat: 'p(95)', op: '<', unit: 'ms', label: 'p95 inter-token latency', toK6: (b) => b },
  itl_p99: { k6Metric: K6_METRICS.itl, stat: 'p(99)', op: '<', unit: 'ms', label: 'p99 inter-token latency', toK6: (b) => b },
  output_tokens_per_second_p50: { k6Metric: K6_METRICS.tokensPerSecond, stat: 'p(50)', op: '>', unit: 'tokens/s', label: 'median output tokens per second', toK6: (b) => b },
  memory_overhead_mb: { k6Metric: null, stat: '', op: '<', unit: 'MB', label: 'server memory overhead (peak - baseline RSS)', toK6: (b) => b },
  cpu_avg_pct: { k6Metric: null, stat: '', op: '<', unit: '% of all cores', label: 'server CPU, average', toK6: (b) => b },
  rss_growth_mb_per_1000_requests: { k6Metric: null, stat: '', op: '<', unit: 'MB/1000 req', label: 'server RSS growth (leak check)', toK6: (b) => b },
  p95_drift_ms: { k6Metric: null, stat: '', op: '<', unit: 'ms', label: 'p95 drift (last third - first third)', toK6: (b) => b },
};

/** Rules judged on the server's process (resources), not on k6's metrics. */
export function isServerSideRule(rule: Pick<Rule, 'metric'>): boolean {
  return RULE_METRICS[rule.metric].k6Metric === null;
}

export interface Scope {
  endpoint?: string | undefined;
  phase?: string | undefined;
}

/** k6 sub-metric selector: `http_req_duration{scenario:spike}`; phases are k6 scenarios. */
export function selector(metric: string, scope: Scope): string {
  const tags: string[] = [];
  if (scope.phase !== undefined) tags.push(`scenario:${scope.phase}`);
  if (scope.endpoint !== undefined) tags.push(`endpoint:${scope.endpoint}`);
  return tags.length === 0 ? metric : `${metric}{${tags.join(',')}}`;
}

export function scopeLabel(scope: Scope): string {
  if (scope.endpoint !== undefined) return `endpoint ${scope.endpoint}`;
  if (scope.phase !== undefined) return `phase ${scope.phase}`;
  return 'all';
}

export function boundOf(rule: Rule, tier: Tier): number | undefined {
  return tier === 'acceptable' ? rule.acceptable : rule.target;
}

export interface K6Threshold {
  key: string;
  expression: string;
}

/** The k6 metric a rule reads; latency rules read the plan's latency metric. */
export function ruleK6Metric(rule: Pick<Rule, 'metric'>, latencyMetric: string = K6_METRICS.latency): string | null {
  const m = RULE_METRICS[rule.metric].k6Metric;
  return m === LATENCY_PLACEHOLDER ? latencyMetric : m;
}

export function ruleThreshold(rule: Rule, tier: Tier, latencyMetric: string = K6_METRICS.latency): K6Threshold | null {
  const bound = boundOf(rule, tier);
  if (bound === undefined) return null;
  const spec = RULE_METRICS[rule.metric];
  const k6Metric = ruleK6Metric(rule, latencyMetric);
  if (k6Metric === null) return null;
  return {
    key: selector(k6Metric, { endpoint: rule.endpoint, phase: rule.phase }),
    expression: `${spec.stat}${spec.op}${spec.toK6(bound)}`,
  };
}

/** Tiers whose failure fails the run. The target tier is stricter, so gating on it keeps acceptable too. */
export function gatingTiers(gate: Gate): Tier[] {
  return gate === 'target' ? ['acceptable', 'target'] : ['acceptable'];
}

/**
 * Always-true thresholds whose only job is to make k6 put these sub-metrics into the summary (k6
 * reports a tagged sub-metric only when a threshold names it). The converter reads them to break the
 * figures down per phase and per endpoint.
 */
export function observerThresholds(plan: Pick<ScenarioPlan, 'phases' | 'mix' | 'latencyMetric'>): K6Threshold[] {
  const out: K6Threshold[] = [];
  const latency = plan.latencyMetric ?? K6_METRICS.latency;
  const add = (scope: Scope, withDropped: boolean): void => {
    out.push({ key: selector(latency, scope), expression: 'max>=0' });
    out.push({ key: selector(K6_METRICS.requestFailed, scope), expression: 'rate>=0' });
    out.push({ key: selector(K6_METRICS.requestsOk, scope), expression: 'count>=0' });
    if (withDropped) out.push({ key: selector(K6_METRICS.dropped, scope), expression: 'count>=0' });
  };
  for (const phase of plan.phases) add({ phase: phase.name }, true);
  for (const entry of plan.mix) {
    add({ endpoint: entry.endpoint }, false);
    out.push({ key: selector(K6_METRICS.tokens, { endpoint: entry.endpoint }), expression: 'count>=0' });
  }
  return out;
}

/**
 * The `thresholds` option of the k6 script. Expressions that share a metric key are merged into one
 * array: k6 silently drops all but the last of duplicated object keys.
 */
export function k6Thresholds(plan: Pick<ScenarioPlan, 'phases' | 'mix' | 'gate' | 'thresholds' | 'latencyMetric'>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const add = (t: K6Threshold | null): void => {
    if (t === null) return;
    const list = (out[t.key] ??= []);
    if (!list.includes(t.expression)) list.push(t.expression);
  };
  for (const tier of gatingTiers(plan.gate)) for (const rule of plan.thresholds.rules) add(ruleThreshold(rule, tier, plan.latencyMetric));
  for (const t of observerThresholds(plan)) add(t);
  return out;
}

/**
 * What a schema cannot say about a thresholds file. Returns problems (empty when fine).
 * @param expectedScenario the file's base name, which the `scenario` field must repeat.
 */
export function checkThresholdsFile(file: ThresholdsFile, expectedScenario: string): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  if (file.scenario !== expectedScenario) {
    problems.push({ path: '/scenario', expected: `'${expectedScenario}' (the file's name)`, found: `'${file.scenario}'` });
  }
  const ids = new Set<string>();
  file.rules.forEach((rule, i) => {
    const at = `/rules/${i}`;
    if (ids.has(rule.id)) problems.push({ path: `${at}/id`, expected: 'an id used once in the file', found: `'${rule.id}' again` });
    ids.add(rule.id);
    if (rule.endpoint !== undefined && rule.phase !== undefined) {
      problems.push({ path: at, expected: 'either endpoint or phase, not both', found: `endpoint '${rule.endpoint}' and phase '${rule.phase}'` });
    }
    if (isServerSideRule(rule) && (rule.endpoint !== undefined || rule.phase !== undefined)) {
      problems.push({ path: at, expected: `no endpoint or phase on ${rule.metric} (it is measured on the server's process over the whole scenario)`, found: `endpoint ${rule.endpoint ?? '-'}, phase ${rule.phase ?? '-'}` });
    }
    if (rule.metric === 'throughput' && rule.phase !== undefined) {
      problems.push({ path: `${at}/phase`, expected: 'no phase on a throughput rule (throughput is over the whole run)', found: `'${rule.phase}'` });
    }
    if (rule.target !== undefined) {
      const op = RULE_METRICS[rule.metric].op;
      const stricter = op === '<' ? rule.target <= rule.acceptable : rule.target >= rule.acceptable;
      if (!stricter) {
        problems.push({
          path: `${at}/target`,
          expected: `a target at least as strict as acceptable (${op === '<' ? '<=' : '>='} ${rule.acceptable})`,
          found: String(rule.target),
        });
      }
    }
  });
  return problems;
}

/** Compare a measured value with a bound, in the rule's direction. */
export function meets(op: '<' | '>' | '<=', measured: number, bound: number): boolean {
  if (op === '<') return measured < bound;
  if (op === '>') return measured > bound;
  return measured <= bound;
}
