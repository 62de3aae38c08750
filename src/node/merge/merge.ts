/**
 * One scenario report from the runners of a split run: their folders read and checked against each
 * other (src/core/merge/runners.ts), every runner's per-request samples streamed into one summary
 * (so percentiles are those of all requests together) and into one per-second timeline, their own
 * summaries added where samples hold nothing (src/core/merge/merge-summary.ts), then converted
 * against the whole plan (src/core/merge/merge-scenario.ts). Used by a split run as soon as its k6
 * processes ended (src/node/run/segmented-run.ts) and by `npm run report -- --merge` at any time.
 * Runners that ran without --samples are merged from their one-second windows the same way: the last
 * push of each series is its total, and k6's histograms merge bucket by bucket
 * (src/core/windows/windows-summary.ts); k6's checks come from the runners' summaries.
 */
import path from 'node:path';
import { K6_FILES } from '../../core/contract.js';
import { ValidationError } from '../../core/errors/ValidationError.js';
import type { RunnerCounts } from '../../core/merge/merge-scenario.js';
import { layoutRunners } from '../../core/merge/runners.js';
import { K6_METRICS } from '../../core/rules/metric-table.js';
import { metricsToRead, SummaryFromSamples } from '../../core/summary/samples-summary.js';
import { DROPPED_METRICS } from '../../core/summary/summary-read.js';
import type { ConvertContext } from '../../core/summary/convert.js';
import { OutcomeLog, timelineOf } from '../../core/watch/outages.js';
import { scanSamples } from '../watch/samples.js';
import { readRunnerFolder, summarySent } from './runner-folders.js';
import { mergeWindows } from './merge-windows.js';
import { mergedResult, type MergeInput, type MergeResult } from './merged-result.js';

export type { MergeInput, MergeResult };

export async function mergeRunners(input: MergeInput): Promise<MergeResult> {
  const runners = await Promise.all(input.dirs.map((d, i) => readRunnerFolder(d, input.exits?.[i] ?? null)));
  const layout = layoutRunners(runners);
  // layoutRunners sorted the runners by segment: read them in that order.
  const byFolder = new Map(runners.map((r) => [r.folder, r]));
  const ordered = layout.runners.map((s) => byFolder.get(s.folder)!);
  // Every runner's samples, or every runner's windows: percentiles over all of them need one kind.
  const windowed = ordered.some((r) => !r.samples && r.windows);
  const odd = ordered.find((r) =>
    windowed ? r.samples || (!r.windows && r.summary !== null) : !r.samples && r.summary !== null,
  );
  if (odd !== undefined)
    throw new ValidationError(odd.folder, [
      {
        path: windowed ? K6_FILES.windows : K6_FILES.samples,
        expected: windowed
          ? "k6's one-second windows, as the other runners have (every runner run without --samples, or none)"
          : "the runner's per-request samples: percentiles over all runners are computed from every request (run " +
            'with --samples)',
        found: windowed && odd.samples ? 'per-request samples (samples.csv.gz) instead' : 'no such file',
      },
    ]);
  if (windowed) return mergeWindows(input, layout, ordered);

  const union = new SummaryFromSamples(layout.plan.latencyMetric);
  const outcomes = new OutcomeLog();
  const wanted = metricsToRead(layout.plan.latencyMetric);
  const counts: RunnerCounts[] = [];
  let streamed = 0;
  for (const r of ordered) {
    const c: RunnerCounts = {
      sent: 0,
      failed: 0,
      dropped: 0,
      summarySent: summarySent(r),
      noSummary: r.noSummary,
      truncated: false,
    };
    let windowed = false;
    const read = await scanSamples(path.join(r.dir, K6_FILES.samples), wanted, (s) => {
      union.add(s);
      if (s.metric === K6_METRICS.requestFailed) {
        c.sent++;
        if (s.value !== 0) c.failed++;
        outcomes.add(s.tMs, s.value !== 0);
      } else if (DROPPED_METRICS.has(s.metric)) c.dropped += s.value;
      else if (s.metric === K6_METRICS.streamWindowMs && s.value > 0) windowed = true;
    });
    c.truncated = read?.truncated ?? false;
    if (windowed) streamed++;
    counts.push(c);
  }
  const timeline = timelineOf(outcomes, input.originMs);
  return mergedResult({
    input,
    layout,
    ordered,
    counts,
    union: union.result(),
    streamed,
    timeline,
    readFrom: 'samples',
  });
}

/** The files of a merged scenario: none of one k6's, since there were several. */
export const MERGED_FILES: ConvertContext['files'] = { summary: null, plan: null, dashboard: null };
