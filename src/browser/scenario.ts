/**
 * One scenario of a run on the page: its chapter block and verdicts first (pass or fail at a glance),
 * then its charts over time and its distributions, then the tables — streams, outages, the server's
 * counters against k6's, its series, the load generator's own cost — and its notes. Sections of the
 * report this page does not know yet are shown as they are, so nothing the report holds is hidden.
 */
import { renderSeedBlock } from '../core/report/render.js';
import { scrapeCostLine } from '../core/report/render-telemetry.js';
import { crossCheckStatus } from '../core/scrape/crosscheck.js';
import type { Latency, ScenarioReport, Verdict } from '../core/types.js';
import { badge, fileLink, h, namedSection, num, section, table } from './dom.js';
import { distributionCharts, overTimeCharts } from './over-time.js';

/** What this page shows itself; any other field of a scenario is shown as data (see `moreSections`). */
const SHOWN = new Set([
  'name',
  'description',
  'status',
  'error',
  'k6ExitCode',
  'durationSec',
  'totals',
  'throughputRps',
  'errorRatePct',
  'successRatePct',
  'latencyMs',
  'endpoints',
  'phases',
  'checks',
  'verdicts',
  'notes',
  'files',
  'repeat',
  'resources',
  'prometheus',
  'partial',
  'timeline',
  'streaming',
  'generator',
  'telemetry',
  'latencyDetail',
  'startedAt',
]);

export const scenarioLabel = (s: ScenarioReport): string =>
  s.repeat === undefined ? s.name : `${s.name} (run ${s.repeat})`;

export function verdictTable(verdicts: readonly Verdict[]): HTMLElement {
  if (verdicts.length === 0) return h('p', { class: 'muted' }, 'No verdicts: this scenario has no rules.');
  return table(
    [
      ['', 'verdict', 'scope', 'tier', 'bound', 'measured'],
      ...verdicts.map((v) => [
        badge(v.pass ? 'PASS' : 'FAIL', v.pass ? 'pass' : v.gating ? 'fail' : 'warn'),
        v.metric,
        v.scope,
        v.gating ? `${v.tier} (gate)` : v.tier,
        `${v.op} ${num(v.bound, v.unit)}`,
        v.measured === null ? 'no data' : num(v.measured, v.unit),
      ]),
    ],
    'verdicts',
  );
}

const latencyCells = (l: Latency): string[] =>
  l === null ? ['-', '-', '-', '-', '0'] : [num(l.p50), num(l.p95), num(l.p99), num(l.max), String(l.samples)];

function streamingPart(s: ScenarioReport): HTMLElement | null {
  const st = s.streaming;
  if (st == null) return null;
  const rows = [
    ['figure', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'samples'],
    ['time to first token', ...latencyCells(st.ttftMs)],
    ['inter-token latency', ...latencyCells(st.itlMs)],
    ['end-to-end', ...latencyCells(st.e2eMs)],
  ];
  const tps = st.outputTokensPerSecond;
  return section(
    'Streams',
    h(
      'p',
      {},
      `${st.requests} streams with tokens, ${st.outputTokens} output tokens (counted from ${st.countedFrom}).`,
    ),
    table(rows),
    tps === null
      ? null
      : h(
          'p',
          {},
          `Output tokens per second of a stream: median ${num(tps.p50)} (min ${num(tps.min)}, max ${num(tps.max)}).`,
        ),
    h('p', { class: 'muted' }, st.method),
  );
}

function outagesPart(s: ScenarioReport): HTMLElement | null {
  const t = s.timeline;
  if (t == null) return null;
  if (t.outages.length === 0)
    return section('Outages', h('p', {}, `None: no run of failures lasting ${t.outageMinSec} s or more.`));
  return section(
    'Outages',
    table([
      ['from (s)', 'last failure (s)', 'failed requests', 'recovered at (s)', 'time to recover'],
      ...t.outages.map((o) => [
        num(o.startSec),
        num(o.lastFailureSec),
        String(o.failures),
        o.recoveredAtSec === null ? 'not before the end' : num(o.recoveredAtSec),
        o.timeToRecoverSec === null ? '-' : num(o.timeToRecoverSec, 's'),
      ]),
    ]),
  );
}

function serverPart(s: ScenarioReport): HTMLElement | null {
  const parts: Array<HTMLElement | null> = [];
  const r = s.resources;
  if (r != null)
    parts.push(
      h(
        'p',
        {},
        `Process (${r.target}): memory ${num(r.baselineRssMb, 'MB')} before the load, peak ${num(r.peakRssMb, 'MB')} ` +
          `(+${num(r.overheadMb, 'MB')}); CPU ${num(r.cpuAvgPctOfOneCore)}% of one core on average, peak ` +
          `${num(r.cpuPeakPctOfOneCore)}%.` +
          (r.leak === null ? '' : ` Leak check: ${r.leak.reason}.`),
      ),
    );
  const p = s.prometheus;
  if (p != null && p.crossCheck.length > 0)
    parts.push(
      h('h4', {}, `Counters against k6's counts (${p.profile} profile, GET /metrics before and after)`),
      table([
        ['', 'server counter', 'counts', 'server', 'k6', 'note'],
        ...p.crossCheck.map((c) => {
          const status = crossCheckStatus(c);
          return [
            badge(status, status === 'agree' ? 'pass' : status === 'DISAGREE' ? 'fail' : 'muted'),
            c.serverMetric,
            c.what,
            c.serverDelta === null ? 'n/a' : String(c.serverDelta),
            String(c.k6Count),
            c.note,
          ];
        }),
      ]),
    );
  const t = s.telemetry;
  if (t != null) {
    const sc = t.scrapes;
    parts.push(
      h('h4', {}, `Series over time (${t.profile} profile, scraped every ${t.intervalSec} s)`),
      h(
        'p',
        {},
        `${sc.attempted} scrapes, `,
        badge(`${sc.failed} failed`, sc.failed === 0 ? 'pass' : 'warn'),
        sc.meanMs === null ? '' : `; ${num(sc.meanMs, 'ms')} each on average, at most ${num(sc.maxMs, 'ms')}`,
        sc.lastFailure === null ? '' : `; the last failure: ${sc.lastFailure}`,
        `. ${scrapeCostLine(t)[0]!.toUpperCase()}${scrapeCostLine(t).slice(1)}.`,
      ),
      table([
        ['series', 'from', 'highest', 'mean', 'values', 'what it is'],
        ...t.series.map((x) => [
          x.label,
          x.name,
          num(x.max, x.unit),
          num(x.mean, x.unit),
          String(x.samples),
          x.note ?? '',
        ]),
      ]),
      t.notExported.length === 0
        ? null
        : h('p', { class: 'muted' }, `Not exported by this server: ${t.notExported.join(', ')}.`),
    );
  }
  const shown = parts.filter((x): x is HTMLElement => x !== null);
  return shown.length === 0 ? null : section('Server', ...shown);
}

function generatorPart(s: ScenarioReport): HTMLElement | null {
  const g = s.generator;
  if (g == null) return null;
  return section(
    'Load generator (k6 and its browser)',
    table([
      ['', 'CPU s', 'peak MB', 'during the load'],
      ['k6', num(g.k6.cpuSec), num(g.k6.peakMemMb), `${num(g.loadCpuPctOfOneCore)}% of one core (k6 and browser)`],
      ...(g.browser === null
        ? []
        : [['browser', num(g.browser.cpuSec), num(g.browser.peakMemMb), `${g.browser.processes} processes`]]),
    ]),
    h(
      'p',
      {},
      `Waiting for a CPU ${num(g.runQueueWaitPct)}% of the load's time; machine ${num(g.machineBusyPct)}% busy. `,
      g.shortOfCpu ? badge('SHORT OF CPU', 'fail') : badge('enough CPU', 'pass'),
      g.warning === null ? '' : ` ${g.warning}`,
    ),
  );
}

function filesPart(s: ScenarioReport): HTMLElement | null {
  const f = s.files;
  const links = [
    ...(typeof f.dashboard === 'string' ? [fileLink(f.dashboard, "k6's web dashboard")] : []),
    ...(f.summary === null ? [] : [fileLink(f.summary, "k6's summary")]),
    ...(f.plan === null ? [] : [fileLink(f.plan, 'the plan')]),
    ...(f.plots ?? []).map((p) => fileLink(p, p.split('/').pop() ?? p)),
  ];
  if (links.length === 0) return null;
  return h('p', { class: 'files' }, 'Files: ', ...links.flatMap((l, i) => (i === 0 ? [l] : [' · ', l])));
}

/** Fields of the report this page has no view of: shown as data rather than left out. */
function moreSections(s: ScenarioReport): HTMLElement[] {
  return Object.entries(s)
    .filter(([k, v]) => !SHOWN.has(k) && v !== null && v !== undefined)
    .map(([k, v]) => h('details', { class: 'more' }, h('summary', {}, k), h('pre', {}, JSON.stringify(v, null, 2))));
}

export function scenarioSection(s: ScenarioReport, id: string, runStartMs: number): HTMLElement {
  const status =
    s.status === 'error' ? badge('ERROR', 'fail') : s.status === 'interrupted' ? badge('INTERRUPTED', 'warn') : null;
  const failed = s.verdicts.filter((v) => v.gating && !v.pass).length;
  const overTime = overTimeCharts(s, id, runStartMs);
  const distributions = distributionCharts(s, id);
  return h(
    'section',
    { class: 'scenario', id },
    h(
      'h2',
      {},
      badge(failed > 0 ? `${failed} FAILED` : 'PASSED', failed > 0 ? 'fail' : 'pass'),
      ' ',
      scenarioLabel(s),
      ' ',
      status,
      h('span', { class: 'description' }, s.description),
    ),
    s.error === null ? null : h('p', { class: 'error' }, s.error),
    s.partial == null ? null : h('p', { class: 'warning' }, `Partial: ${s.partial}`),
    h(
      'div',
      { class: 'columns' },
      h('pre', { class: 'chapter' }, renderSeedBlock(s).join('\n')),
      verdictTable(s.verdicts),
    ),
    overTime.length === 0
      ? null
      : namedSection(
          'over-time',
          'Over time (phases shaded, outages in red; the cursor moves every chart)',
          ...overTime,
        ),
    distributions.length === 0 ? null : section('Distributions', h('div', { class: 'grid' }, ...distributions)),
    streamingPart(s),
    outagesPart(s),
    serverPart(s),
    generatorPart(s),
    s.notes.length === 0 ? null : section('Notes', h('ul', {}, ...s.notes.map((n) => h('li', {}, n)))),
    ...moreSections(s),
    filesPart(s),
  );
}
