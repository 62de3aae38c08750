/**
 * The runner's configuration (npm run k6:<scenario>, npm run load-test), from its one flag
 * declaration (src/node/flags/commands.ts RUN) and REALIZAR_K6_OPTIONS.
 */
import path from 'node:path';
import { parseMix, type MixEntry } from '../../core/plan/mix.js';
import type { Gate } from '../../core/types.js';
import { parseStages, type ShapeOverride } from '../../core/plan/shape.js';
import { profileOf } from '../../core/target/servers.js';
import { arrivalSpecText, parseArrivals, type ArrivalSpec } from '../../core/arrivals/schedule.js';
import { parseTimeScale, parseTraceLimit } from '../../core/arrivals/trace.js';
import { parseGoodput, type GoodputObjective } from '../../core/rules/goodput.js';
import { RUN } from '../flags/commands.js';
import { parseFlags, usageText, type FlagValues } from '../flags/declare.js';
import { choice, file, invalid, offOrBetween, positive, whole } from '../flags/values.js';
import { scenarioFileOf } from '../own/own-scenario.js';
import { SEED_ORDER } from '../run/scenarios.js';
import { holdsWindowsOutput } from '../../core/contract.js';
import { buildTarget } from './target.js';
import { seedOf, workloadOf, type WorkloadRunConfig } from './workload.js';

/**
 * What a scenario's plan is resolved from (src/node/run/plans.ts): the target, the workload and the flags
 * that shape the load. A run's, and an archive's (src/node/config/archive.ts).
 */
export type PlanConfig = WorkloadRunConfig &
  Pick<
    RunConfig,
    | 'scenarios'
    | 'scenarioFile'
    | 'promptsFile'
    | 'thresholdsDir'
    | 'gate'
    | 'mix'
    | 'scale'
    | 'shape'
    | 'timeoutSec'
    | 'arrivals'
    | 'goodput'
  >;

export interface RunConfig extends WorkloadRunConfig {
  /** Scenario names to run, in order ('seed' and 'all' expanded). */
  scenarios: string[];
  /** A scenario file of one's own to run (absolute; its name is in `scenarios`), or null. */
  scenarioFile: string | null;
  /** A JSONL prompt set (absolute path), checked before anything runs; null: the seed's prompts. */
  promptsFile: string | null;
  /** Requests of a warm-up run before each scenario, whose figures are discarded (0: none). */
  warmupRequests: number;
  outDir: string;
  /** Another folder of thresholds files (same names as thresholds/), or null for thresholds/. */
  thresholdsDir: string | null;
  gate: Gate;
  mix: MixEntry[] | null;
  scale: number;
  /** The run's shape in place of the scenario's (--concurrency, --requests, --rate, --duration). */
  shape: ShapeOverride | null;
  /** Per-request timeout replacing each scenario's, or null. */
  timeoutSec: number | null;
  /** Export k6's web dashboard report (dashboard.html, --dashboard); off by default. */
  dashboard: boolean;
  /** Write k6's per-request samples (samples.csv.gz, --samples); else k6's own windows (windows.jsonl). */
  samples: boolean;
  /** Measure the floor before each streamed scenario (src/node/calibrate/floor.ts); off with --no-calibrate. */
  calibrate: boolean;
  /** Run every scenario this many times, interleaved (run 1 of each, then run 2...). */
  runs: number;
  /** k6 processes each scenario is split over (execution segments), merged into one report; 1: not split. */
  segments: number;
  /** Extra k6 outputs (`k6 run --out`), e.g. experimental-prometheus-rw. */
  k6Outputs: string[];
  /** With --no-server: the server's process, so its memory and CPU can be watched. */
  serverPid: number | null;
  /** profiles/<name>.json or a file: what the server's /metrics counters count; null: no scrape. */
  serverProfile: string | null;
  /** When an open phase's requests are due (--arrivals); constant: k6's even beat. */
  arrivals: ArrivalSpec;
  /** Per-request objectives (--goodput). */
  goodput: GoodputObjective[] | null;
  /** Seconds between scrapes of the server's metrics during the load, for its series over time; 0: off. */
  scrapeIntervalSec: number;
  help: boolean;
}

/** --arrivals, --seed, --trace and its companions, --goodput; a companion without --trace is refused. */
export function arrivalsOf(f: FlagValues, cwd: string): Pick<RunConfig, 'arrivals' | 'seed' | 'trace' | 'goodput'> {
  const traceFile = f.value('--trace', file(cwd)) ?? null;
  const timeScale = f.value('--time-scale', parseTimeScale);
  const limit = f.value('--trace-limit', parseTraceLimit);
  const arrivals = f.value('--arrivals', parseArrivals);
  if (traceFile === null) {
    if (timeScale !== undefined) invalid('--time-scale', "--trace beside it (it scales a trace's times)", timeScale);
    if (limit !== undefined) invalid('--trace-limit', '--trace beside it (it shortens a trace)', limit);
  } else {
    if (arrivals !== undefined)
      invalid(
        '--arrivals',
        'no --arrivals beside --trace (the trace gives every arrival time)',
        arrivalSpecText(arrivals),
      );
    if (f.has('--rate')) invalid('--rate', 'no --rate beside --trace (the trace gives every arrival time)', '--rate');
    if (f.has('--stages'))
      invalid('--stages', 'no --stages beside --trace (the trace gives every arrival time)', '--stages');
    if (f.has('--duration')) invalid('--duration', 'no --duration beside --trace (the trace sets it)', '--duration');
    if (f.has('--requests')) invalid('--requests', '--trace-limit to shorten a trace', '--requests');
  }
  return {
    arrivals: arrivals ?? { process: 'constant' },
    seed: seedOf(f),
    trace: traceFile === null ? null : { file: traceFile, timeScale: timeScale ?? 1, limit: limit ?? null },
    goodput: f.value('--goodput', parseGoodput) ?? null,
  };
}

/** --gate: which tier of the thresholds fails the run. */
export const gateOf = (f: FlagValues): Gate =>
  f.value('--gate', choice(['acceptable', 'target'] as const), 'acceptable');

/** The load's shape and its requests (--concurrency, --requests, --rate, --duration, --mix, --timeout, --prompts). */
export function requestsOf(
  f: FlagValues,
  cwd: string,
): Pick<RunConfig, 'shape' | 'mix' | 'timeoutSec' | 'promptsFile'> {
  const shape: ShapeOverride = {
    clients: f.value('--concurrency', whole(100_000)) ?? null,
    requests: f.value('--requests', whole(100_000_000)) ?? null,
    rate: f.value('--rate', positive(100_000)) ?? null,
    durationSec: f.value('--duration', positive(7 * 24 * 3600)) ?? null,
    stages: f.value('--stages', parseStages) ?? null,
  };
  // Each stage gives its own rate and length: a --rate, --duration or --requests beside them has no phase to shape.
  if (shape.stages !== null)
    for (const flag of ['--rate', '--duration', '--requests'] as const)
      if (f.has(flag))
        invalid(flag, 'no --rate, --duration or --requests beside --stages (each stage gives both)', flag);
  return {
    shape: Object.values(shape).some((v) => v !== null) ? shape : null,
    mix: f.value('--mix', (flag, text) => parseMix(text, flag)) ?? null,
    timeoutSec: f.value('--timeout', positive()) ?? null,
    promptsFile: f.value('--prompts', file(cwd)) ?? null,
  };
}

export const USAGE = usageText(RUN);

/** k6 processes one machine may split a scenario over (--segments). */
export const MAX_SEGMENTS = 64;

/** A switch off by default, spelt --x or --no-x: true, false, or null when neither was given; never both. */
function offByDefault(f: FlagValues, on: string): boolean | null {
  const off = `--no-${on.slice(2)}`;
  const [yes, no] = [f.has(on), f.has(off)];
  if (yes && no) invalid(on, `either ${on} or ${off} (the default), not both`, `${off} too`);
  return yes ? true : no ? false : null;
}

/**
 * Per-request samples are off by default: k6's own one-second windows stand in for them. On with
 * --samples, and when the user's outputs take k6's remote-write output: k6 configures that output once,
 * from its environment, so the windows would go to the user's store instead of the runner.
 */
const samplesAsked = (f: FlagValues): boolean => offByDefault(f, '--samples') ?? holdsWindowsOutput(f.list('--k6-out'));

function scenariosOf(which: string | undefined, available: readonly string[]): string[] {
  const expected = `one of ${[...available, 'seed', 'all'].join(', ')}, or a scenario file (./loadtests/my-chat.ts)`;
  // A file of one's own is named after it; src/node/own/own-scenario.ts reads and checks it.
  const own = scenarioFileOf(which, '.');
  if (own !== null) return [own.name];
  if (which === undefined) invalid('scenario', expected, undefined);
  if (which === 'all') return [...available];
  if (which === 'seed') return available.filter((s) => SEED_ORDER.includes(s));
  if (available.includes(which)) return [which];
  return invalid('scenario', expected, which);
}

/**
 * @param argv arguments after the script (first: a scenario name, 'seed' or 'all')
 * @param available scenario names found in src/k6/scenarios, in run order
 */
export function parseRunConfig(
  argv: readonly string[],
  available: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): RunConfig {
  // REALIZAR_K6_OPTIONS adds options without touching the command (a CI variable, say); a flag given
  // in both places is an error, never a silent pick.
  const fromEnv = env['REALIZAR_K6_OPTIONS'];
  const f = parseFlags(
    RUN,
    argv,
    fromEnv === undefined ? undefined : { variable: 'REALIZAR_K6_OPTIONS', text: fromEnv },
  );
  const help = f.has('--help');
  const target = buildTarget(f, env, cwd);

  const serverPid = f.value('--server-pid', whole(4194304));
  if (serverPid !== undefined && target.manageServer)
    invalid('--server-pid', '--no-server beside it (a server this run starts is watched anyway)', String(serverPid));
  const profileText = f.text('--server-profile');
  // The server's own profile, when its counters count the requests of the run's API.
  // Not for a scenario file of one's own: its endpoints are not those the profile counts by.
  const scenarioFile = help ? null : scenarioFileOf(f.positionals[0], cwd);
  const defaultProfile = scenarioFile !== null ? null : profileOf(target.server, target.api);

  const config: RunConfig = {
    ...target,
    scenarios: help ? [] : scenariosOf(f.positionals[0], available),
    scenarioFile: scenarioFile?.file ?? null,
    outDir: path.resolve(cwd, f.text('--out-dir') ?? 'reports'),
    thresholdsDir: f.value('--thresholds-dir', file(cwd)) ?? null,
    gate: gateOf(f),
    ...requestsOf(f, cwd),
    scale: f.value('--scale', positive(1), 1),
    // k6's web dashboard copies every sample, which lengthens the tail (docs/performance.md).
    dashboard: offByDefault(f, '--dashboard') === true,
    samples: samplesAsked(f),
    // Both read: the parser refuses a declared flag left unread. --calibrate only says the default.
    calibrate: [f.has('--calibrate'), f.has('--no-calibrate')][1] === false,
    serverPid: serverPid ?? null,
    serverProfile: profileText === 'none' ? null : (profileText ?? defaultProfile),
    scrapeIntervalSec: f.value('--scrape-interval', offOrBetween(0.1, 3600), 1),
    warmupRequests: f.value('--warmup', whole(1_000_000), 0),
    runs: f.value('--runs', whole(100), 1),
    segments: f.value('--segments', whole(MAX_SEGMENTS, 2)) ?? 1,
    k6Outputs: f.list('--k6-out').map((o) => {
      if (o.trim() === '' || /\s/.test(o))
        invalid('--k6-out', 'a k6 output such as experimental-prometheus-rw or json=file.json (no spaces)', o);
      return o;
    }),
    ...arrivalsOf(f, cwd),
    ...workloadOf(f, cwd, { trace: f.has('--trace'), prompts: f.has('--prompts') }),
    help,
  };
  f.done();
  return config;
}
