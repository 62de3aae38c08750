/**
 * Every k6 command line the toolkit runs, built in one place: `k6 run` of a scenario (the run, both
 * sweeps, the benchmark through the runner), of the benchmark's own scripts, `k6 archive`, `k6 cloud`
 * and the arguments a k6-operator runner adds to its `k6 run`. Pure: argv arrays and environment
 * entries; the Node side spawns.
 */
import { k6EnvArgs, type K6VarValues, type K6VarValuesExcept } from './env.js';
import { K6_FILES, runFile } from './files.js';

/**
 * Every k6 that loads a server from this machine: no usage report home, and k6's REST API, which
 * would take port 6565 and collide with any other k6 running here, on a free port; nothing uses it.
 */
export const LOCAL_K6_FLAGS = ['--no-usage-report', '--address', '127.0.0.1:0'] as const;

/** Explicit, because K6_INCLUDE_SYSTEM_ENV_VARS=true would copy the whole environment into an archive or the cloud. */
const NO_SYSTEM_ENV = '--include-system-env-vars=false';

/**
 * The system tags k6 attaches to every sample: what the toolkit reads (scenario = phase, status,
 * check and group for the summary's checks, the error ones) and what a person filters by (method,
 * name). k6's default adds url, proto, subproto, tls_version, service and expected_response, which
 * nothing reads: each is a map entry on every sample and a CSV cell on every row (a measured third
 * of the CSV output's CPU). The endpoint is a tag of our own.
 */
export const SYSTEM_TAGS = ['scenario', 'status', 'method', 'name', 'group', 'check', 'error', 'error_code'] as const;

/**
 * The CSV output's settings: times in ms since the epoch, and rows written every 20 ms instead of
 * every second, so that formatting the rows (sixteen per request) is many small bursts of k6's CPU,
 * not one that takes a core from the server at once. At 1,000 req/s on /generate (20 s runs, the
 * same CPU): 1 s gave p95 / p99 13–16 / 28–37 ms and dropped requests, 200 ms 5.5–8.4 / 13–18, 20 ms
 * 2.9–6.0 / 8–12.9 (docs/performance.md).
 */
export const CSV_ENV = { K6_CSV_TIME_FORMAT: 'unix_milli', K6_CSV_SAVE_INTERVAL: '20ms' } as const;

/**
 * How long k6's browser module waits for Chromium to start and to open a page (K6_BROWSER_TIMEOUT; k6's
 * default is 30 s, and on two busy cores a page once took longer and failed its phase). The runner sets
 * it (src/node/k6/k6.ts) and a streamed phase's k6 scenario allows for it (src/k6/lib/k6-scenario.ts).
 */
export const BROWSER_PAGE_TIMEOUT_SEC = 60;

/**
 * k6's built-in web dashboard (the former xk6-dashboard), exported as one self-contained HTML file.
 * Port -1: no HTTP server, so nothing is left listening and no browser is waited for. The period
 * comes from the run's planned length (src/core/report/dashboard.ts): every period the dashboard
 * sorts all latencies collected so far, so a short one costs CPU taken from the server under test.
 */
export function dashboardEnv(file: string | null, periodMs = 1000): Record<string, string> {
  if (file === null) return { K6_WEB_DASHBOARD: 'false' };
  return {
    K6_WEB_DASHBOARD: 'true',
    K6_WEB_DASHBOARD_PORT: '-1',
    K6_WEB_DASHBOARD_OPEN: 'false',
    K6_WEB_DASHBOARD_PERIOD: `${periodMs}ms`,
    K6_WEB_DASHBOARD_EXPORT: file,
  };
}

/** The k6 output that pushes its per-window aggregates (src/core/windows/remote-write.ts). */
export const WINDOWS_OUTPUT = 'experimental-prometheus-rw';
/** Whether k6 outputs (`--out` values) hold that output already: k6 configures one, from its environment. */
export function holdsWindowsOutput(outputs: readonly string[]): boolean {
  return outputs.some((o) => o.split('=')[0] === WINDOWS_OUTPUT);
}
/** How often k6 pushes them: the windows' width, and the most a killed k6 takes with it. */
export const WINDOWS_PUSH_MS = 1000;

/**
 * k6's remote-write output pointed at the runner's receiver on loopback: trends as native histograms
 * (buckets about 9 % wide, read at their middle: a percentile within about 5 %), pushed every
 * WINDOWS_PUSH_MS, no stale markers (a series k6 stops feeding is over, not gone). Measured at full
 * speed, 20,000 requests: it costs k6 about a fifth of the CPU the CSV of every sample costs over no
 * output, and a fixed 25 MB (docs/performance.md, "Windows instead of samples").
 */
export function windowsEnv(url: string): Record<string, string> {
  return {
    K6_PROMETHEUS_RW_SERVER_URL: url,
    K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM: 'true',
    K6_PROMETHEUS_RW_PUSH_INTERVAL: `${WINDOWS_PUSH_MS}ms`,
    K6_PROMETHEUS_RW_STALE_MARKERS: 'false',
  };
}

export interface K6RunArgv {
  script: string;
  vars: K6VarValues;
  /** More k6 flags (outputs, tags, --quiet), before the variables. */
  flags?: readonly string[];
  /**
   * Variables of a script that is not the toolkit's (the benchmark's own, bench/k6/), whose names
   * its module declares; the toolkit's scripts read only `vars`.
   */
  scriptVars?: Readonly<Record<string, string>>;
}

/** `k6 run` of a script on this machine. */
export function k6RunArgv(o: K6RunArgv): string[] {
  const more = Object.entries(o.scriptVars ?? {}).flatMap(([name, value]) => ['-e', `${name}=${value}`]);
  return ['run', ...LOCAL_K6_FLAGS, ...(o.flags ?? []), ...k6EnvArgs(o.vars), ...more, o.script];
}

export interface ScenarioRunArgv {
  script: string;
  /** The scenario's run folder (absolute): k6 writes its files there (src/core/contract/files.ts). */
  outDir: string;
  /** Every variable but the run folder's. */
  vars: K6VarValuesExcept<'OUT_DIR'>;
  /** Every request's samples into the run folder (--samples). */
  samples: boolean;
  /** k6's per-window aggregates pushed to the runner instead (windowsEnv gives their address). */
  windows?: boolean;
  /** More `--out` outputs. */
  outputs: readonly string[];
  /** One runner's share of a split run: the flags the k6-operator gives each runner Pod. */
  segment?: ExecutionSegmentFlags | null;
}

/** k6's `--execution-segment` and `--execution-segment-sequence` (src/core/merge/segments.ts). */
export interface ExecutionSegmentFlags {
  segment: string;
  sequence: string;
}

/** The flags that make a k6 run one share of a split run, as the k6-operator passes them. */
export function segmentArgs(s: ExecutionSegmentFlags | null | undefined): string[] {
  return s == null ? [] : [`--execution-segment=${s.segment}`, `--execution-segment-sequence=${s.sequence}`];
}

/** `k6 run` of a toolkit scenario into its run folder. */
export function scenarioRunArgv(o: ScenarioRunArgv): string[] {
  return k6RunArgv({
    script: o.script,
    vars: { ...o.vars, OUT_DIR: o.outDir },
    flags: [
      ...segmentArgs(o.segment),
      // Every request's time and latency, for drift, the leak check and latency-over-time plots.
      ...(o.samples ? ['--out', `csv=${runFile(o.outDir, K6_FILES.samples)}`] : []),
      ...(!o.samples && o.windows === true ? ['--out', WINDOWS_OUTPUT] : []),
      '--system-tags',
      SYSTEM_TAGS.join(','),
      ...o.outputs.flatMap((out) => ['--out', out]),
    ],
  });
}

/** `k6 archive` of a bundled script into `archiveFile`, the variables recorded in the archive. */
export function k6ArchiveArgv(o: { script: string; archiveFile: string; vars: K6VarValues }): string[] {
  return ['archive', NO_SYSTEM_ENV, ...k6EnvArgs(o.vars), '-O', o.archiveFile, o.script];
}

/** `k6 cloud upload|run` of an archive; with local execution a `k6 run` here that streams to the cloud. */
export function k6CloudArgv(o: {
  command: 'upload' | 'run';
  archive: string;
  vars: K6VarValues;
  localExecution: boolean;
}): string[] {
  const local = o.localExecution ? ['--local-execution', ...LOCAL_K6_FLAGS] : [];
  return ['cloud', o.command, ...local, NO_SYSTEM_ENV, ...k6EnvArgs(o.vars), o.archive];
}

/**
 * What the k6-operator adds to each runner Pod's `k6 run` (a TestRun's spec.arguments, split on
 * spaces). The archive already carries the variables; passing them again makes them visible in the
 * TestRun and lets `kubectl edit` change them without rebuilding the archive. Usage reports stay
 * off, as here. With `resultsDir` (the runner's own folder on a shared volume) the runner leaves
 * there what a merge needs, as a local run does: summary, plan and runner.json (OUT_DIR, RUN_ID),
 * every request's samples, and k6's log with the plan it logged at start. Each flag and its value
 * are separate tokens, so that the operator's initializer, which passes the arguments on to
 * `k6 archive`, recognises and leaves out those `k6 archive` has not (--out, --log-output).
 */
export function operatorRunArgs(vars: K6VarValues, resultsDir: string | null = null): string[] {
  if (resultsDir === null) return [...k6EnvArgs(vars), '--no-usage-report'];
  return [
    ...k6EnvArgs({ ...vars, OUT_DIR: resultsDir }),
    '--out',
    `csv=${runFile(resultsDir, K6_FILES.samples)}`,
    '--system-tags',
    SYSTEM_TAGS.join(','),
    `--log-output=file=${runFile(resultsDir, K6_FILES.log)}`,
    '--no-usage-report',
  ];
}
