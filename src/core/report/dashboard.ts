/**
 * k6's web dashboard, chosen per run: its period (how often it aggregates, K6_WEB_DASHBOARD_PERIOD)
 * from the run's planned length, and the line the report carries when a run has no dashboard.
 *
 * Why the period matters: at every period the dashboard sorts every latency it has collected since
 * the start, for each of k6's trend metrics, so a short period costs CPU that grows with the run
 * (at 100 ms it took about a tenth of k6's CPU at 500 req/s, and drew a saw-tooth of 50-request
 * windows). About DASHBOARD_POINTS points per graph read well and cost little; the dashboard
 * itself draws graphs only when it has at least two snapshots, so a run shorter than two periods
 * gets none, and the report says so. Pure.
 */
import type { ScenarioPlan } from '../types.js';
import { k6OpenDurationSec } from '../plan/plan.js';

/** Points per dashboard graph the period aims at. */
export const DASHBOARD_POINTS = 60;
/** Periods a person reads at a glance; the chosen one is the first giving at most DASHBOARD_POINTS. */
export const NICE_PERIODS_MS = [100, 200, 250, 500, 1000, 2000, 5000, 10_000, 15_000, 20_000, 30_000, 60_000] as const;
/** The dashboard keeps at most this many snapshots per run, raising the period to stay under it. */
export const K6_DASHBOARD_MAX_POINTS = 2880;

const PERIOD_FROM_PLAN = "set from the run's planned length";
const PERIOD_SHORTEST = "a closed run's length is not known before it ends: the shortest period k6 allows for it";

type Phases = Pick<ScenarioPlan, 'phases'>;

/**
 * When the load ends, in seconds from k6's start: known for open phases only (a closed phase runs
 * as fast as the server answers). Null when any phase is closed.
 */
export function plannedLengthSec(plan: Phases): number | null {
  let end = 0;
  for (const p of plan.phases) {
    if (p.model !== 'open' || p.durationSec === undefined) return null;
    end = Math.max(end, p.startSec + p.durationSec);
  }
  return end;
}

/** k6's own end of the test (last phase end plus its graceful stop), which bounds the period from below. */
function k6EndOffsetMs(plan: Phases): number {
  let end = 0;
  for (const p of plan.phases) {
    const phaseEnd = p.model === 'open' ? p.startSec + k6OpenDurationSec(p) : p.maxDurationSec;
    end = Math.max(end, (phaseEnd + p.timeoutSec) * 1000);
  }
  return end;
}

/**
 * The dashboard period for a run, in ms: the first nice period giving at most DASHBOARD_POINTS
 * points over the planned length (the shortest nice period when the length is unknown), then
 * raised as k6 itself would raise it (to a multiple, for at most K6_DASHBOARD_MAX_POINTS over
 * k6's end offset), so the figure is the period k6 really uses.
 */
export function dashboardPeriodMs(plan: Phases): number {
  const length = plannedLengthSec(plan);
  const wanted: number =
    length === null
      ? NICE_PERIODS_MS[0]
      : (NICE_PERIODS_MS.find((p) => (length * 1000) / p <= DASHBOARD_POINTS) ??
        NICE_PERIODS_MS[NICE_PERIODS_MS.length - 1]!);
  return Math.max(1, Math.ceil(k6EndOffsetMs(plan) / K6_DASHBOARD_MAX_POINTS / wanted)) * wanted;
}

export type NoDashboard =
  | { why: 'off' }
  | { why: 'k6-failed'; k6Exit: string }
  | { why: 'too-short'; periodMs: number; durationSec: number; known: boolean }
  | { why: 'not-written'; periodMs: number };

const seconds = (ms: number): string => (ms < 1000 ? `${ms} ms` : `${ms / 1000} s`);

/** The report's line for a scenario without a dashboard. */
export function noDashboardNote(n: NoDashboard): string {
  switch (n.why) {
    case 'off':
      return (
        'No k6 dashboard: off by default, for k6 takes every sample twice for it (a longer tail, 6 % more CPU at ' +
        "full speed); report.html draws the run, and --dashboard exports k6's own view too."
      );
    case 'k6-failed':
      return `No k6 dashboard: k6 ended (${n.k6Exit}) before exporting it.`;
    case 'too-short':
      return (
        `No k6 dashboard: the run lasted ${n.durationSec.toFixed(2)} s, and k6 exports one only after two snapshots, ` +
        `one per ${seconds(n.periodMs)} period (${n.known ? PERIOD_FROM_PLAN : PERIOD_SHORTEST}).`
      );
    case 'not-written':
      return `No k6 dashboard: k6 did not write it (period ${seconds(n.periodMs)}); see k6.log.`;
  }
}

/** Why a scenario that asked for a dashboard has none (given that the file is missing). */
export function whyNoDashboard(o: {
  plan: Phases;
  durationSec: number | null;
  k6Completed: boolean;
  k6Exit: string;
}): NoDashboard {
  const periodMs = dashboardPeriodMs(o.plan);
  if (!o.k6Completed) return { why: 'k6-failed', k6Exit: o.k6Exit };
  if (o.durationSec !== null && o.durationSec * 1000 < 2 * periodMs)
    return { why: 'too-short', periodMs, durationSec: o.durationSec, known: plannedLengthSec(o.plan) !== null };
  return { why: 'not-written', periodMs };
}
