/** npm run k6:sweep: the capacity of an endpoint within an SLO (src/node/sweep/sweep.ts). */
import path from 'node:path';
import { arrivalSpecText, parseArrivals, type ArrivalSpec } from '../../core/arrivals/schedule.js';
import { SLO_METRICS, SLO_STATS, type SloMetric, type SloStat } from '../../core/rules/metric-table.js';
import type { EndpointName } from '../../core/types.js';
import { SWEEP } from '../flags/commands.js';
import { parseFlags, usageText } from '../flags/declare.js';
import { choice, invalid, percent, positive, whole } from '../flags/values.js';
import { buildTarget } from './target.js';
import { seedOf, workloadOf, type WorkloadRunConfig } from './workload.js';

export interface Slo {
  metric: SloMetric;
  stat: SloStat;
  boundMs: number;
  /** As the user wrote it, normalised: 'ttft_p95<500ms'. */
  text: string;
}

export type SweepEndpoint = Exclude<EndpointName, 'stream-generate'> | 'stream';

export interface SweepConfig extends WorkloadRunConfig {
  endpoint: SweepEndpoint;
  /** Every objective must hold for a step to count (empty: none; every level is reported). */
  slos: Slo[];
  over: 'rate' | 'concurrency';
  /** Highest error rate, in %, a step may have and still count as meeting the SLO. */
  errorBudgetPct: number;
  startRate: number;
  maxRate: number;
  stepSec: number;
  /** Over rate: most requests in flight (k6's maxVUs); a request due with none free is dropped, and fails. */
  clients: number;
  /** Bisection steps between the last good and the first bad rate. */
  refine: number;
  /** Over rate: when each step's requests are due (--arrivals, drawn from --seed); constant: k6's even beat. */
  arrivals: ArrivalSpec;
  /** Over concurrency: the highest level (levels double from 1). */
  maxConcurrency: number;
  /** Over concurrency: requests each client sends at a level. */
  perClient: number;
  timeoutSec: number | null;
  outDir: string;
  help: boolean;
}

export const SWEEP_USAGE = usageText(SWEEP);
const ENDPOINTS: readonly SweepEndpoint[] = [
  'health',
  'tokenize',
  'generate',
  'batch-tokenize',
  'batch-generate',
  'stream',
];

const oneOf = (names: readonly string[]): string => `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
const isOneOf = (names: readonly string[], name: string): boolean => names.includes(name);

/**
 * 'p95<500' or 'ttft_p95<500,itl_p95<50': objectives that must all hold, each on a metric of the metric
 * table an objective may name (src/core/rules/metric-table.ts), request latency when none is written.
 */
export function parseSlos(flag: string, text: string): Slo[] {
  return text.split(',').map((part) => {
    const m = /^\s*(?:([a-z0-9_]+)_)?(p\d+)\s*<\s*(\d+(?:\.\d+)?)\s*(ms)?\s*$/.exec(part);
    if (m === null) {
      const shape = `metric ${oneOf(SLO_METRICS)}; stat ${oneOf(SLO_STATS)}; milliseconds`;
      invalid(flag, `objectives like p95<500 or ttft_p95<500,itl_p95<50 (${shape})`, part);
    }
    const metric = m[1] ?? 'latency';
    if (!isOneOf(SLO_METRICS, metric)) invalid(flag, `an objective on ${oneOf(SLO_METRICS)}`, part);
    const stat = m[2]!;
    if (!isOneOf(SLO_STATS, stat)) invalid(flag, `an objective's stat among ${oneOf(SLO_STATS)}`, part);
    const normalised = `${metric === 'latency' ? '' : `${metric}_`}${stat}<${m[3]}ms`;
    return { metric: metric as SloMetric, stat: stat as SloStat, boundMs: Number(m[3]), text: normalised };
  });
}

export function parseSweepConfig(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): SweepConfig {
  const f = parseFlags(SWEEP, argv);
  const help = f.has('--help');
  const target = buildTarget(f, env, cwd);
  const endpoint = f.value('--endpoint', choice(ENDPOINTS), 'generate');
  const over = f.value(
    '--over',
    choice(['rate', 'concurrency'] as const),
    endpoint === 'stream' ? 'concurrency' : 'rate',
  );
  const slos = f.value('--slo', parseSlos, []);
  if (!help && over === 'rate' && slos.length === 0)
    invalid('--slo', "an objective when sweeping over rate, like --slo 'p95<500'", undefined);
  const workload = workloadOf(f, cwd, { trace: false, prompts: false });
  // A conversation is held by one client from its first turn to its last: a closed level, not an arrival.
  if (over === 'rate' && workload.workload?.turnsGiven === true)
    invalid('--turns', 'conversations over concurrency (--over concurrency): each client holds one', f.text('--turns'));
  const arrivals = f.value('--arrivals', parseArrivals) ?? { process: 'constant' };
  // Over concurrency a client sends its next request when its last ends: nothing arrives on a schedule.
  if (over === 'concurrency' && arrivals.process !== 'constant')
    invalid('--arrivals', 'an arrival process over rate only (--over rate)', arrivalSpecText(arrivals));
  const startRate = f.value('--start-rate', positive(), 1);
  const maxRate = f.value('--max-rate', positive(), 1024);
  if (maxRate < startRate) invalid('--max-rate', `at least --start-rate (${startRate})`, String(maxRate));
  const config: SweepConfig = {
    ...target,
    ...workload,
    seed: seedOf(f),
    trace: null,
    endpoint,
    slos,
    over,
    errorBudgetPct: f.value('--error-budget', percent, 1),
    startRate,
    maxRate,
    stepSec: f.value('--step-sec', positive(3600), 10),
    clients: f.value('--clients', whole(10000), 50),
    refine: f.value('--refine', whole(10, 0), 3),
    arrivals,
    maxConcurrency: f.value('--max-concurrency', whole(4096), 64),
    perClient: f.value('--per-client', whole(10000), 5),
    timeoutSec: f.value('--timeout', positive()) ?? null,
    outDir: path.resolve(cwd, f.text('--out-dir') ?? 'reports'),
    help,
  };
  f.done();
  return config;
}
