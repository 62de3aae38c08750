/**
 * What a merge of a split run's runners gives, and its last step, the same whether the runners' requests
 * were read from their samples (src/node/merge/merge.ts) or their windows (merge-windows.ts): the union
 * and the runners' own summaries into one (src/core/merge/merge-summary.ts), converted against the whole
 * plan (src/core/merge/merge-scenario.ts), with the timeline of all of them.
 */
import { mergedScenario, type MergedScenario, type RunnerCounts } from '../../core/merge/merge-scenario.js';
import { mergeSummaries } from '../../core/merge/merge-summary.js';
import type { MergeLayout } from '../../core/merge/runners.js';
import type { SamplesSummary } from '../../core/summary/samples-summary.js';
import type { TimelineReport } from '../../core/types.js';
import type { K6Exit } from '../run/k6-result.js';
import type { ReadRunner } from './runner-folders.js';

export interface MergeResult extends MergedScenario {
  layout: MergeLayout;
  /** The first and last sample of any runner (ms since the epoch), null when none. */
  firstMs: number | null;
  lastMs: number | null;
  runners: ReadRunner[];
}

export interface MergeInput {
  /** The runner folders (absolute). */
  dirs: readonly string[];
  /** How each runner's k6 ended, when the caller ran them (same order as dirs). */
  exits?: ReadonlyArray<K6Exit | null>;
  /** Second 0 of the timeline (ms since the epoch); null: the first sample. */
  originMs: number | null;
  /** What the caller knows besides: files, server resources, the generator's cost, notes, status. */
  ctx: Parameters<typeof mergedScenario>[0]['ctx'];
}

export function mergedResult(o: {
  input: MergeInput;
  layout: MergeLayout;
  /** In the order of layout.runners, as `counts`. */
  ordered: readonly ReadRunner[];
  counts: readonly RunnerCounts[];
  union: SamplesSummary;
  /** Runners that streamed. */
  streamed: number;
  timeline: TimelineReport | null;
  readFrom: 'samples' | 'windows';
  /** What the union cannot hold, taken from the runners' summaries. */
  unionLacks?: readonly string[];
}): MergeResult {
  const merged = mergeSummaries({
    union: o.union,
    runners: o.ordered.map((r) => r.summary),
    streamedRunners: o.streamed,
    latencyMetric: o.layout.plan.latencyMetric,
    ...(o.unionLacks === undefined ? {} : { unionLacks: o.unionLacks }),
  });
  const scenario = mergedScenario({
    layout: o.layout,
    counts: o.counts,
    merged,
    readFrom: o.readFrom,
    ctx: o.input.ctx,
  });
  return {
    ...scenario,
    report: o.timeline === null ? scenario.report : { ...scenario.report, timeline: o.timeline },
    layout: o.layout,
    firstMs: o.union.firstMs,
    lastMs: o.union.lastMs,
    runners: [...o.ordered],
  };
}
