/**
 * k6 summary + scenario plan → one scenario of the house report. Pure: the same inputs always give
 * the same report, which is what lets the unit tests run on summaries captured from real runs.
 *
 * Counting rules (they make the totals exact):
 * - every request sent adds exactly one sample to `request_failed`, so sent = passes + fails;
 * - open-model iterations k6 could not start (no free client) are `dropped_iterations`: never sent,
 *   counted as failures;
 * - closed-model iterations a phase never started (its time limit ran out) are `unsent`: failures too.
 */
import type {
  EndpointReport,
  K6Metric,
  K6Summary,
  Latency,
  PhaseReport,
  Rule,
  ScenarioPlan,
  ResourcesReport,
  ScenarioReport,
  ServerProfile,
  Totals,
  Verdict,
} from './model.js';
import { crossCheck } from './crosscheck.js';
import {
  K6_METRICS,
  RULE_METRICS,
  boundOf,
  gatingTiers,
  isServerSideRule,
  meets,
  ruleThreshold,
  scopeLabel,
  selector,
  type Scope,
  type Tier,
} from './thresholds.js';

export interface ConvertContext {
  /** k6's exit code (99 = thresholds crossed), or null when k6 never ran to the end. */
  k6ExitCode: number | null;
  status: ScenarioReport['status'];
  error: string | null;
  files: ScenarioReport['files'];
  /** Extra lines for the notes (e.g. that the server and k6 share the machine's cores). */
  notes?: string[];
  /** The server's process during the scenario, when it could be watched. */
  resources?: ResourcesReport | null;
  /** The server's counters before and after, when it exports them. */
  prometheus?: { profile: ServerProfile; deltas: Record<string, number | null> } | null;
}

function metric(summary: K6Summary, key: string): K6Metric | undefined {
  return summary.metrics[key];
}

function value(m: K6Metric | undefined, stat: string): number {
  return m?.values[stat] ?? 0;
}

function latencyOf(m: K6Metric | undefined): Latency {
  const samples = m?.values['count'];
  if (m === undefined || samples === undefined || samples === 0) return null;
  const v = (stat: string): number => m.values[stat] ?? 0;
  return {
    samples,
    min: v('min'),
    avg: v('avg'),
    p50: v('p(50)'),
    p90: v('p(90)'),
    p95: v('p(95)'),
    p99: v('p(99)'),
    max: v('max'),
  };
}

function pct(part: number, whole: number): number | null {
  return whole === 0 ? null : (part / whole) * 100;
}

function totalsFor(summary: K6Summary, scope: Scope, dropped: number, unsent: number): Totals {
  const failed = metric(summary, selector(K6_METRICS.requestFailed, scope));
  const failedSent = value(failed, 'passes');
  const okSent = value(failed, 'fails');
  const sent = failedSent + okSent;
  return {
    requests: sent + dropped + unsent,
    sent,
    successes: okSent,
    failures: failedSent + dropped + unsent,
    dropped,
    unsent,
  };
}

function phaseReports(plan: ScenarioPlan, summary: K6Summary): PhaseReport[] {
  return plan.phases.map((phase) => {
    const scope = { phase: phase.name };
    const dropped = value(metric(summary, selector(K6_METRICS.dropped, scope)), 'count');
    const sent = (() => {
      const m = metric(summary, selector(K6_METRICS.requestFailed, scope));
      return value(m, 'passes') + value(m, 'fails');
    })();
    // Closed phases promise a number of requests; whatever was not sent by the time limit is a failure.
    const unsent = phase.model === 'closed' ? Math.max(0, phase.requests - sent - dropped) : 0;
    const totals = totalsFor(summary, scope, dropped, unsent);
    return {
      name: phase.name,
      model: phase.model,
      clients: phase.clients,
      plannedRequests: phase.requests,
      totals,
      errorRatePct: pct(totals.failures, totals.requests),
      latencyMs: latencyOf(metric(summary, selector(plan.latencyMetric ?? K6_METRICS.latency, scope))),
    };
  });
}

function endpointReports(plan: ScenarioPlan, summary: K6Summary): EndpointReport[] {
  return plan.mix.map(({ endpoint }) => {
    const scope = { endpoint };
    const totals = totalsFor(summary, scope, 0, 0);
    return {
      name: endpoint,
      totals,
      errorRatePct: pct(totals.failures, totals.requests),
      latencyMs: latencyOf(metric(summary, selector(plan.latencyMetric ?? K6_METRICS.latency, scope))),
    };
  });
}

function sumTotals(list: readonly Totals[]): Totals {
  const zero: Totals = { requests: 0, sent: 0, successes: 0, failures: 0, dropped: 0, unsent: 0 };
  return list.reduce(
    (a, t) => ({
      requests: a.requests + t.requests,
      sent: a.sent + t.sent,
      successes: a.successes + t.successes,
      failures: a.failures + t.failures,
      dropped: a.dropped + t.dropped,
      unsent: a.unsent + t.unsent,
    }),
    zero,
  );
}

interface Figures {
  totals: Totals;
  errorRatePct: number | null;
  latencyMs: Latency;
}

function measure(
  rule: Rule,
  whole: Figures,
  durationSec: number,
  phases: PhaseReport[],
  endpoints: EndpointReport[],
  resources: ResourcesReport | null,
  summary: K6Summary,
): number | null {
  switch (rule.metric) {
    case 'ttft_p50':
    case 'ttft_p95':
    case 'ttft_p99':
    case 'itl_p50':
    case 'itl_p95':
    case 'itl_p99':
    case 'output_tokens_per_second_p50': {
      // Read as k6 computed it: these Trends have no other source than the streamed requests.
      const spec = RULE_METRICS[rule.metric];
      const m = metric(summary, selector(spec.k6Metric!, { endpoint: rule.endpoint, phase: rule.phase }));
      return m === undefined || (m.values['count'] ?? 0) === 0 ? null : (m.values[spec.stat] ?? null);
    }
    case 'memory_overhead_mb':
      return resources?.overheadMb ?? null;
    case 'cpu_avg_pct':
      return resources?.cpuAvgPctOfAllCores ?? null;
    case 'rss_growth_mb_per_1000_requests':
      return resources?.leak?.slopeMbPer1000Requests ?? null;
    case 'p95_drift_ms':
      return resources?.drift?.growthMs ?? null;
    default:
      break;
  }
  const figures: Figures | undefined =
    rule.endpoint !== undefined
      ? endpoints.find((e) => e.name === rule.endpoint)
      : rule.phase !== undefined
        ? phases.find((p) => p.name === rule.phase)
        : whole;
  if (figures === undefined) return null;
  switch (rule.metric) {
    case 'latency_p50':
      return figures.latencyMs?.p50 ?? null;
    case 'latency_p95':
      return figures.latencyMs?.p95 ?? null;
    case 'latency_p99':
      return figures.latencyMs?.p99 ?? null;
    case 'error_rate':
      return figures.errorRatePct;
    case 'throughput':
      return durationSec > 0 ? figures.totals.successes / durationSec : null;
    default:
      return null;
  }
}

function ruleVerdicts(plan: ScenarioPlan, summary: K6Summary, rules: readonly Rule[], measured: (rule: Rule) => number | null): Verdict[] {
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
      const k6Ok = threshold === null ? null : (metric(summary, threshold.key)?.thresholds?.[threshold.expression]?.ok ?? null);
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

function recoveryVerdicts(plan: ScenarioPlan, phases: PhaseReport[]): Verdict[] {
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

function checksOf(summary: K6Summary): ScenarioReport['checks'] {
  const out: ScenarioReport['checks'] = [];
  const walk = (group: K6Summary['root_group']): void => {
    for (const c of group.checks) {
      const existing = out.find((o) => o.name === c.name);
      if (existing) {
        existing.passes += c.passes;
        existing.fails += c.fails;
      } else out.push({ name: c.name, passes: c.passes, fails: c.fails });
    }
    group.groups.forEach(walk);
  };
  walk(summary.root_group);
  return out;
}

export function convertScenario(plan: ScenarioPlan, summary: K6Summary, ctx: ConvertContext): ScenarioReport {
  const durationSec = summary.state.testRunDurationMs / 1000;
  const phases = phaseReports(plan, summary);
  const endpoints = endpointReports(plan, summary);
  const totals = sumTotals(phases.map((p) => p.totals));
  const whole: Figures = {
    totals,
    errorRatePct: pct(totals.failures, totals.requests),
    latencyMs: latencyOf(metric(summary, plan.latencyMetric ?? K6_METRICS.latency)),
  };
  const resources = ctx.resources ?? null;
  const notes = [...plan.notes];
  // A server whose process is not known (another machine, --no-server without --server-pid) cannot
  // be judged on memory or CPU: its rules are left out and said so, neither passed nor failed.
  const rules = plan.thresholds.rules.filter((rule) => {
    if (!isServerSideRule(rule) || resources !== null) return true;
    notes.push(`Rule '${rule.id}' (${RULE_METRICS[rule.metric].label}) was not judged: the server's process was not watched (give --server-pid with --no-server).`);
    return false;
  });
  const verdicts = [
    ...ruleVerdicts(plan, summary, rules, (rule) => measure(rule, whole, durationSec, phases, endpoints, resources, summary)),
    ...recoveryVerdicts(plan, phases),
  ];
  const prometheus =
    ctx.prometheus == null
      ? null
      : { profile: ctx.prometheus.profile.name, deltas: ctx.prometheus.deltas, crossCheck: crossCheck(ctx.prometheus.profile, ctx.prometheus.deltas, endpoints, summary) };
  for (const c of prometheus?.crossCheck ?? []) {
    if (!c.agree) notes.push(`Server counter ${c.serverMetric} (${c.what}) disagrees with k6: ${c.note}.`);
  }

  if (totals.dropped > 0) {
    notes.push(`${totals.dropped} request(s) were due but found no free client (k6 dropped_iterations); they count as failures.`);
  }
  if (totals.unsent > 0) {
    notes.push(`${totals.unsent} request(s) were never sent before the phase's time limit; they count as failures.`);
  }
  // k6 only sees requests that were sent; the report also counts dropped and unsent ones. So the
  // report may fail what k6 passed (explained by the notes above), but when k6 crossed a threshold
  // that the report's figure meets, k6's judgement stands and is said.
  for (const v of verdicts) {
    if (v.k6Ok === false && v.measured !== null && meets(v.op, v.measured, v.bound)) {
      notes.push(`k6 judged ${v.k6Threshold} as crossed while the report's figure is ${v.measured}: k6's judgement stands.`);
    }
  }
  notes.push(...(ctx.notes ?? []));

  return {
    name: plan.scenario,
    description: plan.description,
    status: ctx.status,
    error: ctx.error,
    k6ExitCode: ctx.k6ExitCode,
    durationSec,
    totals,
    throughputRps: durationSec > 0 ? totals.successes / durationSec : 0,
    errorRatePct: whole.errorRatePct,
    successRatePct: pct(totals.successes, totals.requests),
    latencyMs: whole.latencyMs,
    endpoints,
    phases,
    checks: checksOf(summary),
    verdicts,
    notes,
    files: ctx.files,
    resources,
    prometheus,
    streaming: plan.stream == null ? null : streamingSection(plan.stream.api, summary),
  };
}

export const STREAM_METHOD =
  'Measured in a headless Chromium driven by k6 (k6/browser): fetch() reads the SSE stream and timestamps each chunk with performance.now(). ' +
  'TTFT is the arrival of the first chunk carrying a token (an empty or role-only chunk is not one); inter-token latency has one sample per token after the first, ' +
  'a chunk of k tokens after a gap g counting as k samples of g/k; end-to-end is the arrival of the last chunk; output tokens are the server\'s own count ' +
  "(Realizar's done event num_generated, OpenAI's usage) when given, else the tokens seen; tokens per second is output tokens / end-to-end time.";

function streamingSection(api: 'realizar' | 'openai', summary: K6Summary): ScenarioReport['streaming'] {
  const tps = metric(summary, K6_METRICS.tokensPerSecond);
  const tokens = metric(summary, K6_METRICS.tokens);
  const ttft = latencyOf(metric(summary, K6_METRICS.ttft));
  return {
    api,
    requests: ttft?.samples ?? 0,
    outputTokens: tokens?.values['count'] ?? 0,
    countedFrom: api === 'realizar' ? "the server's done event (num_generated)" : "the server's usage.completion_tokens when sent, else the stream's deltas",
    ttftMs: ttft,
    itlMs: latencyOf(metric(summary, K6_METRICS.itl)),
    e2eMs: latencyOf(metric(summary, K6_METRICS.e2e)),
    outputTokensPerSecond: tps === undefined || (tps.values['count'] ?? 0) === 0 ? null : { p50: tps.values['p(50)'] ?? 0, min: tps.values['min'] ?? 0, max: tps.values['max'] ?? 0 },
    method: STREAM_METHOD,
  };
}

/** A scenario that produced no summary (k6 failed to start, crashed, or the run stopped first). */
export function failedScenario(name: string, description: string, ctx: ConvertContext): ScenarioReport {
  const zero: Totals = { requests: 0, sent: 0, successes: 0, failures: 0, dropped: 0, unsent: 0 };
  return {
    name,
    description,
    status: ctx.status,
    error: ctx.error,
    k6ExitCode: ctx.k6ExitCode,
    durationSec: 0,
    totals: zero,
    throughputRps: 0,
    errorRatePct: null,
    successRatePct: null,
    latencyMs: null,
    endpoints: [],
    phases: [],
    checks: [],
    verdicts: [],
    notes: ctx.notes ?? [],
    files: ctx.files,
  };
}
