/**
 * The workload a sweep's steps carry (--input-tokens, --dataset, --prefix-tokens, --turns...): each step
 * or level resolves here the plan k6 will resolve for it, from the same definition and shape, and its
 * lines are made for its own number of requests (src/node/workload/materialise.ts), in its own folder.
 * The first one is resolved before anything starts, so that a workload the sweep cannot send is refused
 * then.
 */
import type { K6VarValues } from '../../core/contract.js';
import { ValidationError } from '../../core/errors/ValidationError.js';
import { arrivalsText, type ArrivalSettings } from '../../core/plan/arrivals.js';
import type { MixEntry } from '../../core/plan/mix.js';
import { resolvePlan, type ScenarioDefinition } from '../../core/plan/plan.js';
import { SCENARIO_SHAPES, sweepStepDefinition } from '../../core/plan/scenario-shapes.js';
import type { ShapeOverride } from '../../core/plan/shape.js';
import { ROUTES } from '../../core/target/routes.js';
import type { ScenarioPlan } from '../../core/types.js';
import type { SweepConfig } from '../config/index.js';
import { loadThresholds } from '../run/scenarios.js';
import { workloadVars } from '../workload/materialise.js';
import { plannedWorkload } from '../workload/plan.js';
import { runWorkloadSource } from '../workload/source.js';
import { workloadSent } from '../../core/report/render-workload.js';

/** What k6 runs at one step: the step script's definition, or the endpoint's scenario in a shape. */
export type SweepStepShape = { kind: 'step'; rate: number } | { kind: 'scenario'; shape: ShapeOverride };

/** A rate step of a streamed endpoint: the streamed scenario, open, `rate` a second with the sweep's clients. */
export const streamRateShape = (config: SweepConfig, rate: number): ShapeOverride => ({
  rate,
  durationSec: config.stepSec,
  clients: config.clients,
  requests: null,
});

/** What k6 runs at a rate step: the plain step script, or for a stream the streamed scenario in an open shape. */
export const rateStepShape = (config: SweepConfig, rate: number): SweepStepShape =>
  config.endpoint === 'stream' ? { kind: 'scenario', shape: streamRateShape(config, rate) } : { kind: 'step', rate };

/** The mix the plain step script is given (k6 variable MIX): the swept endpoint. */
export const stepMix = (config: SweepConfig): MixEntry[] => [
  { endpoint: config.endpoint === 'stream' ? 'stream-generate' : config.endpoint, weight: 1 },
];

async function definitionOf(config: SweepConfig, step: SweepStepShape): Promise<ScenarioDefinition> {
  if (step.kind === 'step')
    return sweepStepDefinition({ rate: step.rate, windowSec: config.stepSec, clients: config.clients });
  const shape = SCENARIO_SHAPES[config.endpoint]!;
  return { ...shape, thresholds: await loadThresholds(config.endpoint) };
}

/** The plan k6 resolves for the step, with the workload as it is known before its lines are made. */
async function stepPlan(config: SweepConfig, step: SweepStepShape): Promise<ScenarioPlan> {
  const source = await runWorkloadSource(config);
  return resolvePlan(
    await definitionOf(config, step),
    {
      baseUrl: config.baseUrl,
      gate: 'acceptable',
      scale: 1,
      mix: step.kind === 'step' ? stepMix(config) : null,
      api: config.api,
      model: config.model,
      prompts: null,
      timeoutSec: config.timeoutSec,
      shape: step.kind === 'step' ? null : step.shape,
      workload: source === null ? null : plannedWorkload(config, source),
      arrivals: stepArrivals(config),
    },
    (e) => ROUTES[config.api][e],
  );
}

/** A step's arrivals: the sweep's process, drawn from its seed at every step (so each rate has one pattern). */
const stepArrivals = (config: SweepConfig): ArrivalSettings => ({
  spec: config.arrivals,
  seed: config.seed,
  trace: null,
});

/** The k6 variables of a step's arrivals. */
export const stepArrivalVars = (config: SweepConfig): K6VarValues => ({ ARRIVALS: config.arrivals, SEED: config.seed });

/** How a step's requests arrive, in a line (null: k6's even beat). */
export const sweepArrivalsText = (config: SweepConfig): string | null => arrivalsText(stepArrivals(config));

/** What every step carries, in a line (null: the endpoint's own requests). */
export async function sweepWorkloadText(config: SweepConfig): Promise<string | null> {
  const source = await runWorkloadSource(config);
  if (source === null) return null;
  const w = plannedWorkload(config, source);
  return `${workloadSent(w)} (seed ${w.seed})`;
}

/**
 * Refuses, before anything starts, a workload the sweep's first step could not send: conversations on a
 * batch, say, or prompts to an endpoint that takes none (a ValidationError).
 */
export async function checkSweepWorkload(config: SweepConfig, first: SweepStepShape): Promise<void> {
  const plan = await stepPlan(config, first);
  if (config.workload !== null && plan.workload == null)
    throw new ValidationError('--endpoint', [
      {
        path: '',
        expected: 'an endpoint that takes prompts beside the workload options (generate, batch-generate or stream)',
        found: config.endpoint,
      },
    ]);
}

/** The k6 variables of a step's workload (its lines written into `outDir`) and of the prompt cache. */
export async function stepWorkloadVars(
  config: SweepConfig,
  step: SweepStepShape,
  outDir: string,
): Promise<K6VarValues> {
  return workloadVars(config, await stepPlan(config, step), outDir);
}
