/**
 * What a run's k6 clients carry beyond sending, judging and counting requests: the code of a workload
 * (its lines, a prompt set, conversations), per-request objectives, drawn arrival schedules, and the
 * join of each answer with the server's own account of it. k6 evaluates the whole script in every VU,
 * and each function it defines costs each VU about a kilobyte, used or not (docs/performance.md). So
 * the runner bundles each scenario for its run, one constant per feature (`featureDefines`), and
 * esbuild leaves out the code of a feature the run lacks; every other build has them all. The script
 * checks at init that it carries what its plan needs (src/k6/lib/scenario-init.ts).
 */
import type { ScenarioPlan } from '../types.js';
import { WORKLOAD_ENDPOINTS } from './workload.js';

export interface ClientFeatures {
  /** A workload's lines or a prompt set (--workload, --dataset, --prompts). */
  workload: boolean;
  /** Per-request objectives (--goodput). */
  goodput: boolean;
  /** A phase on a schedule of its own (--arrivals poisson|gamma, --trace). */
  schedules: boolean;
  /** Answers joined with the server's figures: a generating endpoint, or a scenario file's own. */
  answers: boolean;
}

export const FEATURE_NAMES = [
  'workload',
  'goodput',
  'schedules',
  'answers',
] as const satisfies readonly (keyof ClientFeatures)[];

/** Every feature: the build that runs on its own, in k6 cloud, and for any plan. */
export const ALL_FEATURES: Readonly<ClientFeatures> = { workload: true, goodput: true, schedules: true, answers: true };

/**
 * Whether a run's answers may carry the server's own figures, to be joined with each request: it sends to a
 * generating endpoint, or to one of `own` (a scenario file's). The script's request path asks the same.
 */
export const joinsAnswers = (mix: ScenarioPlan['mix'], own: readonly string[]): boolean =>
  mix.some((m) => WORKLOAD_ENDPOINTS.includes(m.endpoint) || own.includes(m.endpoint));

/** The features a plan needs; `own`, the endpoints a scenario file of one's own defines. */
export function clientFeatures(
  plan: Pick<ScenarioPlan, 'workload' | 'goodput' | 'phases' | 'mix'>,
  promptSet: boolean,
  own: readonly string[] = [],
): ClientFeatures {
  return {
    workload: promptSet || (plan.workload ?? null) !== null,
    goodput: (plan.goodput ?? null) !== null,
    schedules: plan.phases.some((p) => p.arrivals !== undefined),
    answers: joinsAnswers(plan.mix, own),
  };
}

/** The constant each feature is to esbuild, as the k6 code declares it. */
export const FEATURE_CONSTANTS: Readonly<Record<keyof ClientFeatures, string>> = {
  workload: '__WITH_WORKLOAD__',
  goodput: '__WITH_GOODPUT__',
  schedules: '__WITH_SCHEDULES__',
  answers: '__WITH_ANSWER_CLOCK__',
};

/** esbuild's defines for a build with `f`. */
export function featureDefines(f: ClientFeatures): Record<string, string> {
  return Object.fromEntries(FEATURE_NAMES.map((n) => [FEATURE_CONSTANTS[n], String(f[n])]));
}

/** The features a build with `built` lacks of those `needed`: none when it can run the plan. */
export function missingFeatures(needed: ClientFeatures, built: ClientFeatures): (keyof ClientFeatures)[] {
  return FEATURE_NAMES.filter((n) => needed[n] && !built[n]);
}

/** A script's name for a build with `f`: the scenario's own with every feature, else a suffix of what it has. */
export function featureScriptName(scenario: string, f: ClientFeatures): string {
  if (FEATURE_NAMES.every((n) => f[n])) return `${scenario}.js`;
  const has = FEATURE_NAMES.filter((n) => f[n]);
  return `${scenario}.with-${has.length === 0 ? 'none' : has.join('-')}.js`;
}
