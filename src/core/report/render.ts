/**
 * The house report as text (report.txt, and what the terminal shows). Each scenario gets the seed's
 * block — same labels, order and units as the "Example Output" of the load-testing chapter — then a
 * verdict table and notes.
 */
import { arrivalsLines } from './render-arrivals.js';
import { workloadLines } from './render-workload.js';
import { crossCheckStatus } from '../scrape/crosscheck.js';
import { generatorLines } from './render-generator.js';
import { requestClockLines, serverClockLines } from './render-server-clock.js';
import { telemetryLines } from './render-telemetry.js';
import type { Latency, Report, ScenarioReport, Verdict } from '../types.js';
import { outageLines, partialLine, rebuiltLines } from './render-outages.js';

export const f2 = (n: number): string => n.toFixed(2);

function latencyLines(l: Latency): string[] {
  if (l === null) return ['Latency Percentiles:', '  (no request was sent)'];
  return [
    'Latency Percentiles:',
    `  p50: ${f2(l.p50)}ms`,
    `  p95: ${f2(l.p95)}ms`,
    `  p99: ${f2(l.p99)}ms`,
    // The seed prints max as whole milliseconds.
    `  max: ${Math.round(l.max)}ms`,
  ];
}

/** The seed's block, exactly. */
export function renderSeedBlock(s: ScenarioReport): string[] {
  return [
    '=== Load Test Results ===',
    `Total requests: ${s.totals.requests}`,
    `Successes: ${s.totals.successes}`,
    `Failures: ${s.totals.failures}`,
    `Duration: ${f2(s.durationSec)}s`,
    `Throughput: ${f2(s.throughputRps)} req/s`,
    `Error rate: ${s.errorRatePct === null ? 'n/a' : `${f2(s.errorRatePct)}%`}`,
    '',
    ...latencyLines(s.latencyMs),
  ];
}

export function fmtValue(v: number | null, unit: string): string {
  if (v === null) return 'no data';
  return unit === '' ? f2(v) : `${f2(v)} ${unit}`;
}

/** Bounds as written in the thresholds file: 200, 54.81 (not 200.00). */
export function fmtBound(v: number, unit: string): string {
  const n = String(Number(v.toFixed(2)));
  return unit === '' ? n : `${n} ${unit}`;
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => `  ${r.map((c, i) => c.padEnd(widths[i]!)).join('  ')}`.trimEnd());
}

export function renderVerdicts(verdicts: readonly Verdict[]): string[] {
  if (verdicts.length === 0) return [];
  const rows = [['verdict', 'scope', 'tier', 'bound', 'measured', 'result']];
  for (const v of verdicts) {
    rows.push([
      v.metric,
      v.scope,
      v.gating ? `${v.tier} (gate)` : v.tier,
      `${v.op} ${fmtBound(v.bound, v.unit)}`,
      fmtValue(v.measured, v.unit),
      v.pass ? 'PASS' : 'FAIL',
    ]);
  }
  return table(rows);
}

function breakdown(s: ScenarioReport): string[] {
  const lines: string[] = [];
  const row = (kind: string, name: string, t: ScenarioReport['totals'], err: number | null, l: Latency): string[] => [
    kind,
    name,
    String(t.requests),
    String(t.failures),
    err === null ? 'n/a' : `${f2(err)}%`,
    l === null ? '-' : `${f2(l.p50)}`,
    l === null ? '-' : `${f2(l.p95)}`,
    l === null ? '-' : `${f2(l.p99)}`,
  ];
  const rows = [['', '', 'requests', 'failures', 'errors', 'p50 ms', 'p95 ms', 'p99 ms']];
  if (s.phases.length > 1)
    for (const p of s.phases) rows.push(row('phase', p.name, p.totals, p.errorRatePct, p.latencyMs));
  if (s.endpoints.length > 1)
    for (const e of s.endpoints) rows.push(row('endpoint', e.name, e.totals, e.errorRatePct, e.latencyMs));
  if (rows.length > 1) lines.push('Breakdown:', ...table(rows));
  return lines;
}

function streamingLines(s: ScenarioReport): string[] {
  const st = s.streaming;
  if (st == null) return [];
  const row = (label: string, l: Latency): string =>
    l === null
      ? `  ${label}: no sample`
      : `  ${label}: p50 ${f2(l.p50)}ms, p95 ${f2(l.p95)}ms, p99 ${f2(l.p99)}ms, ` +
        `max ${f2(l.max)}ms (${l.samples} samples)`;
  const tps = st.outputTokensPerSecond;
  return [
    `Streaming (${st.api} events, ${st.requests} streams with tokens, ` +
      `${st.outputTokens} output tokens counted from ${st.countedFrom}):`,
    row('time to first token', st.ttftMs),
    row('inter-token latency', st.itlMs),
    row('end-to-end', st.e2eMs),
    tps === null
      ? '  output tokens per second: no sample'
      : `  output tokens per second: median ${f2(tps.p50)} (min ${f2(tps.min)}, max ${f2(tps.max)})`,
    ...(st.windowSec == null
      ? []
      : [
          `  measured window: ${f2(st.windowSec)} s; output tokens per second over it: ` +
            `${st.outputTokensPerSecondTotal == null ? 'n/a' : f2(st.outputTokensPerSecondTotal)} in total`,
        ]),
    ...(st.sendWaitMs == null
      ? []
      : [
          "  browser send wait (the client's own queue, in no figure above): " +
            `p50 ${f2(st.sendWaitMs.p50)}ms, p95 ${f2(st.sendWaitMs.p95)}ms`,
        ]),
    ...(st.startLateMs == null
      ? []
      : [
          '  open model, requests written after their due time: ' +
            `p50 ${f2(st.startLateMs.p50)}ms, p95 ${f2(st.startLateMs.p95)}ms, max ${f2(st.startLateMs.max)}ms`,
        ]),
    `  how: ${st.method}`,
    ...serverClockLines(st.serverClock, s.measurementFloor),
  ];
}

function serverLines(s: ScenarioReport): string[] {
  const lines: string[] = [];
  const r = s.resources;
  const mb = (v: number | null): string => (v === null ? 'n/a' : `${f2(v)} MB`);
  const pct = (v: number | null): string => (v === null ? 'n/a' : `${f2(v)}%`);
  if (r != null) {
    lines.push(`Server process (${r.target}, ${r.samples} samples every ${r.intervalMs} ms during the load):`);
    lines.push(
      `  memory: baseline ${mb(r.baselineRssMb)}, peak ${mb(r.peakRssMb)}, ` +
        `final ${mb(r.finalRssMb)}, overhead ${mb(r.overheadMb)}`,
    );
    lines.push(
      `  CPU: average ${pct(r.cpuAvgPctOfOneCore)} of one core ` +
        `(${pct(r.cpuAvgPctOfAllCores)} of all ${r.cores} cores), peak ${pct(r.cpuPeakPctOfOneCore)} of one core`,
    );
    if (r.leak !== null) lines.push(`  leak check: ${r.leak.reason}`);
    if (r.drift !== null) {
      lines.push(
        `  latency drift: p95 ${f2(r.drift.firstP95Ms)} ms in the first third, ` +
          `${f2(r.drift.lastP95Ms)} ms in the last ` +
          `(${r.drift.growthMs >= 0 ? '+' : ''}${f2(r.drift.growthMs)} ms)`,
      );
    }
  }
  const p = s.prometheus;
  if (p != null && p.crossCheck.length > 0) {
    lines.push(`Server counters (${p.profile} profile, GET /metrics before and after):`);
    for (const c of p.crossCheck)
      lines.push(
        `  ${c.serverMetric} (${c.what}): server ${c.serverDelta ?? 'n/a'}, k6 ${c.k6Count} - ${crossCheckStatus(c)}`,
      );
  }
  if (s.files.plots !== undefined && s.files.plots.length > 0) lines.push(`Plots: ${s.files.plots.join(', ')}`);
  return lines;
}

export function renderScenario(s: ScenarioReport): string {
  const lines = [`--- ${s.name}${s.repeat === undefined ? '' : ` (run ${s.repeat})`}: ${s.description} ---`];
  if (s.status === 'error') lines.push(`ERROR: ${s.error ?? 'the scenario did not run'}`);
  if (s.status === 'interrupted')
    lines.push('INTERRUPTED: the run was stopped; figures cover what was measured until then.');
  lines.push(...partialLine(s));
  lines.push(...renderSeedBlock(s));
  if (s.totals.dropped + s.totals.unsent > 0) {
    lines.push(`  (of the failures: ${s.totals.dropped} dropped, ${s.totals.unsent} never sent)`);
  }
  const bd = breakdown(s);
  if (bd.length > 0) lines.push('', ...bd);
  const streaming = streamingLines(s);
  if (streaming.length > 0) lines.push('', ...streaming);
  const joined = requestClockLines(s.requestClock);
  if (joined.length > 0) lines.push('', ...joined);
  const arrivals = arrivalsLines(s);
  if (arrivals.length > 0) lines.push('', ...arrivals);
  const workload = workloadLines(s);
  if (workload.length > 0) lines.push('', ...workload);
  const server = serverLines(s);
  if (server.length > 0) lines.push('', ...server);
  const telemetry = telemetryLines(s);
  if (telemetry.length > 0) lines.push('', ...telemetry);
  const generator = generatorLines(s);
  if (generator.length > 0) lines.push('', ...generator);
  const outages = outageLines(s);
  if (outages.length > 0) lines.push('', ...outages);
  const failedChecks = s.checks.filter((c) => c.fails > 0);
  if (failedChecks.length > 0) {
    lines.push('', 'Failed checks:', ...failedChecks.map((c) => `  ${c.name}: ${c.fails} of ${c.passes + c.fails}`));
  }
  if (s.verdicts.length > 0) lines.push('', 'Verdicts:', ...renderVerdicts(s.verdicts));
  if (s.notes.length > 0) lines.push('', 'Notes:', ...s.notes.map((n) => `  - ${n}`));
  return lines.join('\n');
}

export function renderReport(r: Report): string {
  const head = [
    `realizar-k6 ${r.tool.version} · run ${r.runId}`,
    `target: ${r.server.baseUrl}` +
      (r.server.managed ? ` (started by this run: ${r.server.command ?? ''})` : ' (existing server)') +
      (r.server.version === null ? '' : ` · server version ${r.server.version}`),
    `k6: ${r.k6 === null ? 'not resolved' : `${r.k6.version} (${r.k6.origin}: ${r.k6.path})`} · gate: ${r.gate}`,
    `machine: ${r.machine.note}`,
  ];
  if (typeof r.dashboard === 'string') head.push(`k6 web dashboard: ${r.dashboard}`);
  head.push(...rebuiltLines(r));
  if (r.server.exit !== null) {
    const exit = r.server.exit;
    const how = exit.code !== null ? `exit code ${exit.code}` : `signal ${exit.signal ?? '?'}`;
    head.push(`SERVER EXITED during the run at ${f2(exit.atSec)}s (${how})`);
  }
  const body = r.scenarios.map(renderScenario);
  const tail = [...r.errors.map((e) => `ERROR${e.scenario === null ? '' : ` (${e.scenario})`}: ${e.message}`)];
  tail.push(`=== Outcome: ${r.outcome.toUpperCase()} (exit ${r.exitCode}) ===`);
  return [head.join('\n'), ...body, tail.join('\n')].join('\n\n') + '\n';
}
