/**
 * k6 summary + scenario plan → one scenario of the house report. Pure: the same inputs always give
 * the same report, which is what lets the unit tests run on summaries captured from real runs.
 *
 * Counting rules (they make the totals exact):
 * - every request sent adds exactly one sample to `request_failed`, so sent = passes + fails;
 * - open-model iterations k6 could not start (no free client) are `dropped_iterations`: never sent,
 *   counted as failures;
 * - planned requests a phase never started (a closed phase's time limit ran out, or an open phase's
 *   end came while k6's scheduler ran late) are `unsent`: failures too.
 */
import type {
  EndpointReport,
  GeneratorReport,
  K6Summary,
  PhaseReport,
  ScenarioPlan,
  ResourcesReport,
  ScenarioReport,
  ServerProfile,
  TelemetryReport,
  Totals,
} from '../types.js';
import { crossCheck, crossCheckStatus } from '../scrape/crosscheck.js';
import { droppedIn, latencyOf, metric, value } from './summary-read.js';
import { arrivalsSection, goodputSection } from './convert-arrivals.js';
import { workloadSection } from './convert-workload.js';
import { streamingSection } from './convert-stream.js';
import { requestClockSection } from '../stream/request-clock-report.js';
import { withSoleScopes } from './sole-scope.js';
import { measureRule, recoveryVerdicts, ruleVerdicts, type Figures } from '../rules/judge.js';
import { K6_METRICS } from '../rules/metric-table.js';
import { meets, selector, type Scope } from '../rules/thresholds.js';
import { whyUnjudged } from '../rules/unjudged.js';

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
  /** What k6 and its browser cost while they ran (src/core/watch/generator.ts). */
  generator?: GeneratorReport | null;
  /** The server's own metrics over time, when they were scraped (src/core/scrape/telemetry.ts). */
  telemetry?: TelemetryReport | null;
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
    const sent = (() => {
      const m = metric(summary, selector(K6_METRICS.requestFailed, scope));
      return value(m, 'passes') + value(m, 'fails');
    })();
    // k6 may count as dropped an iteration falling due just past an open phase's end (its
    // scheduling loop ran late): the plan never had that request (src/k6/lib/open-guard.ts).
    // A phase on its own schedule (--arrivals, --trace) counts its drops itself (arrivals_dropped).
    const k6Dropped = droppedIn(summary, scope);
    const dropped = phase.model === 'open' ? Math.min(k6Dropped, Math.max(0, phase.requests - sent)) : k6Dropped;
    // A phase promises a number of requests; whatever was neither sent nor dropped is a failure
    // (closed: the time limit ran out; open: k6's loop, running late, reached the end first).
    const unsent = Math.max(0, phase.requests - sent - dropped);
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

export function convertScenario(plan: ScenarioPlan, k6Summary: K6Summary, ctx: ConvertContext): ScenarioReport {
  // One phase or one endpoint: its sub-metrics are the whole metrics (src/core/summary/sole-scope.ts).
  const summary = withSoleScopes(plan, k6Summary);
  // A streamed scenario measures its own window (first request sent → last stream ended): k6's run
  // duration also holds the browser's start and the page's set-up, which are no part of the load.
  const streamWindowMs = plan.stream == null ? 0 : value(metric(summary, K6_METRICS.streamWindowMs), 'count');
  const durationSec = streamWindowMs > 0 ? streamWindowMs / 1000 : summary.state.testRunDurationMs / 1000;
  const phases = phaseReports(plan, summary);
  const endpoints = endpointReports(plan, summary);
  const totals = sumTotals(phases.map((p) => p.totals));
  const whole: Figures = {
    totals,
    errorRatePct: pct(totals.failures, totals.requests),
    latencyMs: latencyOf(metric(summary, plan.latencyMetric ?? K6_METRICS.latency)),
  };
  const resources = ctx.resources ?? null;
  const telemetry = ctx.telemetry ?? null;
  const notes = [...plan.notes];
  // A server whose process is not known (another machine, --no-server without --server-pid) cannot
  // be judged on memory or CPU, nor one whose metrics were not scraped on its queue or KV cache: such
  // rules are left out and said so, neither passed nor failed.
  const rules = plan.thresholds.rules.filter((rule) => {
    const why = whyUnjudged(rule, { resources, telemetry });
    if (why !== null) notes.push(why);
    return why === null;
  });
  const verdicts = [
    ...ruleVerdicts(plan, summary, rules, (rule) =>
      measureRule(rule, { whole, phases, endpoints, durationSec, resources, telemetry, summary }),
    ),
    ...recoveryVerdicts(plan, phases),
  ];
  const prometheus =
    ctx.prometheus == null
      ? null
      : {
          profile: ctx.prometheus.profile.name,
          deltas: ctx.prometheus.deltas,
          crossCheck: crossCheck(ctx.prometheus.profile, ctx.prometheus.deltas, endpoints, summary),
        };
  for (const c of prometheus?.crossCheck ?? []) {
    const status = crossCheckStatus(c);
    if (status === 'DISAGREE') notes.push(`Server counter ${c.serverMetric} (${c.what}) disagrees with k6: ${c.note}.`);
    if (status === 'not exported')
      notes.push(
        `Server counter ${c.serverMetric} (${c.what}) is not exported by this server, so it was not compared.`,
      );
  }

  if (totals.dropped > 0) {
    notes.push(
      `${totals.dropped} request(s) were due but found no free client (k6 dropped_iterations, or ` +
        'arrivals_dropped on a drawn schedule); they count as failures.',
    );
  }
  if (totals.unsent > 0) {
    // Not always the time limit: a phase whose own code threw stops sending too (its note says so).
    notes.push(
      `${totals.unsent} request(s) were never sent: their phase ended first, at its time limit or because its ` +
        'code stopped; they count as failures.',
    );
  }
  // k6 only sees requests that were sent; the report also counts dropped and unsent ones. So the
  // report may fail what k6 passed (explained by the notes above), but when k6 crossed a threshold
  // that the report's figure meets, k6's judgement stands and is said.
  for (const v of verdicts) {
    if (v.k6Ok === false && v.measured !== null && meets(v.op, v.measured, v.bound)) {
      notes.push(
        `k6 judged ${v.k6Threshold} as crossed while the report's figure is ${v.measured}: k6's judgement stands.`,
      );
    }
  }
  if (streamWindowMs > 0) {
    notes.push(
      `Duration and throughput are over the measured window of ${(streamWindowMs / 1000).toFixed(2)} s ` +
        `(first request sent to last stream ended); k6 ran ${(summary.state.testRunDurationMs / 1000).toFixed(2)} s ` +
        "in all, the rest being the browser's start and the page's set-up.",
    );
  }
  const streaming = plan.stream == null ? null : streamingSection(plan.stream.api, summary, streamWindowMs);
  if (streaming?.serverClock?.agree === false)
    notes.push(`Streams against the server's own clock: ${streaming.serverClock.summary}.`);
  if (plan.stream != null && value(metric(summary, K6_METRICS.streamReadInPage), 'count') > 0) {
    notes.push(
      "The streams were read in the page's frames themselves, their workers having failed to start (see k6.log): " +
        "k6's DevTools instrumentation of the page then costs about twice the CPU per stream, " +
        'so readings are later on a busy machine.',
    );
  }
  if (ctx.generator?.warning != null) notes.push(ctx.generator.warning);
  notes.push(...(ctx.notes ?? []));
  const requestClock = plan.stream == null ? requestClockSection(summary) : null;

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
    streaming,
    ...(requestClock === null ? {} : { requestClock }),
    generator: ctx.generator ?? null,
    arrivals: arrivalsSection(plan, summary),
    goodput: goodputSection(plan, summary, totals, durationSec),
    ...(telemetry === null ? {} : { telemetry }),
    workload: workloadSection(plan, summary),
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
