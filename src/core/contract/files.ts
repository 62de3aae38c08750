/**
 * The files of one k6 run's folder (k6/<scenario>/ of a run folder, a sweep step's, a cloud or
 * operator run folder): what k6 writes there, through handleSummary into OUT_DIR or its own outputs,
 * and what the runner keeps beside them; the Node side reads each by the same name.
 */
export const K6_FILES = {
  /** k6's raw end-of-test summary (handleSummary, src/k6/lib/scenario.ts), read by the converter. */
  summary: 'summary.json',
  /** The plan the scenario ran under (handleSummary). */
  plan: 'plan.json',
  /** k6's output as the runner kept it, with the plan logged at start (src/core/plan/plan-line.ts). */
  log: 'k6.log',
  /** Which share of which run a runner of a split run held (schemas/runner.schema.json). */
  runner: 'runner.json',
  /** Every request's samples (`--out csv=`), a per-request timeline. */
  samples: 'samples.csv.gz',
  /**
   * Without samples (the default; --samples writes them): k6's own per-second aggregates, as its
   * remote-write output pushed them to the runner (src/node/watch/windows-receiver.ts), one JSON line per push.
   */
  windows: 'windows.jsonl',
  /** k6's web dashboard report (K6_WEB_DASHBOARD_EXPORT). */
  dashboard: 'dashboard.html',
  /** `k6 archive -O`: script, options and -e variables in one tar, for k6 cloud and the k6-operator. */
  archive: 'archive.tar',
  /** What `k6 archive` printed. */
  archiveLog: 'archive.log',
} as const;

export type K6FileName = (typeof K6_FILES)[keyof typeof K6_FILES];

/** A file of the run folder `dir` (an absolute path), joined as both runtimes can: k6 has no path module. */
export function runFile(dir: string, file: K6FileName): string {
  return `${dir.replace(/\/+$/, '')}/${file}`;
}
