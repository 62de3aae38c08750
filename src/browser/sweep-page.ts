/**
 * A sweep's page: its result (the goodput), and the curves — latency (or TTFT, ITL and end-to-end
 * time for streams), throughput and errors against the offered rate or the concurrency — with the
 * goodput marked, then every step.
 */
import type { SweepReport, SweepStep } from '../core/types.js';
import { chart, COLORS, type Line } from './charts.js';
import { badge, h, num, section, table } from './dom.js';

type Pick = (s: SweepStep) => number | null | undefined;

export function sweepPage(w: SweepReport): HTMLElement[] {
  const overConcurrency = w.over === 'concurrency';
  const xOf = (s: SweepStep): number => (overConcurrency ? (s.concurrency ?? 0) : s.rateRps);
  const steps = [...w.steps].sort((a, b) => xOf(a) - xOf(b));
  const x = steps.map(xOf);
  const xLabel = overConcurrency ? 'concurrent clients' : 'offered rate (req/s)';
  const line = (label: string, pick: Pick, color: string): Line => ({
    label,
    x,
    y: steps.map((s) => pick(s) ?? null),
    color,
  });
  const goodput = overConcurrency ? w.goodputConcurrency : w.goodputRps;
  // Levels double, so a logarithmic axis spaces them evenly; it spans the levels run, not whole decades.
  const log = overConcurrency && x.length > 1 && x[0]! > 0;
  const xAxis = log ? { xLog: true, xRange: [x[0]!, x[x.length - 1]!] as [number, number], xTicks: x } : {};
  const markers =
    goodput == null ? [] : [{ x: goodput, label: `goodput ${goodput}${overConcurrency ? ' clients' : ' req/s'}` }];
  const curve = (id: string, title: string, yLabel: string, lines: Line[]): HTMLElement | null =>
    chart({
      id: `sweep-${id}`,
      title,
      xLabel,
      yLabel,
      lines,
      markers,
      ...xAxis,
    });
  const streamed = steps.some((s) => s.streamMs !== undefined);
  const stats = (what: string, get: (s: SweepStep) => SweepStep['latencyMs'] | undefined): HTMLElement | null =>
    curve(
      what.replace(/\W+/g, '-'),
      `${what[0]!.toUpperCase()}${what.slice(1)} against ${overConcurrency ? 'concurrency' : 'the offered rate'}`,
      'ms',
      [
        line('p50', (s) => get(s)?.p50, COLORS.p50),
        line('p95', (s) => get(s)?.p95, COLORS.p95),
        line('p99', (s) => get(s)?.p99, COLORS.p99),
      ],
    );
  const charts = [
    ...(streamed
      ? [
          stats('time to first token', (s) => s.streamMs?.ttft),
          stats('inter-token latency', (s) => s.streamMs?.itl),
          stats('end-to-end time', (s) => s.streamMs?.e2e ?? s.latencyMs),
        ]
      : [stats('latency', (s) => s.latencyMs)]),
    curve('throughput', 'Throughput: requests per second achieved', 'req/s', [
      line(
        'achieved',
        (s) => (overConcurrency ? s.rateRps : w.stepSec > 0 ? (s.requests - s.failures) / w.stepSec : null),
        COLORS.ok,
      ),
      ...(overConcurrency ? [] : [line('offered', (s) => s.rateRps, COLORS.series[5]!)]),
    ]),
    ...(streamed
      ? [
          curve('tokens', 'Output tokens per second (all streams)', 'tokens/s', [
            line('total', (s) => s.outputTokensPerSecond?.total, COLORS.series[2]!),
          ]),
        ]
      : []),
    curve('errors', 'Error rate (dropped requests count)', '%', [line('errors', (s) => s.errorRatePct, COLORS.fail)]),
  ].filter((c): c is HTMLElement => c !== null);
  const word = { found: 'FOUND', none: 'NONE MET THE SLO', error: 'ERROR', interrupted: 'INTERRUPTED' }[w.outcome];
  return [
    h(
      'header',
      {},
      h(
        'h1',
        {},
        badge(`${word} (exit ${w.exitCode})`, w.outcome === 'found' ? 'pass' : 'fail'),
        ` Sweep of ${w.endpoint} · run ${w.runId}`,
      ),
      h('p', { class: 'summary' }, w.summary),
      h(
        'p',
        { class: 'facts' },
        `SLO ${w.slo || 'none'} · error budget ${w.errorBudgetPct}% · target ${w.server.baseUrl} · k6 ${w.k6}`,
      ),
      h('p', { class: 'muted' }, w.machine),
      w.workload == null ? null : h('p', { class: 'facts' }, `Workload: ${w.workload}`),
      w.arrivals == null ? null : h('p', { class: 'facts' }, `Arrivals: ${w.arrivals}`),
      w.errors.length === 0 ? null : h('ul', { class: 'error' }, ...w.errors.map((e) => h('li', {}, e))),
    ),
    section('Curves', h('div', { class: 'grid' }, ...charts)),
    section(
      'Steps',
      table([
        [overConcurrency ? 'clients' : 'rate', 'requests', 'failures', 'errors', 'p95 ms', 'SLO', 'why'],
        ...steps.map((s) => [
          overConcurrency ? String(s.concurrency ?? '') : num(s.rateRps, 'req/s'),
          String(s.requests),
          String(s.failures),
          num(s.errorRatePct, '%'),
          num((s.streamMs?.e2e ?? s.latencyMs)?.p95),
          badge(s.meetsSlo ? 'meets' : 'breaks', s.meetsSlo ? 'pass' : 'fail'),
          s.reason,
        ]),
      ]),
    ),
  ];
}
