/**
 * The runners given to one merge, checked against each other before any figure is added: one
 * scenario, one plan, one run, one sequence of execution segments, each segment held once. Whatever
 * differs is a ValidationError (exit 2) naming the folder and what differs; a segment with no
 * runner is no error but a missing share, which the merge counts as never sent and marks partial.
 * Each runner's planned share comes from k6's own striping (segments.ts). Pure.
 */
import { ValidationError } from '../errors/ValidationError.js';
import { describeValue } from '../errors/describe.js';
import type { K6Summary, RunnerRecord, ScenarioPlan } from '../types.js';
import {
  parseSegment,
  parseSequence,
  phaseShare,
  segmentText,
  sequenceText,
  tupleOf,
  type PhaseShare,
  type Segment,
} from './segments.js';

/** What one runner's folder holds, as read by the Node side. */
export interface RunnerFolder {
  /** The folder, as the user should see it. */
  folder: string;
  record: RunnerRecord | null;
  plan: ScenarioPlan | null;
  summary: K6Summary | null;
  /** It holds per-request samples (samples.csv.gz). */
  samples: boolean;
  /** It holds k6's one-second windows instead (windows.jsonl, the default). */
  windows: boolean;
}

export interface RunnerShare {
  folder: string;
  /** Its execution segment ("1/4:1/2"); null for a run that was not split. */
  segment: string | null;
  /** The segment was not written down (k6 ended before runner.json) but is the one no other runner holds. */
  inferred: boolean;
  /** Its share of each phase, in the plan's order. */
  phases: Array<PhaseShare & { name: string }>;
  planned: number;
}

export interface MergeLayout {
  plan: ScenarioPlan;
  runId: string | null;
  /** The sequence every runner shares ("0,1/4,1/2,3/4,1"); null for one unsplit runner. */
  sequence: string | null;
  runners: RunnerShare[];
  /** Segments of the sequence no runner given holds, each with its planned requests. */
  missing: Array<{ segment: string; planned: number }>;
}

/** The first place two JSON values differ (a JSON pointer), or null. */
export function firstDifference(a: unknown, b: unknown, at = ''): { path: string; a: unknown; b: unknown } | null {
  if (Object.is(a, b)) return null;
  if (
    typeof a !== 'object' ||
    typeof b !== 'object' ||
    a === null ||
    b === null ||
    Array.isArray(a) !== Array.isArray(b)
  )
    return { path: at, a, b };
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  for (const k of keys) {
    const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}/${k}`);
    if (d !== null) return d;
  }
  return null;
}

/** A plan without its notes: runners of one run resolve the same plan, but notes may say more on one. */
const comparable = (plan: ScenarioPlan): unknown => ({ ...plan, notes: undefined });

function refuse(folder: string, path: string, expected: string, found: string): never {
  throw new ValidationError(folder, [{ path, expected, found }]);
}

function segmentOf(r: RunnerFolder): Segment | null {
  const text = r.record?.executionSegment ?? null;
  if (text === null) return null;
  return parseSegment(text) ?? refuse(r.folder, '/executionSegment', 'a k6 execution segment such as 1/4:1/2', text);
}

/** One scenario, as each runner's plan (or, without one, its runner.json) names it. */
function sameScenario(runners: readonly RunnerFolder[]): void {
  const named = runners.flatMap((r) => {
    const scenario = r.plan?.scenario ?? r.record?.scenario;
    return scenario === undefined ? [] : [{ folder: r.folder, scenario }];
  });
  const first = named[0];
  for (const r of named)
    if (r.scenario !== first!.scenario)
      refuse(
        r.folder,
        '/scenario',
        `scenario '${first!.scenario}', as in ${first!.folder}: one merge is one scenario of one run`,
        describeValue(r.scenario),
      );
}

function sharedPlan(runners: readonly RunnerFolder[]): ScenarioPlan {
  const withPlan = runners.filter((r) => r.plan !== null);
  if (withPlan.length === 0)
    refuse(
      runners.map((r) => r.folder).join(', '),
      '',
      "a runner's plan in at least one folder (plan.json, or the plan line k6 logged at start in k6.log)",
      'none in any of them',
    );
  // A runner that reached its end wrote its plan beside its summary: the most complete.
  const first = withPlan.find((r) => r.summary !== null) ?? withPlan[0]!;
  const plan = first.plan!;
  for (const r of runners) {
    if (r.plan === null) continue;
    const d = firstDifference(comparable(plan), comparable(r.plan));
    if (d !== null)
      refuse(
        r.folder,
        `/plan${d.path}`,
        `the plan of ${first.folder} (${describeValue(d.a)}): runners of one run share one plan, so this is ` +
          `another run's`,
        describeValue(d.b),
      );
  }
  return plan;
}

function sharedRunId(runners: readonly RunnerFolder[]): string | null {
  const first = runners.find((r) => r.record?.runId != null);
  for (const r of runners) {
    const id = r.record?.runId ?? null;
    if (first !== undefined && id !== null && id !== first.record!.runId)
      refuse(
        r.folder,
        '/runId',
        `run '${first.record!.runId}', as in ${first.folder}: runners of different runs cannot be merged`,
        describeValue(id),
      );
  }
  return first?.record?.runId ?? null;
}

function sharedSequence(runners: readonly RunnerFolder[]): { sequence: Segment[]; from: string } | null {
  let found: { sequence: Segment[]; from: string; text: string } | null = null;
  for (const r of runners) {
    const seg = segmentOf(r);
    if (seg === null) continue;
    const given = r.record?.executionSegmentSequence ?? null;
    const parsed =
      given === null
        ? null
        : (parseSequence(given) ??
          refuse(r.folder, '/executionSegmentSequence', 'a k6 execution segment sequence', given));
    const t = tupleOf(seg, parsed);
    if (t === null) refuse(r.folder, '/executionSegment', `a segment of its sequence ${given ?? ''}`, segmentText(seg));
    const text = sequenceText(t.striping.segments);
    if (found === null) found = { sequence: t.striping.segments, from: r.folder, text };
    else if (text !== found.text)
      refuse(
        r.folder,
        '/executionSegmentSequence',
        `the sequence ${found.text}, as in ${found.from}: runners of one split run share one sequence`,
        describeValue(text),
      );
  }
  return found;
}

function sharesOf(plan: ScenarioPlan, segment: Segment | null, sequence: Segment[] | null): RunnerShare['phases'] {
  const t = tupleOf(segment, sequence);
  return plan.phases.map((p) => ({
    name: p.name,
    ...(t === null ? { clients: p.clients, requests: p.requests } : phaseShare(t, p, plan.stream != null)),
  }));
}

/** The runners' layout, or a ValidationError naming the folder at fault and what differs. */
export function layoutRunners(runners: readonly RunnerFolder[]): MergeLayout {
  if (runners.length === 0) refuse('--merge', '', 'at least one runner folder', 'none');
  for (const r of runners)
    if (!r.samples && !r.windows && r.summary === null && r.plan === null && r.record === null)
      refuse(
        r.folder,
        '',
        'a runner folder (samples.csv.gz or windows.jsonl, summary.json, plan.json, runner.json, k6.log)',
        'none of them',
      );
  // Most telling first: another scenario, another run, then how they split, then the plan itself.
  sameScenario(runners);
  const runId = sharedRunId(runners);
  const seq = sharedSequence(runners);
  // Nothing says any of them was split: one runner is a whole run, more cannot be told apart.
  if (seq === null && runners.length > 1)
    refuse(
      runners.map((r) => r.folder).join(', '),
      '/executionSegment',
      'runners of one split run, each with its runner.json (npm run k6:<scenario> -- --segments N, or npm run ' +
        "k6:operator's runners)",
      'no execution segment in any of them',
    );
  const plan = sharedPlan(runners);
  const planned = (phases: RunnerShare['phases']): number => phases.reduce((n, p) => n + p.requests, 0);

  if (seq === null) {
    const phases = sharesOf(plan, null, null);
    const r = runners[0]!;
    return {
      plan,
      runId,
      sequence: null,
      runners: [{ folder: r.folder, segment: null, inferred: false, phases, planned: planned(phases) }],
      missing: [],
    };
  }

  const { sequence } = seq;
  const holder = new Map<string, string>();
  const unknown: RunnerFolder[] = [];
  for (const r of runners) {
    const s = segmentOf(r);
    if (s === null) {
      unknown.push(r);
      continue;
    }
    const text = segmentText(s);
    const other = holder.get(text);
    if (other !== undefined)
      refuse(
        r.folder,
        '/executionSegment',
        `a segment no other folder holds (${other} holds ${text} too: the same runner given twice, or two runs)`,
        describeValue(text),
      );
    holder.set(text, r.folder);
  }
  const free = sequence.map(segmentText).filter((s) => !holder.has(s));
  if (unknown.length > 0) {
    // k6 writes runner.json at its end: a runner killed before has none. It can only be the one
    // segment nobody holds; with more than one free, which is which cannot be told.
    if (unknown.length > 1 || free.length !== 1)
      refuse(
        unknown.map((r) => r.folder).join(', '),
        '/executionSegment',
        `a runner.json saying which segment each holds (${free.length} segment(s) of ${sequenceText(sequence)} ` +
          `have no runner: ${free.join(', ') || 'none'})`,
        `${unknown.length} folder(s) without one`,
      );
    holder.set(free[0]!, unknown[0]!.folder);
    free.length = 0;
  }
  const shares: RunnerShare[] = runners.map((r) => {
    const s = segmentOf(r);
    const text = s === null ? [...holder].find(([, f]) => f === r.folder)![0] : segmentText(s);
    const phases = sharesOf(plan, parseSegment(text), sequence);
    return { folder: r.folder, segment: text, inferred: s === null, phases, planned: planned(phases) };
  });
  const order = sequence.map(segmentText);
  shares.sort((a, b) => order.indexOf(a.segment!) - order.indexOf(b.segment!));
  const missing = free.map((segment) => ({
    segment,
    planned: planned(sharesOf(plan, parseSegment(segment), sequence)),
  }));
  return { plan, runId, sequence: sequenceText(sequence), runners: shares, missing };
}
