/**
 * npm run k6:sweep: the capacity of an endpoint within a latency SLO. Open model throughout (k6's
 * constant-arrival-rate, src/k6/sweep/step.ts): the offered rate doubles from --start-rate until a
 * step breaks the SLO or the error budget (dropped requests count as failures, so a server that
 * cannot keep up cannot hide), then bisects --refine times between the last good and the first bad
 * rate. Every step is bounded (its window plus the request timeout), and so is the number of steps.
 * The result — the highest rate that met the SLO, the goodput — is reported with the bracket it lies
 * in, a table and SVG charts of latency and errors against the offered rate.
 */
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { UnjudgedStep } from '../../core/commands/concurrency-sweep.js';
import type { SweepReport, SweepStep } from '../../core/types.js';
import { EXIT } from '../../core/errors/exit-codes.js';
import { assertValid } from '../../core/errors/schema-errors.js';
import { lineChart } from '../../core/charts/svg.js';
import { validateSweepReport } from '../../generated/file-validators.cjs';
import { parseSweepConfig, SWEEP_USAGE, type SweepConfig } from '../config/index.js';
import type { K6RunError } from '../errors/K6RunError.js';
import { ServerExitedError } from '../errors/ServerExitedError.js';
import { failWith, onInterrupt } from '../commands/exit.js';
import { runK6 } from '../k6/k6.js';
import { log } from '../process/log.js';
import { DIST_K6_DIR, ROOT, shown } from '../files/paths.js';
import { signalGroup, type Child } from '../process/processes.js';
import { createRunDir } from '../files/report-files.js';
import { keepSweepFiles } from './sweep-files.js';
import { prepareTarget, withTarget } from '../target/target.js';
import { runConcurrencySweep, streamRateStep, sweepScenarioScript, type RateStepRun } from './concurrency-sweep.js';
import { readStep } from './step-result.js';
import { targetEnv } from '../target/target-env.js';
import { judgeStep, nextRate, renderMarkdown, sloText } from './steps.js';
import {
  checkSweepWorkload,
  rateStepShape,
  stepArrivalVars,
  stepMix,
  stepWorkloadVars,
  sweepArrivalsText,
  sweepWorkloadText,
} from './sweep-workload.js';

/** One step of the plain step script (src/k6/sweep/step.ts) at `rate`, read as a run reads a scenario. */
async function runStep(o: RateStepRun): Promise<{ step: UnjudgedStep; problem: K6RunError | null }> {
  const { rate, config, dir, k6Path, script, index, onStart } = o;
  const outDir = path.join(dir, 'k6', `step-${String(index).padStart(2, '0')}-${rate}rps`);
  await mkdir(outDir, { recursive: true });
  log.info(`sweep step ${index}: ${rate} req/s for ${config.stepSec} s`);
  const exit = await runK6({
    k6: k6Path,
    script,
    outDir,
    baseUrl: config.baseUrl,
    gate: 'acceptable',
    scale: 1,
    mix: stepMix(config),
    timeoutSec: config.timeoutSec,
    dashboardFile: null,
    outputs: [],
    vars: {
      ...targetEnv(config),
      RATE: rate,
      WINDOW_SEC: config.stepSec,
      CLIENTS: config.clients,
      ...stepArrivalVars(config),
      ...(await stepWorkloadVars(config, rateStepShape(config, rate), outDir)),
    },
    onStart,
  });
  const { report: s, problem } = await readStep({ name: 'sweep', what: `the ${rate} req/s step`, outDir, exit });
  const step: UnjudgedStep = {
    rateRps: rate,
    requests: s.totals.requests,
    failures: s.totals.failures,
    dropped: s.totals.dropped,
    errorRatePct: s.errorRatePct,
    latencyMs: s.latencyMs,
    ...(s.partial == null ? {} : { partial: s.partial }),
  };
  return { step, problem };
}

export async function runSweep(
  config: SweepConfig,
  control: { interrupted: boolean; k6: Child | null },
  show: (text: string) => void = () => undefined,
): Promise<{ report: SweepReport; dir: string; text: string }> {
  // Over concurrency: every level of the endpoint's own scenario (src/node/sweep/concurrency-sweep.ts).
  if (config.over === 'concurrency')
    return runConcurrencySweep(config, control, show, (step) => judgeStep(step, config), sloText(config));
  const startedAt = new Date();
  await checkSweepWorkload(config, rateStepShape(config, config.startRate));
  const { loopback, k6, command } = await prepareTarget(config);
  const { bundleEntries } = await import('../../../build/bundle.js');
  // A streamed endpoint is read by the streamed scenario's browser page, not by the plain step script.
  const [script] =
    config.endpoint === 'stream'
      ? [await sweepScenarioScript('stream')]
      : await bundleEntries([path.join(ROOT, 'src', 'k6', 'sweep', 'step.ts')], `${DIST_K6_DIR}-sweep`, {
          houseBlock: false,
        });
  const { runId, dir } = await createRunDir(config.outDir, `sweep-${config.endpoint}`, startedAt);
  const steps: SweepStep[] = [];
  const { version, errors } = await withTarget(config, command, dir, control, async (server) => {
    for (let rate = nextRate(steps, config); rate !== null && !control.interrupted; rate = nextRate(steps, config)) {
      if (server?.unexpectedExit) throw new ServerExitedError('the sweep', shown(server.logFile));
      const run: RateStepRun = {
        rate,
        config,
        dir,
        k6Path: k6.path,
        script: script!,
        index: steps.length + 1,
        onStart: (c) => (control.k6 = c),
      };
      const { step: measured, problem } = config.endpoint === 'stream' ? await streamRateStep(run) : await runStep(run);
      control.k6 = null;
      const step = judgeStep(measured, config);
      log.info(`  ${rate} req/s: ${step.meetsSlo ? 'meets' : 'breaks'} the SLO (${step.reason})`);
      steps.push(step);
      if (problem !== null) throw problem;
    }
  });

  const good = steps.filter((s) => s.meetsSlo).map((s) => s.rateRps);
  const bad = steps.filter((s) => !s.meetsSlo).map((s) => s.rateRps);
  const goodput = good.length === 0 ? null : Math.max(...good);
  const firstBad = bad.length === 0 ? null : Math.min(...bad.filter((b) => goodput === null || b > goodput));
  const outcome: SweepReport['outcome'] = control.interrupted
    ? 'interrupted'
    : errors.length > 0
      ? 'error'
      : goodput === null
        ? 'none'
        : 'found';
  const exitCode = (
    { found: EXIT.passed, none: EXIT.failed, error: EXIT.error, interrupted: EXIT.interrupted } as const
  )[outcome];
  const summary =
    goodput === null
      ? `No rate met the SLO: even ${config.startRate} req/s broke it.`
      : firstBad === null || !Number.isFinite(firstBad)
        ? `Capacity within the SLO: at least ${goodput} req/s met ${sloText(config)} ` +
          `(the highest rate tried, --max-rate ${config.maxRate}).`
        : `Capacity within the SLO: ${goodput} req/s met ${sloText(config)}; ${firstBad} req/s did not. ` +
          "The capacity lies between the two: that bracket is the sweep's resolution, " +
          'and run-to-run differences within it are noise.';
  const report: SweepReport = {
    sweepVersion: 1,
    runId,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    endpoint: config.endpoint,
    slo: sloText(config),
    errorBudgetPct: config.errorBudgetPct,
    clients: config.clients,
    stepSec: config.stepSec,
    k6: k6.version,
    server: { baseUrl: config.baseUrl, managed: config.manageServer, version },
    machine: loopback
      ? `k6 and the server share this machine's ${os.availableParallelism()} CPU core(s), ` +
        "so the capacity found is a lower bound of the server's alone."
      : 'the server is on another machine.',
    workload: await sweepWorkloadText(config),
    arrivals: sweepArrivalsText(config),
    steps,
    goodputRps: goodput,
    firstBadRps: firstBad !== null && Number.isFinite(firstBad) ? firstBad : null,
    summary,
    outcome,
    exitCode,
    errors,
  };
  assertValid(validateSweepReport, report, `sweep ${runId} (schemas/sweep.schema.json)`);
  const byRate = [...steps].sort((a, b) => a.rateRps - b.rateRps);
  const series = (stat: 'p50' | 'p95' | 'p99') => ({
    name: stat,
    points: byRate.filter((s) => s.latencyMs !== null).map((s) => ({ x: s.rateRps, y: s.latencyMs![stat] })),
  });
  const text = renderMarkdown(report);
  // Shown before anything is written: a failing disk costs files, never the result.
  show(text);
  for (const e of errors) log.info(`error: ${e}`);
  const charts = {
    'latency.svg': lineChart({
      title: `Latency of ${config.endpoint} against offered rate`,
      xLabel: 'offered rate (req/s)',
      yLabel: 'latency (ms)',
      series: [series('p50'), series('p95'), series('p99')],
    }),
    'errors.svg': lineChart({
      title: `Errors of ${config.endpoint} against offered rate`,
      xLabel: 'offered rate (req/s)',
      yLabel: 'error rate (%)',
      series: [{ name: 'errors', points: byRate.map((s) => ({ x: s.rateRps, y: s.errorRatePct ?? 100 })) }],
    }),
  };
  await keepSweepFiles({ dir, outDir: config.outDir, runId, report, text, charts });
  return { report, dir, text };
}

export async function main(argv: readonly string[]): Promise<number> {
  const control: { interrupted: boolean; k6: Child | null } = { interrupted: false, k6: null };
  const stopHandling = onInterrupt((signal) => {
    control.interrupted = true;
    log.warn(`${signal}: stopping the sweep after the current step's k6 stops (press Ctrl-C again to kill everything)`);
    if (control.k6 !== null) signalGroup(control.k6.pid, 'SIGINT');
  });
  try {
    const config = parseSweepConfig(argv);
    if (config.help) {
      process.stdout.write(`${SWEEP_USAGE}\n`);
      return EXIT.passed;
    }
    const { report, dir } = await runSweep(config, control, (text) => process.stdout.write(text));
    log.info(`sweep: ${shown(dir)}/report.html, sweep.md, sweep.json and the charts beside them`);
    return report.exitCode;
  } catch (err) {
    return failWith(err, control.interrupted);
  } finally {
    stopHandling();
  }
}
