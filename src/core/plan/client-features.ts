/**
 * What a run's k6 clients carry beyond sending, judging and counting requests: the code of a workload
 * (its lines, a prompt set, conversations), per-request objectives, drawn arrival schedules, and the
 * join of each answer with the server's own account of it. k6 evaluates the whole script in every VU,
 * and each function it defines costs each VU about a kilobyte, used or not (docs/performance.md). So
 * the runner bundles each scenario for its run, one constant per feature (`featureDefines`), and
 * esbuild leaves out the code of a feature the run lacks; every other build has them all. So too the
 * built-in endpoints: a run's clients carry the endpoints of its mix, in its API, and their response
 * validators, not the others'. The script checks at init that it carries what its plan needs
 * (src/k6/lib/scenario-init.ts).
 */
import type { ScenarioPlan } from '../types.js';
import { ROUTES, type ApiName } from '../target/routes.js';
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
  /** The API whose built-in endpoints it sends; null: both. */
  api: ApiName | null;
  /** The built-in endpoints it sends, in the order of builtinSends(); null: every one. */
  endpoints: readonly string[] | null;
}

/** The on-off features, in the order a build's name gives them. */
export const FEATURE_NAMES = [
  'workload',
  'goodput',
  'schedules',
  'answers',
] as const satisfies readonly (keyof ClientFeatures)[];

/** Every feature: the build that runs on its own, in k6 cloud, and for any plan. */
export const ALL_FEATURES: Readonly<ClientFeatures> = {
  workload: true,
  goodput: true,
  schedules: true,
  answers: true,
  api: null,
  endpoints: null,
};

// Functions, not tables: k6 clients import this module's joinsAnswers, and a table computed at the top
// level would be built in every VU (esbuild keeps what it cannot prove pure).
const apis = (): ApiName[] => Object.keys(ROUTES) as ApiName[];
/** Every built-in endpoint of any API, in one order. */
export const builtinSends = (): string[] => [...new Set(apis().flatMap((a) => Object.keys(ROUTES[a])))];

/**
 * Whether a run's answers may carry the server's own figures, to be joined with each request: it sends to a
 * generating endpoint, or to one of `own` (a scenario file's). The script's request path asks the same.
 */
export const joinsAnswers = (mix: ScenarioPlan['mix'], own: readonly string[]): boolean =>
  mix.some((m) => WORKLOAD_ENDPOINTS.includes(m.endpoint) || own.includes(m.endpoint));

/** The features a plan needs; `own`, the endpoints a scenario file of one's own defines. */
export function clientFeatures(
  plan: Pick<ScenarioPlan, 'workload' | 'goodput' | 'phases' | 'mix' | 'api'>,
  promptSet: boolean,
  own: readonly string[] = [],
): ClientFeatures {
  const sends = new Set(plan.mix.map((m) => m.endpoint).filter((e) => !own.includes(e)));
  return {
    workload: promptSet || (plan.workload ?? null) !== null,
    goodput: (plan.goodput ?? null) !== null,
    schedules: plan.phases.some((p) => p.arrivals !== undefined),
    answers: joinsAnswers(plan.mix, own),
    api: plan.api ?? 'realizar',
    endpoints: builtinSends().filter((e) => sends.has(e)),
  };
}

/** The constant each feature is to esbuild, as the k6 code declares it. */
export const FEATURE_CONSTANTS: Readonly<Record<(typeof FEATURE_NAMES)[number], string>> = {
  workload: '__WITH_WORKLOAD__',
  goodput: '__WITH_GOODPUT__',
  schedules: '__WITH_SCHEDULES__',
  answers: '__WITH_ANSWER_CLOCK__',
};

/** The constants the k6 code reads (`declare const __SENDS__: SendsConstants`), one per built-in endpoint. */
export type SendsConstants = Readonly<
  Record<'health' | 'tokenize' | 'generate' | 'batch_tokenize' | 'batch_generate' | 'stream_generate', boolean>
>;
export type ApiConstants = Readonly<Record<ApiName, boolean>>;

/**
 * The constants of the API and of each built-in endpoint a build sends, as the k6 code reads them
 * (`__API__.openai`, `__SENDS__.batch_tokenize`): esbuild takes a dotted name, not a dash.
 */
export const apiConstant = (api: ApiName): string => `__API__.${api}`;
export const sendsConstant = (endpoint: string): string => `__SENDS__.${endpoint.split('-').join('_')}`;

/** esbuild's defines for a build with `f`. */
export function featureDefines(f: ClientFeatures): Record<string, string> {
  return {
    ...Object.fromEntries(FEATURE_NAMES.map((n) => [FEATURE_CONSTANTS[n], String(f[n])])),
    ...Object.fromEntries(apis().map((a) => [apiConstant(a), String(f.api === null || f.api === a)])),
    ...Object.fromEntries(builtinSends().map((e) => [sendsConstant(e), String(f.endpoints?.includes(e) ?? true)])),
  };
}

/** What a build with `built` lacks of what `needed` names: none when it can run the plan. */
export function missingFeatures(needed: ClientFeatures, built: ClientFeatures): string[] {
  const api = needed.api !== null && built.api !== null && needed.api !== built.api ? [`the ${needed.api} API`] : [];
  const lacking = (needed.endpoints ?? builtinSends()).filter((e) => built.endpoints?.includes(e) === false);
  return [...FEATURE_NAMES.filter((n) => needed[n] && !built[n]), ...api, ...lacking.map((e) => `endpoint ${e}`)];
}

/**
 * A script's name for a build with `f`: the scenario's own with everything, else suffixes of what it
 * has (`health.with-none.sends-realizar-health.js`).
 */
export function featureScriptName(scenario: string, f: ClientFeatures): string {
  const every = FEATURE_NAMES.every((n) => f[n]);
  if (every && f.api === null && f.endpoints === null) return `${scenario}.js`;
  const has = FEATURE_NAMES.filter((n) => f[n]);
  const sends =
    f.api === null && f.endpoints === null
      ? ''
      : `.sends-${f.api ?? 'any'}-${f.endpoints === null ? 'all' : f.endpoints.join('-') || 'none'}`;
  return `${scenario}.with-${has.length === 0 ? 'none' : has.join('-')}${sends}.js`;
}
