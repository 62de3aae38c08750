/**
 * npm run k6:sweep -- --over concurrency (the default for --endpoint stream): the endpoint's own
 * scenario (src/k6/scenarios/<endpoint>.ts) run at 1, 2, 4 … --max-concurrency clients, each
 * sending --per-client requests (closed model, the scenario's shape replaced through SHAPE_*), every
 * level run and reported: the table and the charts of TTFT, inter-token latency, end-to-end and
 * output tokens per second against concurrency (src/core/commands/concurrency-sweep.ts), with what the load
 * generator cost at each level. Also one step of a rate sweep of a streamed endpoint, which needs
 * the streamed scenario rather than the plain step script.
 */
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  concurrencyCharts,
  concurrencyLevels,
  concurrencyMarkdown,
  concurrencyStep,
  concurrencySummary,
  goodputLevel,
  type UnjudgedStep,
} from '../../core/commands/concurrency-sweep.js';
import type { SweepReport, SweepStep } from '../../core/types.js';
import { EXIT } from '../../core/errors/exit-codes.js';
import { assertValid } from '../../core/errors/schema-errors.js';
import { validateSweepReport } from '../../generated/file-validators.cjs';
import type { SweepConfig } from '../config/index.js';
import type { K6RunError } from '../errors/K6RunError.js';
import { ServerExitedError } from '../errors/ServerExitedError.js';
import { GeneratorSampler, generatorReport } from '../watch/generator.js';
import { runK6 } from '../k6/k6.js';
import type { GoodputObjective } from '../../core/rules/goodput.js';
import { log } from '../process/log.js';
import { DIST_K6_DIR, shown } from '../files/paths.js';
import { type Child } from '../process/processes.js';
import { createRunDir } from '../files/report-files.js';
import { keepSweepFiles } from './sweep-files.js';
import { prepareTarget, withTarget } from '../target/target.js';
import { shapeEnv, targetEnv } from '../target/target-env.js';
import type { ShapeOverride } from '../../core/plan/shape.js';
import {
  checkSweepWorkload,
  stepArrivalVars,
  stepWorkloadVars,
  streamRateShape,
  sweepWorkloadText,
} from './sweep-workload.js';
import { readStep, type StepResult } from './step-result.js';

type Control = { interrupted: boolean; k6: Child | null };

/** The endpoint's scenario, bundled for the sweep. */
export async function sweepScenarioScript(endpoint: SweepConfig['endpoint']): Promise<string> {
  const { bundleScenarios } = await import('../../../build/bundle.js');
  const [script] = await bundleScenarios([endpoint], `${DIST_K6_DIR}-sweep`, null, { houseBlock: false });
  return script!;
}

/** The sweep's objectives as per-request bounds (ttft_p95<500 → ttft<500): goodput's one definition. */
function sloObjectives(config: SweepConfig): GoodputObjective[] | null {
  if (config.slos.length === 0) return null;
  // A stream's latency is its end-to-end time (the plan's latency metric).
  const stream = config.endpoint === 'stream';
  return config.slos.map((s) => ({
    metric: stream && s.metric === 'latency' ? 'e2e' : s.metric,
    boundMs: s.boundMs,
    inclusive: false,
    text: `${stream && s.metric === 'latency' ? 'e2e' : s.metric}<${s.boundMs}ms`,
  }));
}

export interface ShapedRun {
  config: SweepConfig;
  k6Path: string;
  script: string;
  outDir: string;
  /** What k6 runs, for an error: 'the level of 4 client(s)'. */
  what: string;
  /** The scenario's shape at this step (the SHAPE_* variables). */
  shape: ShapeOverride;
  onStart: (c: Child) => void;
}

/** A level of n clients, each sending --per-client requests. */
const levelShape = (n: number, config: SweepConfig): ShapeOverride => ({
  clients: n,
  requests: n * config.perClient,
  rate: null,
  durationSec: null,
});

/** One run of the endpoint's scenario in the shape `shape` (SHAPE_* variables), read as a run reads it. */
async function runShaped(o: ShapedRun): Promise<StepResult> {
  const { config, k6Path, script, outDir, what, shape, onStart } = o;
  await mkdir(outDir, { recursive: true });
  const sampler: { current: GeneratorSampler | null } = { current: null };
  const exit = await runK6({
    k6: k6Path,
    script,
    outDir,
    baseUrl: config.baseUrl,
    gate: 'acceptable',
    scale: 1,
    mix: null,
    timeoutSec: config.timeoutSec,
    dashboardFile: null,
    outputs: [],
    // Each request judged against the objectives' bounds too: the per-request goodput of every level.
    vars: {
      ...targetEnv(config),
      ...shapeEnv(shape),
      GOODPUT: sloObjectives(config),
      ...stepArrivalVars(config),
      ...(await stepWorkloadVars(config, { kind: 'scenario', shape }, outDir)),
    },
    onStart: (child) => {
      onStart(child);
      sampler.current = new GeneratorSampler(child.pid).start();
    },
  });
  const generator = await generatorReport(sampler.current, outDir);
  return readStep({ name: config.endpoint, what, outDir, exit, generator });
}

/** One step of a rate sweep: its offered rate and the sweep's folder, bundle and k6. */
export interface RateStepRun {
  rate: number;
  config: SweepConfig;
  dir: string;
  k6Path: string;
  script: string;
  /** The step's number, from 1. */
  index: number;
  onStart: (c: Child) => void;
}

/** One step of a rate sweep of a streamed endpoint: the streamed scenario, open model, at `rate`. */
export async function streamRateStep(o: RateStepRun): Promise<{ step: UnjudgedStep; problem: K6RunError | null }> {
  const { rate, config, dir, k6Path, script, index, onStart } = o;
  const outDir = path.join(dir, 'k6', `step-${String(index).padStart(2, '0')}-${rate}rps`);
  log.info(`sweep step ${index}: ${rate} req/s for ${config.stepSec} s`);
  const { report, problem } = await runShaped({
    config,
    k6Path,
    script,
    outDir,
    what: `the ${rate} req/s step`,
    shape: streamRateShape(config, rate),
    onStart,
  });
  // Over rate, the step is named by its offered rate; its clients are the sweep's --clients.
  const { concurrency: _clients, ...step } = concurrencyStep(config.clients, report);
  return { step: { ...step, rateRps: rate }, problem };
}

export async function runConcurrencySweep(
  config: SweepConfig,
  control: Control,
  show: (text: string) => void,
  judge: (step: Omit<SweepStep, 'meetsSlo' | 'reason'>) => SweepStep,
  sloText: string,
): Promise<{ report: SweepReport; dir: string; text: string }> {
  const startedAt = new Date();
  await checkSweepWorkload(config, { kind: 'scenario', shape: levelShape(1, config) });
  const { loopback, k6, command } = await prepareTarget(config);
  const script = await sweepScenarioScript(config.endpoint);
  const { runId, dir } = await createRunDir(config.outDir, `sweep-${config.endpoint}`, startedAt);
  const steps: SweepStep[] = [];
  const { version, errors } = await withTarget(config, command, dir, control, async (server) => {
    for (const n of concurrencyLevels(config.maxConcurrency)) {
      if (control.interrupted) break;
      if (server?.unexpectedExit) throw new ServerExitedError('the sweep', shown(server.logFile));
      log.info(`sweep level ${steps.length + 1}: ${n} client(s), ${n * config.perClient} requests`);
      const outDir = path.join(dir, 'k6', `level-${String(steps.length + 1).padStart(2, '0')}-${n}clients`);
      const { report, problem } = await runShaped({
        config,
        k6Path: k6.path,
        script,
        outDir,
        what: `the level of ${n} client(s)`,
        shape: levelShape(n, config),
        onStart: (c) => (control.k6 = c),
      });
      control.k6 = null;
      const step = judge(concurrencyStep(n, report));
      log.info(
        `  ${n} client(s): ${step.meetsSlo ? 'meets' : 'breaks'} the SLO (${step.reason})` +
          (step.generatorShortOfCpu ? '; the load generator was short of CPU' : ''),
      );
      steps.push(step);
      if (problem !== null) throw problem;
    }
  });

  const best = goodputLevel(steps);
  const hasObjective = config.slos.length > 0;
  const outcome: SweepReport['outcome'] = control.interrupted
    ? 'interrupted'
    : errors.length > 0
      ? 'error'
      : !hasObjective || best !== null
        ? 'found'
        : 'none';
  const exitCode = (
    { found: EXIT.passed, none: EXIT.failed, error: EXIT.error, interrupted: EXIT.interrupted } as const
  )[outcome];
  const report: SweepReport = {
    sweepVersion: 1,
    runId,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    endpoint: config.endpoint,
    slo: sloText,
    errorBudgetPct: config.errorBudgetPct,
    clients: config.maxConcurrency,
    stepSec: 0,
    k6: k6.version,
    server: { baseUrl: config.baseUrl, managed: config.manageServer, version },
    machine: loopback
      ? `k6 and the server share this machine's ${os.availableParallelism()} CPU core(s): ` +
        "the load generator takes CPU from the server, so the curve is a lower bound of the server's alone."
      : 'the server is on another machine.',
    workload: await sweepWorkloadText(config),
    steps,
    over: 'concurrency',
    goodputRps: hasObjective ? (best?.rateRps ?? null) : null,
    goodputConcurrency: hasObjective ? (best?.concurrency ?? null) : null,
    firstBadRps: null,
    summary: concurrencySummary(steps, sloText, hasObjective),
    outcome,
    exitCode,
    errors,
  };
  assertValid(validateSweepReport, report, `sweep ${runId} (schemas/sweep.schema.json)`);
  const text = concurrencyMarkdown(report);
  show(text);
  for (const e of errors) log.info(`error: ${e}`);
  await keepSweepFiles({
    dir,
    outDir: config.outDir,
    runId,
    report,
    text,
    charts: concurrencyCharts(config.endpoint, steps),
  });
  return { report, dir, text };
}
