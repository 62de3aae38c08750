/** npm run k6:sweep: the capacity of an endpoint within an SLO (src/node/sweep/sweep.ts). */
import path from 'node:path';
import type { EndpointName } from '../../core/types.js';
import { SWEEP } from '../flags/commands.js';
import { parseFlags, usageText } from '../flags/declare.js';
import { choice, invalid, percent, positive, whole } from '../flags/values.js';
import { buildTarget, type TargetConfig } from './target.js';

/** The metrics an objective may name: request latency, or a stream's. */
export type SloMetric = 'latency' | 'ttft' | 'itl' | 'e2e';
export type SloStat = 'p50' | 'p90' | 'p95' | 'p99';

export interface Slo {
  metric: SloMetric;
  stat: SloStat;
  boundMs: number;
  /** As the user wrote it, normalised: 'ttft_p95<500ms'. */
  text: string;
}

export type SweepEndpoint = Exclude<EndpointName, 'stream-generate'> | 'stream';

export interface SweepConfig extends TargetConfig {
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
  /** Over concurrency: the highest level (levels double from 1). */
  maxConcurrency: number;
  /** Over concurrency: requests each client sends at a level. */
  perClient: number;
  timeoutSec: number | null;
  outDir: string;
  help: boolean;
}

export const SWEEP_USAGE = usageText(SWEEP);
const ENDPOINTS: readonly SweepEndpoint[] = ['health', 'tokenize', 'generate', 'batch-tokenize', 'batch-generate', 'stream'];

/** 'p95<500' or 'ttft_p95<500,itl_p95<50': objectives that must all hold. */
export function parseSlos(flag: string, text: string): Slo[] {
  return text.split(',').map((part) => {
    const m = /^\s*(?:(latency|ttft|itl|e2e)_)?(p50|p90|p95|p99)\s*<\s*(\d+(?:\.\d+)?)\s*(ms)?\s*$/.exec(part);
    if (m === null) {
      invalid(flag, 'objectives like p95<500 or ttft_p95<500,itl_p95<50 (metric latency, ttft, itl or e2e; stat p50, p90, p95 or p99; milliseconds)', part);
    }
    const metric = (m[1] ?? 'latency') as SloMetric;
    return { metric, stat: m[2] as SloStat, boundMs: Number(m[3]), text: `${metric === 'latency' ? '' : `${metric}_`}${m[2]}<${m[3]}ms` };
  });
}

export function parseSweepConfig(argv: readonly string[], env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): SweepConfig {
  const f = parseFlags(SWEEP, argv);
  const help = f.has('--help');
  const target = buildTarget(f, env, cwd);
  const endpoint = f.value('--endpoint', choice(ENDPOINTS), 'generate');
  const over = f.value('--over', choice(['rate', 'concurrency'] as const), endpoint === 'stream' ? 'concurrency' : 'rate');
  const slos = f.value('--slo', parseSlos, []);
  if (!help && over === 'rate' && slos.length === 0) invalid('--slo', "an objective when sweeping over rate, like --slo 'p95<500'", undefined);
  const startRate = f.value('--start-rate', positive(), 1);
  const maxRate = f.value('--max-rate', positive(), 1024);
  if (maxRate < startRate) invalid('--max-rate', `at least --start-rate (${startRate})`, String(maxRate));
  const config: SweepConfig = {
    ...target,
    endpoint,
    slos,
    over,
    errorBudgetPct: f.value('--error-budget', percent, 1),
    startRate,
    maxRate,
    stepSec: f.value('--step-sec', positive(3600), 10),
    clients: f.value('--clients', whole(10000), 50),
    refine: f.value('--refine', whole(10, 0), 3),
    maxConcurrency: f.value('--max-concurrency', whole(4096), 64),
    perClient: f.value('--per-client', whole(10000), 5),
    timeoutSec: f.value('--timeout', positive()) ?? null,
    outDir: path.resolve(cwd, f.text('--out-dir') ?? 'reports'),
    help,
  };
  f.done();
  return config;
}
