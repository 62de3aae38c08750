/**
 * The plan, options and schedules, resolved once and handed to every VU (./scenario.ts defineScenario):
 * in the runner's build by k6's first init from a file of its own (./scenario-init.ts), which the
 * clients never compile; in the build that runs on its own, by each VU.
 */
import { SharedArray } from 'k6/data';
import type { ScenarioDefinition } from '../../core/plan/plan.js';
import type { ApiConstants, ClientFeatures, SendsConstants } from '../../core/plan/client-features.js';
import type { ScenarioPlan } from '../../core/types.js';
import type { ClientEnv } from './env.js';
import { initEnv, scenarioInit, type OwnRoutes, type ScenarioInit } from './scenario-init.js';
import { loadPrompts } from './workload.js';
import { summaryFiles } from './runner-record.js';

/**
 * Set by the bundler: true in the runner's build, where the plan, options and schedules
 * (./scenario-init.ts) are a file of their own beside the script, required only by k6's inits with
 * __VU 0 (the first, which reads the options, and the one handleSummary runs in) and handed to the
 * clients' VUs in a SharedArray, so that no client compiles that code.
 */
declare const __INIT_ONCE__: boolean;
/** What the script carries (src/core/plan/client-features.ts): code behind a false one is left out. */
declare const __WITH_WORKLOAD__: boolean, __WITH_GOODPUT__: boolean, __WITH_SCHEDULES__: boolean;
declare const __WITH_ANSWER_CLOCK__: boolean;
declare const __API__: ApiConstants;
declare const __SENDS__: SendsConstants;
/** k6's CommonJS require, in init code: resolved beside the script. */
declare function require(id: string): unknown;

const INIT_ARRAY = 'realizar-k6:scenario-init';

/**
 * A scenario's shape and thresholds, or a function giving them: the toolkit's scenario files pass a
 * function, so that in the runner's build only the init that resolves the plan builds those tables.
 */
export type ScenarioSource = ScenarioDefinition | (() => ScenarioDefinition);

/** What every VU needs from the init that resolved the plan: plain data. */
interface SharedData {
  /** Every variable in the init that resolves the plan; what a client reads (ClientEnv) in the clients. */
  env: ClientEnv;
  init: ScenarioInit;
}
interface Shared extends SharedData {
  /** handleSummary's files (./runner-record.ts), in the init handleSummary runs in; null in the clients'. */
  summaryFiles: typeof summaryFiles | null;
}

/** What the script carries, as the init that resolves the plan checks it (./scenario-init.ts). */
function builtWith(): ClientFeatures {
  // Each constant written out: esbuild replaces a name where it is written, not a computed one.
  const sends: Record<string, boolean> = {
    health: __SENDS__.health,
    tokenize: __SENDS__.tokenize,
    generate: __SENDS__.generate,
    'batch-tokenize': __SENDS__.batch_tokenize,
    'batch-generate': __SENDS__.batch_generate,
    'stream-generate': __SENDS__.stream_generate,
  };
  const names = Object.keys(sends);
  return {
    workload: __WITH_WORKLOAD__,
    goodput: __WITH_GOODPUT__,
    schedules: __WITH_SCHEDULES__,
    answers: __WITH_ANSWER_CLOCK__,
    api: __API__.realizar === __API__.openai ? null : __API__.realizar ? 'realizar' : 'openai',
    endpoints: names.every((e) => sends[e]) ? null : names.filter((e) => sends[e]),
  };
}

export function initOnce(source: ScenarioSource, own: OwnRoutes): Shared {
  const def = (): ScenarioDefinition => (typeof source === 'function' ? source() : source);
  const promptCount = (env: ClientEnv): number | null =>
    __WITH_WORKLOAD__ ? (loadPrompts(env.promptsFile)?.length ?? null) : null;
  if (!__INIT_ONCE__) {
    const d = def();
    const env = initEnv(d.name);
    return { env, init: scenarioInit(d, env, promptCount(env), own, builtWith()), summaryFiles };
  }
  if (__VU === 0) {
    // Kept out of the SharedArray's callback: the init creates SharedArrays of its own (schedules).
    const m = require('./scenario-init.js') as typeof import('./scenario-init.js');
    const d = def();
    const env = m.initEnv(d.name);
    const shared: Shared = {
      env,
      init: m.scenarioInit(d, env, promptCount(env), own, builtWith()),
      summaryFiles: m.summaryFiles,
    };
    // k6 reads the options of its first init only, so the other VUs are handed the rest. As JSON
    // text: a SharedArray's element is parsed at every read and frozen, and the plan's notes may still
    // grow, so an object would be parsed twice in each VU. The thresholds apart: no client reads
    // them, and they are half the text a client would otherwise parse (docs/performance.md).
    const { thresholds, ...plan } = shared.init.plan;
    const forClients = JSON.stringify({ env: m.clientEnv(env), init: { ...shared.init, plan, options: {} } });
    new SharedArray(INIT_ARRAY, () => [forClients, JSON.stringify(thresholds)]);
    return shared;
  }
  const array = new SharedArray(INIT_ARRAY, () => {
    throw new Error("k6's first init left no plan");
  }) as unknown as string[];
  const shared: Shared = { ...(JSON.parse(array[0]!) as SharedData), summaryFiles: null };
  // Still there for a scenario file of one's own, whose plan its code may read: parsed when first read.
  // The toolkit's scenario files (a function source) read no thresholds in a client, and the getter
  // would cost each client its property and closure (about 3 KB).
  if (typeof source !== 'function') {
    let thresholds: ScenarioPlan['thresholds'] | undefined;
    Object.defineProperty(shared.init.plan, 'thresholds', {
      get: () => (thresholds ??= JSON.parse(array[1]!) as ScenarioPlan['thresholds']),
      enumerable: true,
    });
  }
  return shared;
}
