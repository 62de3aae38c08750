/**
 * The only reader of k6's __ENV. Each variable is decoded as the contract says (src/core/contract/env.ts:
 * its name, its fallback, and a decoder whose error names the variable, what was expected and what
 * arrived). The Node runner sets them with `k6 run -e`; they also let a bundled script run on its own
 * (`k6 run dist/k6/health.js -e BASE_URL=...`) or in k6 cloud.
 */
import { decodeK6Var, K6_VARS, type K6Var, type K6VarName } from '../../core/contract.js';
import type { ArrivalSpec } from '../../core/arrivals/schedule.js';
import type { MixEntry } from '../../core/plan/mix.js';
import type { GoodputObjective } from '../../core/rules/goodput.js';
import type { Gate, WorkloadPlan } from '../../core/types.js';
import type { ShapeOverride } from '../../core/plan/shape.js';
import { aliasDomainFrom } from '../../core/stream/hosts.js';
import type { ServerKind } from '../../core/target/servers.js';

export interface K6Env {
  /** BASE_URL: the server under test (default the seed's http://127.0.0.1:8080). */
  baseUrl: string;
  /** GATE: which tier of the thresholds fails the run (acceptable | target). */
  gate: Gate;
  /** SCALE: 0 < n <= 1, shrinks request counts (tests use it). */
  scale: number;
  /** MIX: endpoint[=weight],... for mix scenarios. */
  mix: MixEntry[] | null;
  /** OUT_DIR: where handleSummary writes summary.json and plan.json (absolute path). */
  outDir: string | null;
  /** RUN_ID: the run a runner of a split run belongs to (its runner.json, src/k6/lib/runner-record.ts). */
  runId: string | null;
  /** VALIDATE_BODIES: check each 200 body against its schema (default true). */
  validateBodies: boolean;
  /** TIMEOUT_SEC: per-request timeout replacing the scenario's. */
  timeoutSec: number | null;
  /** API: realizar (native, default) or openai (the OpenAI-compatible /v1 API). */
  api: 'realizar' | 'openai';
  /** MODEL: the model named in OpenAI-compatible requests (default 'default'). */
  model: string;
  /** SERVER: which server the runner started (null: unknown), for the request fields only it needs. */
  server: ServerKind | null;
  /**
   * OPENAI_API_KEY, from the environment k6 inherits (never a -e flag, which would show in the
   * process list): sent as a bearer token, never printed.
   */
  apiKey: string | null;
  /** PROMPTS_FILE: a JSONL prompt set (absolute path) replacing the seed's prompts. */
  promptsFile: string | null;
  /** WARMUP_REQUESTS: run only a warm-up of this many requests (the runner discards its figures). */
  warmupRequests: number | null;
  /** SHAPE_CLIENTS, _REQUESTS, _RATE, _DURATION_SEC, _STAGES: the run's shape (src/core/plan/shape.ts). */
  shape: ShapeOverride;
  /** THRESHOLDS_SOURCE: where the inlined thresholds came from, for errors. */
  thresholdsSource: string | null;
  /** ARRIVALS, SEED: when an open phase's requests are due; ARRIVALS_FILE: a replayed trace's offsets. */
  arrivals: ArrivalSpec;
  seed: number;
  arrivalsFile: string | null;
  traceSource: string | null;
  timeScale: number;
  /** GOODPUT: the per-request objectives, or null. */
  goodput: GoodputObjective[] | null;
  /** WORKLOAD: what the requests carry (its file of lines, one per prompt), or null: the scenario's own prompts. */
  workload: WorkloadPlan | null;
  /** PROMPT_CACHE: the server may reuse its prompt cache (default off). */
  promptCache: boolean;
  /**
   * From K6_BROWSER_ARGS (the browser's flags, read by k6's browser module too): the alias domain
   * its host-resolver-rules map to the server, over which streams spread (src/core/stream/hosts.ts).
   */
  streamAliasDomain: string | null;
  /** RATE, WINDOW_SEC, CLIENTS: one step of a capacity sweep (src/k6/sweep/step.ts). */
  sweep: { rate: number; windowSec: number; clients: number } | null;
}

/** A variable as k6 received it, decoded by the contract (absent or empty: its fallback). */
function read<T, F extends T | null>(v: K6Var<T, F> & { name: K6VarName }): T | F {
  return decodeK6Var(v, __ENV[v.name]);
}

/**
 * What a client VU reads of the variables. In the runner's build the clients are handed only these
 * (src/k6/lib/init-once.ts): each VU parses what it is handed, about 5 MB at 1,000 VUs for the rest.
 */
export const CLIENT_ENV_KEYS = [
  'validateBodies',
  'apiKey',
  'goodput',
  'outDir',
  'runId',
  'promptsFile',
  'streamAliasDomain',
] as const satisfies readonly (keyof K6Env)[];
export type ClientEnv = Pick<K6Env, (typeof CLIENT_ENV_KEYS)[number]>;

export const clientEnv = (env: K6Env): ClientEnv =>
  Object.fromEntries(CLIENT_ENV_KEYS.map((k) => [k, env[k]])) as unknown as ClientEnv;

export function readEnv(): K6Env {
  const V = K6_VARS;
  const rate = read(V.RATE);
  return {
    baseUrl: read(V.BASE_URL),
    gate: read(V.GATE),
    scale: read(V.SCALE),
    mix: read(V.MIX),
    outDir: read(V.OUT_DIR),
    runId: read(V.RUN_ID),
    validateBodies: read(V.VALIDATE_BODIES),
    timeoutSec: read(V.TIMEOUT_SEC),
    api: read(V.API),
    model: read(V.MODEL),
    server: read(V.SERVER),
    apiKey: read(V.OPENAI_API_KEY),
    promptsFile: read(V.PROMPTS_FILE),
    warmupRequests: read(V.WARMUP_REQUESTS),
    shape: {
      clients: read(V.SHAPE_CLIENTS),
      requests: read(V.SHAPE_REQUESTS),
      rate: read(V.SHAPE_RATE),
      durationSec: read(V.SHAPE_DURATION_SEC),
      stages: read(V.SHAPE_STAGES),
    },
    thresholdsSource: read(V.THRESHOLDS_SOURCE),
    arrivals: read(V.ARRIVALS),
    seed: read(V.SEED),
    arrivalsFile: read(V.ARRIVALS_FILE),
    traceSource: read(V.TRACE_SOURCE),
    timeScale: read(V.TIME_SCALE),
    goodput: read(V.GOODPUT),
    workload: read(V.WORKLOAD),
    promptCache: read(V.PROMPT_CACHE),
    streamAliasDomain: aliasDomainFrom(read(V.K6_BROWSER_ARGS) ?? undefined),
    sweep: rate === null ? null : { rate, windowSec: read(V.WINDOW_SEC), clients: Math.ceil(read(V.CLIENTS)) },
  };
}
