/**
 * Judging, apart from counting (src/core/summary/convert.ts counts): each rule's figure is measured by its
 * metric's own entry in RULE_METRICS (src/core/rules/metrics.ts), which the compiler keeps exhaustive,
 * then compared with each tier's bound; k6's own verdict on a gating threshold stands when it
 * says crossed. Pure.
 */
import type {
  EndpointReport,
  K6Metric,
  K6Summary,
  Latency,
  PhaseReport,
  ResourcesReport,
  Rule,
  ScenarioPlan,
  TelemetryReport,
  Totals,
  Verdict,
} from '../types.js';
import { RULE_METRICS } from './metrics.js';
import { boundOf, gatingTiers, meets, ruleThreshold, scopeLabel, selector, type Tier } from './thresholds.js';

export interface Figures {
  totals: Totals;
  errorRatePct: number | null;
  latencyMs: Latency;
}

function metric(summary: K6Summary, key: string): K6Metric | undefined {
  return summary.metrics[key];
}

/** What a rule is measured on: the scenario's figures, per phase and endpoint, and the server's process. */
export interface Measured {
  whole: Figures;
  phases: readonly PhaseReport[];
  endpoints: readonly EndpointReport[];
  durationSec: number;
  resources: ResourcesReport | null;
  /** The server's own metrics over time, when they were scraped. */
  telemetry?: TelemetryReport | null;
  summary: K6Summary;
}

/** The figure a rule is judged on, or null when nothing was measured for it. */
export function measureRule(rule: Rule, m: Measured): number | null {
  const figures: Figures | null =
    (rule.endpoint !== undefined
      ? m.endpoints.find((e) => e.name === rule.endpoint)
      : rule.phase !== undefined
        ? m.phases.find((p) => p.name === rule.phase)
        : m.whole) ?? null;
  return RULE_METRICS[rule.metric].measure({
    figures,
    durationSec: m.durationSec,
    resources: m.resources,
    telemetry: m.telemetry ?? null,
    trend: (k6Metric, stat) => {
      const t = metric(m.summary, selector(k6Metric, { endpoint: rule.endpoint, phase: rule.phase }));
      return t === undefined || (t.values['count'] ?? 0) === 0 ? null : (t.values[stat] ?? null);
    },
    value: (k6Metric, stat) =>
      metric(m.summary, selector(k6Metric, { endpoint: rule.endpoint, phase: rule.phase }))?.values[stat] ?? null,
  });
}

export function ruleVerdicts(
  plan: ScenarioPlan,
  summary: K6Summary,
  rules: readonly Rule[],
  measured: (rule: Rule) => number | null,
): Verdict[] {
  const gating = new Set<Tier>(gatingTiers(plan.gate));
  const verdicts: Verdict[] = [];
  for (const rule of rules) {
    for (const tier of ['acceptable', 'target'] as const) {
      const bound = boundOf(rule, tier);
      if (bound === undefined) continue;
      const spec = RULE_METRICS[rule.metric];
      const value = measured(rule);
      const isGating = gating.has(tier);
      const threshold = isGating ? ruleThreshold(rule, tier, plan.latencyMetric) : null;
      const k6Ok =
        threshold === null ? null : (metric(summary, threshold.key)?.thresholds?.[threshold.expression]?.ok ?? null);
      const ownPass = value !== null && meets(spec.op, value, bound);
      verdicts.push({
        id: `${rule.id}.${tier}`,
        tier,
        metric: spec.label,
        scope: scopeLabel({ endpoint: rule.endpoint, phase: rule.phase }),
        op: spec.op,
        bound,
        measured: value,
        unit: spec.unit,
        // k6 evaluated the gating thresholds itself; when it says crossed, that stands.
        pass: ownPass && k6Ok !== false,
        gating: isGating,
        source: rule.source,
        k6Threshold: threshold === null ? null : `${threshold.key}: ${threshold.expression}`,
        k6Ok,
      });
    }
  }
  return verdicts;
}

export function recoveryVerdicts(plan: ScenarioPlan, phases: PhaseReport[]): Verdict[] {
  const rec = plan.thresholds.recovery;
  if (rec === undefined) return [];
  const base = phases.find((p) => p.name === rec.baselinePhase);
  const after = phases.find((p) => p.name === rec.recoveryPhase);
  const basisP95 = base?.latencyMs?.p95;
  const latencyBound = basisP95 === undefined ? null : basisP95 * rec.p95Ratio + rec.p95SlackMs;
  const afterP95 = after?.latencyMs?.p95 ?? null;
  const errorBound = base?.errorRatePct == null ? null : base.errorRatePct + rec.errorRateSlackPct;
  const afterErrors = after?.errorRatePct ?? null;
  const common = { tier: 'acceptable' as const, gating: true, source: rec.source, k6Threshold: null, k6Ok: null };
  return [
    {
      ...common,
      id: 'recovery.latency.acceptable',
      metric: `p95 latency back to baseline (${rec.p95Ratio}x + ${rec.p95SlackMs} ms)`,
      scope: `phase ${rec.recoveryPhase}`,
      op: '<=',
      bound: latencyBound ?? 0,
      measured: afterP95,
      unit: 'ms',
      pass: latencyBound !== null && afterP95 !== null && meets('<=', afterP95, latencyBound),
    },
    {
      ...common,
      id: 'recovery.errors.acceptable',
      metric: `error rate back to baseline (+${rec.errorRateSlackPct} points)`,
      scope: `phase ${rec.recoveryPhase}`,
      op: '<=',
      bound: errorBound ?? 0,
      measured: afterErrors,
      unit: '%',
      pass: errorBound !== null && afterErrors !== null && meets('<=', afterErrors, errorBound),
    },
  ];
}
