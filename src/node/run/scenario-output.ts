/**
 * One scenario of the report from what k6 left in its folder (k6/<scenario>/), for the runner right
 * after k6 ended and for `npm run report` any time later:
 *   - k6's summary and plan (handleSummary): the complete figures, as k6 computed them;
 *   - else its per-request samples (samples.csv.gz) read against the plan it logged at start
 *     (in k6.log, src/core/plan/plan-line.ts): the same figures recomputed, marked partial, because k6
 *     was killed, crashed or could not write its summary;
 *   - else, for a run without samples (the default), k6's one-second windows (windows.jsonl): the last
 *     push of every series is that series' total (src/core/windows/windows-summary.ts), also partial;
 *   - else nothing: a scenario that ran no request, with the reason.
 * The per-second timeline and its outages come from the samples, or the windows, in every case.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { K6_FILES } from '../../core/contract.js';
import { convertScenario, failedScenario, type ConvertContext } from '../../core/summary/convert.js';
import type { K6Summary, ScenarioPlan, ScenarioReport } from '../../core/types.js';
import { OutcomeLog, timelineOf, timelineOfWindows } from '../../core/watch/outages.js';
import { findPlanLine } from '../../core/plan/plan-line.js';
import { metricsToRead, SummaryFromSamples } from '../../core/summary/samples-summary.js';
import { assertValid } from '../../core/errors/schema-errors.js';
import { K6_METRICS } from '../../core/rules/metric-table.js';
import { detailMetrics, LatencyDetailLog } from '../../core/watch/latency-detail.js';
import { readScenarioOutput } from '../files/json-file.js';
import { describeCause } from '../errors/ReportWriteError.js';
import { shown } from '../files/paths.js';
import { scanSamples } from '../watch/samples.js';
import { addWindowToDetail, WindowOutcomes } from '../../core/windows/feed.js';
import { scanWindows } from '../watch/windows-read.js';
import { SummaryFromWindows } from '../../core/windows/windows-summary.js';
import { WINDOWS_PUSH_MS } from '../../core/contract/invocation.js';

export interface ScenarioOutputInput {
  /** Scenario name (what was run). */
  name: string;
  /** The scenario's folder, k6/<scenario>[-<repeat>]. */
  outDir: string;
  /** Second 0 of the timeline: when the run started, ms since the epoch (null: not known). */
  originMs: number | null;
  /** How k6 ended, when known (null: not known, as for a rebuild). */
  k6Exit: { code: number | null; signal: string | null; tail?: string } | null;
  /** What the runner knows: status, error, files, server resources, notes. */
  ctx: ConvertContext;
  /** The run wrote no per-request samples (the default): the windows are what there is to rebuild from. */
  samplesOff?: boolean;
}

export interface ScenarioOutput {
  report: ScenarioReport;
  /** What the figures came from, one line. */
  source: string;
  partial: boolean;
  /** false: nothing k6 wrote could be read, so the report has no figures, only the reason. */
  measured: boolean;
}

/** Why k6 wrote no (usable) summary, in a person's words, from how it ended and what it said. */
export function whyNoSummary(k6Exit: ScenarioOutputInput['k6Exit'], summaryProblem: string | null): string {
  const said = k6Exit?.tail ?? '';
  // k6 logs it as logfmt:
  // msg="Could not save some summary information:\n\t* could not open '<file>': open <file>: read-only file system"
  const save = /((?:could not open|error saving summary to) '[^']*'[^\n"]*)/.exec(said)?.[1];
  if (save !== undefined) {
    const code = /no space left on device/i.test(save)
      ? 'ENOSPC'
      : /read-only file system/i.test(save)
        ? 'EROFS'
        : /permission denied/i.test(save)
          ? 'EACCES'
          : /no such file or directory/i.test(save)
            ? 'ENOENT'
            : null;
    return `k6 could not write its summary (${code === null ? save : describeCause(code)})`;
  }
  if (k6Exit?.signal != null && k6Exit.code === null)
    return `k6 was killed (${k6Exit.signal}) before writing its summary`;
  if (summaryProblem !== null) return `k6's summary is unusable (${summaryProblem})`;
  if (k6Exit === null) return 'k6 left no summary (it was stopped before the end of the scenario)';
  return `k6 ended (exit code ${k6Exit.code ?? '?'}) without writing its summary`;
}

export async function planFromLog(outDir: string): Promise<ScenarioPlan | null> {
  const text = await readFile(path.join(outDir, K6_FILES.log), 'utf8').catch(() => null);
  if (text === null) return null;
  const found = findPlanLine(text);
  if (found === null) return null;
  const { validateScenarioPlan } = await import('../../generated/file-validators.cjs');
  try {
    return assertValid(
      validateScenarioPlan,
      found,
      `${shown(path.join(outDir, K6_FILES.log))} (the plan k6 logged at start)`,
    );
  } catch {
    return null;
  }
}

export async function planFromFile(outDir: string): Promise<ScenarioPlan | null> {
  const file = path.join(outDir, K6_FILES.plan);
  if (!existsSync(file)) return null;
  const { validateScenarioPlan } = await import('../../generated/file-validators.cjs');
  try {
    return assertValid(validateScenarioPlan, JSON.parse(await readFile(file, 'utf8')), shown(file));
  } catch {
    return null;
  }
}

const NOT_K6S_OWN = "k6's own threshold judgements are not available: the verdicts are the report's, and ";

export async function scenarioFromOutput(input: ScenarioOutputInput): Promise<ScenarioOutput> {
  const { outDir, ctx } = input;
  const summaryFile = path.join(outDir, K6_FILES.summary);
  const planFile = path.join(outDir, K6_FILES.plan);
  let summary: K6Summary | null = null;
  let plan: ScenarioPlan | null = null;
  let summaryProblem: string | null = null;
  if (existsSync(summaryFile) && existsSync(planFile)) {
    try {
      ({ summary, plan } = await readScenarioOutput(summaryFile, planFile));
    } catch (err) {
      // A summary cut short by a full disk or a kill mid-write: the samples may still tell.
      summaryProblem = (err as Error).message.split('\n')[0]!;
    }
  }
  plan ??= (await planFromFile(outDir)) ?? (await planFromLog(outDir));
  // With k6's summary only the outcomes are read (the timeline); without it every metric the report
  // reads, fed to an accumulator rather than kept.
  const complete = summary !== null && plan !== null;
  const outcomes = new OutcomeLog();
  const fromSamples = new SummaryFromSamples(plan?.latencyMetric);
  // Latency over time and its distribution, for the report's charts, read in the same pass.
  const detail = new LatencyDetailLog(detailMetrics(plan?.latencyMetric, plan?.stream != null));
  const samplesFile = path.join(outDir, K6_FILES.samples);
  const read = await scanSamples(
    samplesFile,
    new Set([...(complete ? [K6_METRICS.requestFailed] : metricsToRead(plan?.latencyMetric)), ...detail.metrics]),
    (s) => {
      if (s.metric === K6_METRICS.requestFailed) outcomes.add(s.tMs, s.value !== 0);
      if (!complete) fromSamples.add(s);
      detail.add(s);
    },
  );
  // Without --samples: k6's own windows give the timeline and the latency detail, to a window's precision.
  const windows = new WindowOutcomes();
  const latencyMetric = plan?.latencyMetric ?? K6_METRICS.latency;
  const fromWindows = new SummaryFromWindows(latencyMetric, WINDOWS_PUSH_MS);
  const windowsFile = path.join(outDir, K6_FILES.windows);
  const seen =
    read === null && plan !== null
      ? await scanWindows(
          windowsFile,
          (w) => {
            windows.add(w);
            addWindowToDetail(detail, w, latencyMetric);
          },
          latencyMetric,
          complete ? undefined : (p) => fromWindows.add(p),
          detail.metrics,
        )
      : null;
  const timeline =
    seen === null ? timelineOf(outcomes, input.originMs) : timelineOfWindows(windows.list(), input.originMs);
  const latencyDetail = input.originMs === null ? null : detail.detail(input.originMs);
  const withTimeline = (r: ScenarioReport): ScenarioReport => ({
    ...r,
    ...(timeline === null ? {} : { timeline }),
    ...(latencyDetail === null ? {} : { latencyDetail }),
  });

  if (summary !== null && plan !== null) {
    return {
      report: withTimeline(convertScenario(plan, summary, ctx)),
      source: `k6's summary (${shown(summaryFile)})`,
      partial: false,
      measured: true,
    };
  }

  const why = whyNoSummary(input.k6Exit, summaryProblem);
  const status: ScenarioReport['status'] = ctx.status === 'completed' ? 'error' : ctx.status;
  const error = ctx.error ?? why;
  /** A scenario rebuilt without k6's summary, marked partial, saying what from. */
  const rebuiltFrom = (p: ScenarioPlan, s: K6Summary, partial: string, from: string): ScenarioOutput => {
    const report = convertScenario(p, s, {
      ...ctx,
      status,
      error,
      files: { ...ctx.files, summary: null, plan: existsSync(planFile) ? ctx.files.plan : null },
    });
    return { report: withTimeline({ ...report, partial }), source: `${from}, partial`, partial: true, measured: true };
  };
  if (plan !== null && outcomes.size > 0) {
    const missing = read?.truncated
      ? '; k6 compresses its samples in blocks, so the last requests before it stopped may be missing'
      : '';
    const partial =
      `${why}: the figures are rebuilt from the ${outcomes.size} per-request samples it had written ` +
      `(${shown(samplesFile)})${missing}. ${NOT_K6S_OWN}the duration runs from the first sample to the last.`;
    return rebuiltFrom(plan, fromSamples.result().summary, partial, `k6's per-request samples (${shown(samplesFile)})`);
  }

  const rebuilt = fromWindows.result();
  if (plan !== null && rebuilt.requests > 0) {
    const partial =
      `${why}: the figures are rebuilt from the ${fromWindows.size} one-second windows k6 had pushed ` +
      `(${shown(windowsFile)}), so what it took in after its last push is missing (a request timed but not yet ` +
      'judged by then is in the latencies only); latencies are to within ' +
      "about 5 % and k6's checks are not listed (a window gives their ratio, not their count). " +
      `${NOT_K6S_OWN}the duration runs from k6's start (a window before its first push) to its last push.`;
    return rebuiltFrom(plan, rebuilt.summary, partial, `k6's one-second windows (${shown(windowsFile)})`);
  }

  const nothing =
    plan === null && outcomes.size > 0
      ? `${why}; it left ${outcomes.size} per-request samples but no plan to read them against`
      : input.samplesOff === true
        ? `${why}; per-request samples were off (the default; --samples writes them) and no window k6 pushed ` +
          'holds a request, ' +
          'so its figures cannot be rebuilt'
        : `${why}; no request was recorded`;
  const failed = failedScenario(input.name, plan?.description ?? input.name, {
    ...ctx,
    status,
    error: ctx.error === null ? nothing : `${ctx.error} (${nothing})`,
    files: { summary: null, plan: null, dashboard: ctx.files.dashboard ?? null },
  });
  return { report: withTimeline(failed), source: 'nothing k6 wrote could be read', partial: true, measured: false };
}
