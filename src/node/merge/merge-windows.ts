/**
 * The runners of a split run that ran without --samples, merged from their one-second windows
 * (windows.jsonl): every runner's pushes fed into one summary, each under its own name, so counts add up
 * and k6's histograms merge bucket by bucket (src/core/windows/windows-summary.ts); each runner's own
 * counts from its pushes alone; one timeline of all their windows. What windows cannot hold (k6's checks)
 * comes from the runners' summaries (src/core/merge/merge-summary.ts).
 */
import path from 'node:path';
import { K6_FILES, WINDOWS_PUSH_MS } from '../../core/contract.js';
import type { RunnerCounts } from '../../core/merge/merge-scenario.js';
import type { MergeLayout } from '../../core/merge/runners.js';
import { K6_METRICS } from '../../core/rules/metric-table.js';
import { droppedIn, metric, value } from '../../core/summary/summary-read.js';
import { timelineOfWindows, type WindowOutcome } from '../../core/watch/outages.js';
import { WindowOutcomes } from '../../core/windows/feed.js';
import { NOT_IN_WINDOWS, SummaryFromWindows } from '../../core/windows/windows-summary.js';
import { scanWindows } from '../watch/windows-read.js';
import { mergedResult, type MergeInput, type MergeResult } from './merged-result.js';
import { summarySent, type ReadRunner } from './runner-folders.js';

export async function mergeWindows(
  input: MergeInput,
  layout: MergeLayout,
  ordered: readonly ReadRunner[],
): Promise<MergeResult> {
  const latencyMetric = layout.plan.latencyMetric ?? K6_METRICS.latency;
  const all = new SummaryFromWindows(latencyMetric, WINDOWS_PUSH_MS);
  const outcomes: WindowOutcome[] = [];
  const counts: RunnerCounts[] = [];
  let streamed = 0;
  for (const r of ordered) {
    const own = new SummaryFromWindows(latencyMetric, WINDOWS_PUSH_MS);
    const perPush = new WindowOutcomes();
    await scanWindows(
      path.join(r.dir, K6_FILES.windows),
      (w) => perPush.add(w),
      latencyMetric,
      (p) => {
        own.add(p);
        all.add(p, r.folder);
      },
    );
    outcomes.push(...perPush.list());
    const theirs = own.result().summary;
    const failed = metric(theirs, K6_METRICS.requestFailed);
    counts.push({
      sent: value(failed, 'passes') + value(failed, 'fails'),
      failed: value(failed, 'passes'),
      dropped: droppedIn(theirs),
      summarySent: summarySent(r),
      noSummary: r.noSummary,
      // A k6 that ended before its summary took what it measured after its last push with it.
      truncated: r.summary === null,
    });
    if (value(metric(theirs, K6_METRICS.streamWindowMs), 'count') > 0) streamed++;
  }
  const timeline = layout.plan.stream == null ? timelineOfWindows(outcomes, input.originMs) : null;
  const union = all.result();
  return mergedResult({
    input,
    layout,
    ordered,
    counts,
    union,
    streamed,
    timeline,
    readFrom: 'windows',
    unionLacks: NOT_IN_WINDOWS,
  });
}
