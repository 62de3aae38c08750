/**
 * One scenario of the report from all the runners of a split run: the merged summary converted as
 * one k6's would be, against the whole plan, so planned, sent, dropped and never-sent requests are
 * counted over the whole run; then what each runner did, and what is missing. k6's exit code is
 * left out: each k6 judged its thresholds on its own share only, so the verdicts are the report's
 * alone, on the whole. A runner that ended before its summary (its figures from the samples it had
 * written) or a share with no runner makes the scenario an error, marked partial: never a total
 * that looks whole and is not. Pure.
 */
import type { ScenarioReport } from '../types.js';
import { convertScenario, type ConvertContext } from '../summary/convert.js';
import type { MergeLayout } from './runners.js';
import type { MergedSummary } from './merge-summary.js';

/** What one runner's folder held, counted from its samples. */
export interface RunnerCounts {
  /** Requests sent (samples of request_failed), failed among them, and dropped (k6 iterations, drawn arrivals). */
  sent: number;
  failed: number;
  dropped: number;
  /** Requests its k6 summary counts; null when it wrote none. */
  summarySent: number | null;
  /** Why it has no summary (k6 killed, ...), when it has none. */
  noSummary: string | null;
  /** Its samples file ends mid-way (k6 killed while writing). */
  truncated: boolean;
}

export interface MergedScenario {
  report: ScenarioReport;
  partial: boolean;
  /** One line per runner: what its figures came from. */
  sources: string[];
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** How the report names what the runners' requests were read from. */
const READ_FROM = {
  samples: {
    noun: 'samples',
    what: 'its per-request samples',
    kept: 'the samples it had written',
    lost: ', the last ones before it stopped possibly lost',
    file: 'samples.csv.gz cut short',
    together: 'samples together',
  },
  windows: {
    noun: 'windows',
    what: 'its one-second windows',
    kept: 'the windows it had pushed',
    lost: ', the second after its last push lost',
    file: "windows.jsonl short of k6's last push",
    together: "windows together (k6's histograms: percentiles to within about 5 %)",
  },
} as const;

export function mergedScenario(o: {
  layout: MergeLayout;
  /** In the order of layout.runners. */
  counts: readonly RunnerCounts[];
  merged: MergedSummary;
  /** What the runners' requests were read from: k6's per-request samples (the default) or its windows. */
  readFrom?: keyof typeof READ_FROM;
  /** What the caller knows besides; its status and error (how its k6 processes ended) come first. */
  ctx: Omit<ConvertContext, 'k6ExitCode' | 'status' | 'error'> & {
    status?: ScenarioReport['status'];
    error?: string | null;
  };
}): MergedScenario {
  const { layout, counts, merged } = o;
  const read = READ_FROM[o.readFrom ?? 'samples'];
  const problems: string[] = [];
  const sources: string[] = [];
  const lines = layout.runners.map((r, i) => {
    const c = counts[i]!;
    const where = r.segment === null ? `Runner (${r.folder})` : `Runner ${r.segment} (${r.folder})`;
    const inferred = r.inferred ? ', its segment being the one no other runner holds (it wrote no runner.json)' : '';
    let from = `k6's summary and ${read.what}`;
    if (c.summarySent === null) {
      from = `${read.what} only: ${c.noSummary ?? 'k6 wrote no summary'}`;
      problems.push(
        `runner ${r.segment ?? r.folder} ended before its summary (${c.noSummary ?? 'none written'}): its ` +
          `${c.sent} requests are read from ${read.kept}${c.truncated ? read.lost : ''}`,
      );
    } else if (c.summarySent !== c.sent) {
      from = `k6's summary (${c.summarySent} requests) and ${read.what} holding ${c.sent}`;
      problems.push(
        `runner ${r.segment ?? r.folder}: ${read.what} hold ${c.sent} of the ${c.summarySent} requests its k6 ` +
          `summary counts (${read.file}), so the counts are short by ${c.summarySent - c.sent}`,
      );
    }
    if (c.sent > r.planned)
      problems.push(
        `runner ${r.segment ?? r.folder} sent ${c.sent} requests where its share of the plan is ${r.planned}: k6 ` +
          `ran other options than the plan says (an archive keeps the options it was made with, so a variable that ` +
          `changes the shape must be given to k6 archive)`,
      );
    sources.push(`${r.segment ?? 'whole run'}: ${r.folder}, ${from}${inferred}`);
    return `${where}: ${r.planned} planned, ${c.sent} sent, ${c.failed} failed, ${c.dropped} dropped${inferred}.`;
  });
  for (const m of layout.missing) {
    problems.push(
      `segment ${m.segment} of ${layout.sequence ?? ''} has no runner among the folders given (a runner missing): ` +
        `its ${m.planned} planned requests count as never sent`,
    );
    sources.push(`${m.segment}: no runner given`);
  }

  const partial = problems.length > 0;
  const { status: given, error: givenError, ...ctx } = o.ctx;
  const status: ScenarioReport['status'] = given ?? 'completed';
  const errors = [...(givenError == null ? [] : [givenError]), ...(partial ? [`${problems.join('; ')}.`] : [])];
  const report = convertScenario(layout.plan, merged.summary, {
    ...ctx,
    k6ExitCode: null,
    status: partial && status === 'completed' ? 'error' : status,
    error: errors.length === 0 ? null : errors.join(' '),
  });
  const total = counts.reduce((n, c) => n + c.sent, 0);
  const head =
    layout.sequence === null
      ? `Merged from 1 runner: the figures are those of its ${plural(total, 'request')}' ${read.noun}.`
      : `Merged from ${plural(layout.runners.length, 'runner')} of ` +
        `${layout.runId === null ? 'one run' : `run ${layout.runId}`} (execution segments of ${layout.sequence}): ` +
        `counts are the sums of theirs over the whole plan, percentiles those of all ` +
        `${plural(total, 'request')}' ${read.together}. Each k6 judged its thresholds on its own share only, ` +
        `so the verdicts are the report's, on the whole.`;
  // k6 gives a per-VU executor's one VU to one segment: the page of a streamed phase runs it whole.
  const streamed =
    layout.sequence !== null && layout.plan.stream != null
      ? [
          'A streamed phase is one k6 iteration of one VU (one browser page runs its whole schedule), so k6 gives ' +
            'it whole to one runner: splitting does not spread the streams.',
        ]
      : [];
  return {
    report: {
      ...report,
      notes: [...report.notes, head, ...lines, ...streamed, ...merged.notes],
      ...(partial ? { partial: `${problems.join('; ')}.` } : {}),
    },
    partial,
    sources,
  };
}
