/**
 * The report as Markdown for a CI step summary ($GITHUB_STEP_SUMMARY) or a pull-request comment:
 * the outcome first, one table row per scenario, then only what a reviewer must act on (failed
 * gates, errors, notes). Figures use the same 2-decimal format as report.txt (src/core/report/render.ts).
 */
import { generatorMarkdown } from './render-generator.js';
import { arrivalsMarkdown } from './render-arrivals.js';
import { telemetryMarkdown } from './render-telemetry.js';
import { workloadMarkdown } from './render-workload.js';
import type { Report, ScenarioReport, Verdict } from '../types.js';
import { K6_THRESHOLDS_CROSSED } from '../errors/exit-codes.js';
import { f2, fmtBound, fmtValue } from './render.js';
import { outagesMarkdown } from './render-outages.js';

const OUTCOME_BADGE: Record<Report['outcome'], string> = {
  passed: '✅ passed',
  failed: '❌ failed',
  error: '⚠️ error',
  interrupted: '⏹ interrupted',
};

/**
 * Free text (server errors, notes, sources) inside a table cell: `|` would end the cell and a line
 * break the row. A `<` that could open an HTML tag is escaped because GitHub would swallow the tag;
 * `< 500 ms` stays readable as it is.
 */
export function escapeCell(text: string): string {
  return escapeInline(text)
    .replace(/\|/g, '\\|')
    .replace(/\r?\n|\r/g, ' ');
}

function escapeInline(text: string): string {
  return text.replace(/&(?=[#A-Za-z0-9]+;)/g, '&amp;').replace(/<(?=[A-Za-z/!?])/g, '&lt;');
}

/** Inline code that survives backticks in the value (CommonMark: a longer fence). */
function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

/** A report made with --runs holds each scenario once per repetition. */
const label = (s: ScenarioReport): string => (s.repeat === undefined ? s.name : `${s.name} (run ${s.repeat})`);

const failedGates = (s: ScenarioReport): Verdict[] => s.verdicts.filter((v) => v.gating && !v.pass);

function verdictCell(s: ScenarioReport): string {
  if (s.status === 'error') return s.partial == null ? 'ERROR' : 'ERROR (partial)';
  const failed = failedGates(s).length;
  const status = s.status === 'interrupted' ? ' (interrupted)' : '';
  if (failed > 0) return `FAIL (${failed} failed gate${failed === 1 ? '' : 's'})${status}`;
  // outcome.ts fails the run on k6's exit code 99 even when every verdict passed.
  if (s.k6ExitCode === K6_THRESHOLDS_CROSSED) return `FAIL (k6 thresholds crossed)${status}`;
  return `PASS${status}`;
}

function scenarioTable(scenarios: readonly ScenarioReport[]): string[] {
  const lat = (s: ScenarioReport, k: 'p50' | 'p95' | 'p99'): string =>
    s.latencyMs === null ? '–' : f2(s.latencyMs[k]);
  return [
    row([
      'scenario',
      'requests',
      'failures',
      'error rate %',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'throughput req/s',
      'verdict',
    ]),
    row(['---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---']),
    ...scenarios.map((s) =>
      row([
        escapeCell(label(s)),
        String(s.totals.requests),
        String(s.totals.failures),
        s.errorRatePct === null ? 'n/a' : f2(s.errorRatePct),
        lat(s, 'p50'),
        lat(s, 'p95'),
        lat(s, 'p99'),
        f2(s.throughputRps),
        verdictCell(s),
      ]),
    ),
  ];
}

function failedGatesSection(scenarios: readonly ScenarioReport[]): string[] {
  const rows = scenarios.flatMap((s) => failedGates(s).map((v) => ({ s, v })));
  if (rows.length === 0) return [];
  return [
    '### Failed gates',
    '',
    row(['scenario', 'metric', 'scope', 'measured', 'bound', 'source']),
    row(['---', '---', '---', '---:', '---', '---']),
    ...rows.map(({ s, v }) =>
      row([
        escapeCell(label(s)),
        escapeCell(v.metric),
        escapeCell(v.scope),
        v.measured === null ? 'no data' : fmtValue(v.measured, v.unit),
        `${v.op} ${fmtBound(v.bound, v.unit)}`,
        escapeCell(v.source),
      ]),
    ),
  ];
}

function errorsSection(r: Report): string[] {
  const items = [
    ...r.scenarios
      .filter((s) => s.status === 'error')
      .map((s) => `**${escapeInline(label(s))}**: ${escapeInline(s.error ?? 'the scenario did not run')}`),
    ...r.errors.map(
      (e) => `${e.scenario === null ? '' : `**${escapeInline(e.scenario)}**: `}${escapeInline(e.message)}`,
    ),
  ];
  if (r.server.exit !== null) {
    const how =
      r.server.exit.code !== null ? `exit code ${r.server.exit.code}` : `signal ${r.server.exit.signal ?? '?'}`;
    items.push(`the server exited during the run at ${f2(r.server.exit.atSec)}s (${how})`);
  }
  if (items.length === 0) return [];
  // A multi-line message would end the list item; indenting continuation lines keeps it inside.
  return ['### Errors', '', ...items.map((i) => `- ${i.replace(/\r?\n/g, '\n  ')}`)];
}

/** Streamed scenarios: time to first token, inter-token latency, end-to-end, tokens per second. */
function streamingSection(scenarios: readonly ScenarioReport[]): string[] {
  const streamed = scenarios.filter((s) => s.streaming != null);
  if (streamed.length === 0) return [];
  const p = (l: { p50: number; p95: number; p99: number } | null | undefined): string =>
    l == null ? 'n/a' : `${f2(l.p50)} / ${f2(l.p95)} / ${f2(l.p99)}`;
  const lines = [
    '### Streaming',
    '',
    row([
      'scenario',
      'TTFT p50/p95/p99 ms',
      'ITL p50/p95/p99 ms',
      'end-to-end p50/p95/p99 ms',
      'output tokens/s (median)',
      'tokens',
    ]),
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const s of streamed) {
    const st = s.streaming!;
    const tps = st.outputTokensPerSecond === null ? 'n/a' : f2(st.outputTokensPerSecond.p50);
    lines.push(row([escapeCell(label(s)), p(st.ttftMs), p(st.itlMs), p(st.e2eMs), tps, String(st.outputTokens)]));
  }
  // The client's figures against the server's own clock and counts, where the server reported them.
  const clocked = streamed.filter((s) => s.streaming!.serverClock?.agree != null);
  if (clocked.length > 0)
    lines.push(
      '',
      ...clocked.map(
        (s) => `- **${escapeInline(label(s))}**, client vs server: ${escapeInline(s.streaming!.serverClock!.summary)}`,
      ),
    );
  return lines;
}

/** The server's process per scenario, and links to the plots (relative to the report folder). */
function serverSection(scenarios: readonly ScenarioReport[]): string[] {
  const watched = scenarios.filter((s) => s.resources != null || (s.files.plots?.length ?? 0) > 0);
  if (watched.length === 0) return [];
  const v = (n: number | null | undefined, unit: string): string => (n == null ? 'n/a' : `${f2(n)}${unit}`);
  const lines = [
    '### Server',
    '',
    '| scenario | RSS overhead | peak RSS | CPU avg (all cores) | leak (MB/1000 req) | p95 drift | plots |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const s of watched) {
    const r = s.resources;
    const plots = (s.files.plots ?? []).map((p) => `[${escapeCell(p.split('/').pop() ?? p)}](${p})`).join(' ');
    lines.push(
      row([
        escapeCell(label(s)),
        v(r?.overheadMb, ' MB'),
        v(r?.peakRssMb, ' MB'),
        v(r?.cpuAvgPctOfAllCores, '%'),
        v(r?.leak?.slopeMbPer1000Requests, ''),
        v(r?.drift?.growthMs, ' ms'),
        plots,
      ]),
    );
  }
  return lines;
}

function notesSection(scenarios: readonly ScenarioReport[]): string[] {
  const withNotes = scenarios.filter((s) => s.notes.length > 0);
  if (withNotes.length === 0) return [];
  const lines = ['### Notes'];
  for (const s of withNotes) {
    lines.push(
      '',
      `**${escapeInline(label(s))}**`,
      '',
      ...s.notes.map((n) => `- ${escapeInline(n).replace(/\r?\n/g, '\n  ')}`),
    );
  }
  return lines;
}

export function renderMarkdown(report: Report): string {
  const server = report.server;
  const target =
    `${code(server.baseUrl)}${server.managed ? ' (started by this run)' : ' (existing server)'}` +
    (server.version === null ? '' : `, server version ${code(server.version)}`);
  const k6 = report.k6 === null ? 'not resolved' : code(report.k6.version);
  const sections: string[][] = [
    [
      `## ${OUTCOME_BADGE[report.outcome]} (exit ${report.exitCode}) · ` +
        `realizar-k6 ${escapeInline(report.tool.version)}`,
      '',
      `Run ${code(report.runId)} · target ${target} · k6 ${k6} · gate: ${report.gate}`,
      '',
      `> ${escapeInline(report.machine.note)}`,
      ...(report.rebuilt == null
        ? []
        : [
            '',
            `> **Rebuilt** ${escapeInline(report.rebuilt.at)} by \`npm run report\` from what the run left on disk` +
              `${report.rebuilt.partial ? ' — **partial**' : ''}.`,
          ]),
    ],
    report.scenarios.length === 0 ? ['No scenario ran.'] : scenarioTable(report.scenarios),
    failedGatesSection(report.scenarios),
    errorsSection(report),
    outagesMarkdown(report.scenarios, label, escapeInline),
    streamingSection(report.scenarios),
    serverSection(report.scenarios),
    telemetryMarkdown(report.scenarios, label, escapeCell),
    generatorMarkdown(report.scenarios, label, escapeCell),
    arrivalsMarkdown(report.scenarios, label, escapeCell),
    workloadMarkdown(report.scenarios, label, escapeCell),
    notesSection(report.scenarios),
  ];
  return (
    sections
      .filter((s) => s.length > 0)
      .map((s) => s.join('\n'))
      .join('\n\n') + '\n'
  );
}
