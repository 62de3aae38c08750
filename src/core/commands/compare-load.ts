/**
 * Whether two sides of a comparison sent the same load: a run with 256-token prompts against one with
 * the seed's 'Hello', or 100 requests a second against 10, differs in its figures whatever the server
 * did. For each scenario on both sides, what was sent is read from the reports aspect by aspect —
 * its shape, its phases, the endpoints, when requests arrived and what they carried — and every
 * aspect that differs is named, so that a change in a figure is not taken for the server's. Pure.
 */
import { workloadSent } from '../report/render-workload.js';
import type { Report, ScenarioReport } from '../types.js';

export interface LoadDifference {
  scenario: string;
  /** What differs: 'shape', 'phases', 'endpoints', 'arrivals' or 'workload'. */
  aspect: string;
  /** What the baseline run(s) sent; several runs that differ among themselves are joined by ' | '. */
  baseline: string;
  current: string;
}

/** What a scenario's report says was sent, aspect by aspect. */
function aspects(s: ScenarioReport): Record<string, string> {
  const w = s.workload;
  return {
    shape: s.description,
    phases: s.phases
      .map((p) => `${p.name}: ${p.model}, ${p.clients} clients, ${p.plannedRequests} requests`)
      .join('; '),
    endpoints: s.endpoints.map((e) => e.name).join(', '),
    arrivals: s.arrivals?.process ?? "k6's own schedule",
    workload:
      w == null
        ? "the scenario's own prompts"
        : `${workloadSent({ ...w, conversations: w.byTurn !== null })} (seed ${w.seed})`,
  };
}

/** Each aspect's distinct values over one side's runs of `scenario`, in order. */
function side(reports: readonly Report[], scenario: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const r of reports)
    for (const s of r.scenarios)
      if (s.name === scenario)
        for (const [k, v] of Object.entries(aspects(s))) if (!(out[k] ??= []).includes(v)) out[k]!.push(v);
  return out;
}

/** Every aspect of every scenario in `scenarios` whose load differs between the two sides. */
export function loadDifferences(
  baselines: readonly Report[],
  currents: readonly Report[],
  scenarios: readonly string[],
): LoadDifference[] {
  return scenarios.flatMap((scenario) => {
    const b = side(baselines, scenario);
    const c = side(currents, scenario);
    return Object.keys(b).flatMap((aspect) => {
      const [bv, cv] = [b[aspect] ?? [], c[aspect] ?? []];
      const same = bv.length === cv.length && bv.every((v) => cv.includes(v));
      return same ? [] : [{ scenario, aspect, baseline: bv.join(' | '), current: cv.join(' | ') }];
    });
  });
}

/** The Markdown lines of the differences: a warning before the table, none when the loads are the same. */
export function loadDifferenceLines(d: readonly LoadDifference[], cell: (t: string) => string): string[] {
  if (d.length === 0) return [];
  return [
    '**Not the same load**: the runs sent different requests, so a change below may be the load’s, not the ' +
      'server’s.',
    '',
    ...d.map((x) => `- ${cell(x.scenario)}, ${x.aspect}: baseline ${cell(x.baseline)}; current ${cell(x.current)}`),
    '',
  ];
}
