/**
 * The threshold model: how a rule of thresholds/<scenario>.json becomes a k6 threshold, and how the
 * same rule is judged from the report's figures. Both sides use this one module, so the k6 script and
 * the report can never disagree on what a rule means.
 */
import type { Gate, Rule, ScenarioPlan, ThresholdsFile } from '../types.js';
import type { ValidationProblem } from '../errors/ValidationError.js';
import { K6_METRICS } from './metric-table.js';
import { LATENCY_PLACEHOLDER, RULE_METRICS } from './metrics.js';
import { turnTags } from '../plan/workload.js';
import { ROUTES } from '../target/routes.js';

/** Every endpoint a scenario may send to without defining it, in any API. */
export const BUILTIN_ENDPOINTS: readonly string[] = [...new Set(Object.values(ROUTES).flatMap((r) => Object.keys(r)))];

export type Tier = 'acceptable' | 'target';

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
 * figures down per phase and per endpoint, when there are several of either.
 */
export function observerThresholds(
  plan: Pick<ScenarioPlan, 'phases' | 'mix' | 'latencyMetric'> & Partial<Pick<ScenarioPlan, 'workload' | 'stream'>>,
): K6Threshold[] {
  const out: K6Threshold[] = [];
  const latency = plan.latencyMetric ?? K6_METRICS.latency;
  const add = (scope: Scope, withDropped: boolean): void => {
    out.push({ key: selector(latency, scope), expression: 'max>=0' });
    out.push({ key: selector(K6_METRICS.requestFailed, scope), expression: 'rate>=0' });
    out.push({ key: selector(K6_METRICS.requestsOk, scope), expression: 'count>=0' });
    if (withDropped) out.push({ key: selector(K6_METRICS.dropped, scope), expression: 'count>=0' });
    if (withDropped && drawn) out.push({ key: selector(K6_METRICS.arrivalsDropped, scope), expression: 'count>=0' });
  };
  const drawn = plan.phases.some((p) => p.arrivals !== undefined);
  // One phase or one endpoint: its sub-metric would be a second copy of the whole metric, every
  // latency stored and sorted twice; the converter reads the whole metric (src/core/summary/sole-scope.ts).
  if (plan.phases.length > 1) for (const phase of plan.phases) add({ phase: phase.name }, true);
  if (plan.mix.length > 1) {
    for (const entry of plan.mix) {
      add({ endpoint: entry.endpoint }, false);
      out.push({ key: selector(K6_METRICS.tokens, { endpoint: entry.endpoint }), expression: 'count>=0' });
    }
  }
  return [...out, ...workloadObservers(plan)];
}

/**
 * A workload's sub-metrics: streams' TTFT of cache hits and misses apart (tag `cache`), and in
 * conversations every figure by turn (tag `turn`, src/core/plan/workload.ts).
 */
function workloadObservers(
  plan: Pick<ScenarioPlan, 'latencyMetric'> & Partial<Pick<ScenarioPlan, 'workload' | 'stream'>>,
): K6Threshold[] {
  const w = plan.workload;
  if (w == null) return [];
  const out: K6Threshold[] = [];
  const stream = plan.stream != null;
  if (stream)
    for (const cache of ['hit', 'miss']) out.push({ key: `${K6_METRICS.ttft}{cache:${cache}}`, expression: 'max>=0' });
  if (!w.conversations) return out;
  const latency = plan.latencyMetric ?? K6_METRICS.latency;
  for (const turn of turnTags(w.turns)) {
    const tag = `{turn:${turn}}`;
    out.push({ key: `${latency}${tag}`, expression: 'max>=0' });
    out.push({ key: `${K6_METRICS.requestsOk}${tag}`, expression: 'count>=0' });
    out.push({ key: `${K6_METRICS.inputReceived}${tag}`, expression: 'max>=0' });
    if (stream) {
      out.push({ key: `${K6_METRICS.ttft}${tag}`, expression: 'max>=0' });
      out.push({ key: `${K6_METRICS.itl}${tag}`, expression: 'max>=0' });
    }
  }
  return out;
}

/**
 * The `thresholds` option of the k6 script. Expressions that share a metric key are merged into one
 * array: k6 silently drops all but the last of duplicated object keys.
 */
export function k6Thresholds(
  plan: Pick<ScenarioPlan, 'phases' | 'mix' | 'gate' | 'thresholds' | 'latencyMetric'> &
    Partial<Pick<ScenarioPlan, 'workload' | 'stream'>>,
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const add = (t: K6Threshold | null): void => {
    if (t === null) return;
    const list = (out[t.key] ??= []);
    if (!list.includes(t.expression)) list.push(t.expression);
  };
  for (const tier of gatingTiers(plan.gate))
    for (const rule of plan.thresholds.rules) add(ruleThreshold(rule, tier, plan.latencyMetric));
  for (const t of observerThresholds(plan)) add(t);
  return out;
}

/**
 * What a schema cannot say about a thresholds file. Returns problems (empty when fine).
 * @param expectedScenario the file's base name, which the `scenario` field must repeat.
 * @param endpoints the endpoints a rule may name: the built-in ones, and those the scenario defines.
 */
export function checkThresholdsFile(
  file: ThresholdsFile,
  expectedScenario: string,
  endpoints: readonly string[] = BUILTIN_ENDPOINTS,
): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  if (file.scenario !== expectedScenario) {
    problems.push({
      path: '/scenario',
      expected: `'${expectedScenario}' (the file's name)`,
      found: `'${file.scenario}'`,
    });
  }
  const ids = new Set<string>();
  file.rules.forEach((rule, i) => {
    const at = `/rules/${i}`;
    if (ids.has(rule.id))
      problems.push({ path: `${at}/id`, expected: 'an id used once in the file', found: `'${rule.id}' again` });
    ids.add(rule.id);
    if (rule.endpoint !== undefined && !endpoints.includes(rule.endpoint)) {
      problems.push({
        path: `${at}/endpoint`,
        expected: `an endpoint the scenario may send to (${endpoints.join(', ')})`,
        found: `'${rule.endpoint}'`,
      });
    }
    if (rule.endpoint !== undefined && rule.phase !== undefined) {
      problems.push({
        path: at,
        expected: 'either endpoint or phase, not both',
        found: `endpoint '${rule.endpoint}' and phase '${rule.phase}'`,
      });
    }
    if (isServerSideRule(rule) && (rule.endpoint !== undefined || rule.phase !== undefined)) {
      problems.push({
        path: at,
        expected: `no endpoint or phase on ${rule.metric} ` + '(it is measured on the server over the whole scenario)',
        found: `endpoint ${rule.endpoint ?? '-'}, phase ${rule.phase ?? '-'}`,
      });
    }
    if (rule.metric === 'throughput' && rule.phase !== undefined) {
      problems.push({
        path: `${at}/phase`,
        expected: 'no phase on a throughput rule (throughput is over the whole run)',
        found: `'${rule.phase}'`,
      });
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
