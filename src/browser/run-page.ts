/**
 * A run's page: the outcome and every verdict at a glance, the run's facts and errors, a link to
 * k6's own dashboard, then each scenario (src/browser/scenario.ts).
 */
import type { Report } from '../core/types.js';
import { badge, fileLink, h, table } from './dom.js';
import { scenarioLabel, scenarioSection } from './scenario.js';

const OUTCOME: Record<Report['outcome'], ['pass' | 'fail' | 'warn', string]> = {
  passed: ['pass', 'PASSED'],
  failed: ['fail', 'FAILED'],
  error: ['fail', 'ERROR'],
  interrupted: ['warn', 'INTERRUPTED'],
};

export function runHeader(r: Report, title = 'realizar-k6 report'): HTMLElement {
  const [kind, word] = OUTCOME[r.outcome];
  return h(
    'header',
    {},
    h('h1', {}, badge(`${word} (exit ${r.exitCode})`, kind), ` ${title} · run ${r.runId}`),
    h(
      'p',
      { class: 'facts' },
      `Target ${r.server.baseUrl}` +
        `${r.server.managed ? ` (started by this run: ${r.server.command ?? ''})` : ' (an existing server)'}` +
        `${r.server.version === null ? '' : `, version ${r.server.version}`} · k6 ` +
        `${r.k6?.version ?? 'not resolved'} · gate: ${r.gate} · ` +
        `from ${r.startedAt} to ${r.finishedAt}`,
    ),
    h('p', { class: 'muted' }, r.machine.note),
    r.rebuilt == null
      ? null
      : h(
          'p',
          { class: 'warning' },
          `Rebuilt ${r.rebuilt.at} from what the run left on disk${r.rebuilt.partial ? ' (partial)' : ''}.`,
        ),
  );
}

/** Every scenario's verdicts in one table, failures first in mind: the outcome's reasons. */
function glance(r: Report, ids: string[]): HTMLElement {
  return table(
    [
      ['scenario', 'verdicts', 'failed gates'],
      ...r.scenarios.map((s, i) => {
        const failed = s.verdicts.filter((v) => v.gating && !v.pass);
        const passed = s.verdicts.filter((v) => v.pass).length;
        return [
          h('a', { href: `#${ids[i]!}` }, scenarioLabel(s)),
          h(
            'span',
            {},
            badge(`${passed} pass`, 'pass'),
            ' ',
            s.verdicts.length - passed > 0 ? badge(`${s.verdicts.length - passed} fail`, 'fail') : '',
            s.status === 'completed' ? '' : ` ${s.status}`,
          ),
          failed.length === 0 ? '-' : failed.map((v) => `${v.metric} (${v.scope})`).join('; '),
        ];
      }),
    ],
    'glance',
  );
}

export function runPage(r: Report): HTMLElement[] {
  const ids = r.scenarios.map((s, i) => `scenario-${i + 1}-${s.name}`);
  const runStartMs = Date.parse(r.startedAt);
  return [
    runHeader(r),
    h(
      'nav',
      {},
      typeof r.dashboard === 'string'
        ? h('p', {}, "k6's own view of the load: ", fileLink(r.dashboard, "k6's web dashboard (dashboard.html)"))
        : h(
            'p',
            { class: 'muted' },
            "k6's web dashboard was not exported for this run (off unless --dashboard; see the notes).",
          ),
      r.errors.length === 0
        ? null
        : h(
            'ul',
            { class: 'error' },
            ...r.errors.map((e) => h('li', {}, `${e.scenario === null ? '' : `${e.scenario}: `}${e.message}`)),
          ),
      r.scenarios.length === 0 ? h('p', {}, 'No scenario ran.') : glance(r, ids),
    ),
    ...r.scenarios.map((s, i) => scenarioSection(s, ids[i]!, runStartMs)),
  ];
}
