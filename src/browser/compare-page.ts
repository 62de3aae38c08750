/**
 * A comparison's page: the regression table of `npm run compare`, then each scenario of both runs
 * side by side — baseline on the left, current on the right — with their latency over time on the
 * same scale.
 */
import type { Comparison } from '../core/commands/compare.js';
import type { Report, ScenarioReport } from '../core/types.js';
import { renderSeedBlock } from '../core/report/render.js';
import { chart, COLORS, type Line } from './charts.js';
import { badge, h, num, section, table } from './dom.js';
import { runHeader } from './run-page.js';
import { verdictTable } from './scenario.js';

function side(
  s: ScenarioReport | undefined,
  which: 'baseline' | 'current',
  runStartMs: number,
  yMax: number,
): HTMLElement {
  if (s === undefined) return h('div', { class: 'side' }, h('p', { class: 'muted' }, `Not in the ${which} run.`));
  const d = s.latencyDetail;
  const band = d?.bands[0];
  const k = d == null ? 0 : (Date.parse(d.originAt) - runStartMs) / 1000;
  const one = band?.series.length === 1;
  // One endpoint: its three percentiles; several: the p95 of each, as the run's own page shows them.
  const lines: Line[] = one
    ? (['p50', 'p95', 'p99'] as const).map((stat) => ({
        label: stat,
        x: band!.series[0]!.points.map((p) => p.tSec + k),
        y: band!.series[0]!.points.map((p) => p[stat]),
        color: COLORS[stat],
      }))
    : (band?.series ?? []).map((ser, i) => ({
        label: `${ser.name} p95`,
        x: ser.points.map((p) => p.tSec + k),
        y: ser.points.map((p) => p.p95),
        color: COLORS.series[i % COLORS.series.length]!,
      }));
  const box =
    band === undefined
      ? null
      : chart({
          id: `compare-${which}-${s.name}`,
          title: `${which}: ${band.label} per time window`,
          xLabel: 's since the run started',
          yLabel: 'ms',
          lines,
          ...(one ? { band: { upper: 'p99', lower: 'p50', fill: COLORS.band } } : {}),
          yMax,
        });
  return h(
    'div',
    { class: 'side' },
    h('h4', {}, which),
    h('pre', { class: 'chapter' }, renderSeedBlock(s).join('\n')),
    box,
    verdictTable(s.verdicts),
  );
}

export function comparePage(c: Comparison, baseline: Report, current: Report): HTMLElement[] {
  const names = [...new Set([...baseline.scenarios, ...current.scenarios].map((s) => s.name))];
  const pick = (r: Report, name: string): ScenarioReport | undefined => r.scenarios.find((s) => s.name === name);
  // Both sides on one scale: the highest line either draws.
  const highest = (s: ScenarioReport | undefined): number => {
    const series = s?.latencyDetail?.bands[0]?.series ?? [];
    return Math.max(0, ...series.flatMap((x) => x.points.map((p) => (series.length === 1 ? p.p99 : p.p95)))) * 1.05;
  };
  return [
    h(
      'header',
      {},
      h(
        'h1',
        {},
        badge(
          c.regressions > 0 ? `${c.regressions} REGRESSION(S)` : 'NO REGRESSION',
          c.regressions > 0 ? 'fail' : 'pass',
        ),
        ` Comparison: baseline ${baseline.runId} against current ${current.runId}`,
      ),
      h(
        'p',
        { class: 'facts' },
        `${c.baselineRuns} baseline run(s), ${c.currentRuns} current run(s): medians are compared.`,
      ),
      c.loadDifferences.length === 0
        ? null
        : h(
            'div',
            { class: 'error' },
            h('p', {}, 'Not the same load: the runs sent different requests, so a change may be the load’s.'),
            h(
              'ul',
              {},
              ...c.loadDifferences.map((d) =>
                h('li', {}, `${d.scenario}, ${d.aspect}: baseline ${d.baseline}; current ${d.current}`),
              ),
            ),
          ),
    ),
    section(
      'Regressions',
      table([
        ['scenario', 'metric', 'baseline', 'current', 'change', 'within the baseline spread', ''],
        ...c.rows.map((r) => [
          r.scenario,
          r.metric,
          num(r.baseline, r.unit),
          num(r.current, r.unit),
          r.changePct === null ? 'n/a' : `${r.changePct >= 0 ? '+' : ''}${num(r.changePct)}%`,
          r.withinSpread ? 'yes' : 'no',
          r.regression
            ? badge('REGRESSION', 'fail')
            : r.reason === null
              ? badge('ok', 'pass')
              : h('span', { class: 'muted' }, r.reason),
        ]),
      ]),
      c.missing.length === 0 ? null : h('p', {}, `Only in the baseline: ${c.missing.join(', ')}.`),
      c.added.length === 0 ? null : h('p', {}, `Only in the current run: ${c.added.join(', ')}.`),
    ),
    ...names.map((name) => {
      const [b, cur] = [pick(baseline, name), pick(current, name)];
      const yMax = Math.max(highest(b), highest(cur));
      return section(
        name,
        h(
          'div',
          { class: 'columns' },
          side(b, 'baseline', Date.parse(baseline.startedAt), yMax),
          side(cur, 'current', Date.parse(current.startedAt), yMax),
        ),
      );
    }),
    h(
      'details',
      { class: 'more' },
      h('summary', {}, 'the two runs'),
      runHeader(baseline, 'baseline'),
      runHeader(current, 'current'),
    ),
  ];
}
