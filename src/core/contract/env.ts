/**
 * The k6 variables: every name the Node side hands to the toolkit's k6 scripts, with how a value is
 * written as text (Node, `encode`) and read back (k6, `decode`, in src/k6/lib/env.ts, the only reader
 * of __ENV). The names exist here alone: the Node side passes values keyed by them, typed, so a
 * misspelt name is a compile error instead of a variable k6 never reads and a default taken in silence.
 *
 * Most travel as `k6 run -e NAME=value`; two come through the environment k6 inherits: a secret
 * that must not show in the process list, and the browser flags k6's browser module reads too.
 */
import { describeValue } from '../errors/describe.js';
import { ValidationError } from '../errors/ValidationError.js';
import { arrivalSpecText, parseArrivals, type ArrivalSpec } from '../arrivals/schedule.js';
import { formatMix, parseMix, type MixEntry } from '../plan/mix.js';
import { parseStages, stagesText, type Stage } from '../plan/shape.js';
import { goodputText, parseGoodput, type GoodputObjective } from '../rules/goodput.js';
import { SERVER_KINDS, type ServerKind } from '../target/servers.js';
import type { Gate, WorkloadPlan } from '../types.js';

/** How one variable's value becomes the text k6 receives, and back. */
export interface Codec<T> {
  encode(value: T): string;
  /** The value `text` stands for; a ValidationError naming `source` when it stands for none. */
  decode(text: string, source: string): T;
}

function invalid(source: string, expected: string, found: string): never {
  throw new ValidationError(source, [{ path: '', expected, found: describeValue(found) }]);
}

function checked<T>(expected: string, encode: (value: T) => string, parse: (text: string) => T | undefined): Codec<T> {
  return {
    encode,
    decode: (text, source) => {
      const value = parse(text);
      return value === undefined ? invalid(source, expected, text) : value;
    },
  };
}

const numberWhere = (ok: (n: number) => boolean) => (text: string) => {
  const n = Number(text);
  return text.trim() !== '' && Number.isFinite(n) && ok(n) ? n : undefined;
};

/** Text as given (a path, a model name, a label). */
const TEXT: Codec<string> = { encode: (v) => v, decode: (text) => text };

/** A base URL; trailing slashes dropped, so paths join onto it. */
const HTTP_URL: Codec<string> = checked(
  'an http:// or https:// URL',
  (v) => v,
  (text) => (/^https?:\/\/[^/\s]+(\/[^\s]*)?$/.test(text) ? text.replace(/\/+$/, '') : undefined),
);

function oneOf<const V extends string>(values: readonly V[]): Codec<V> {
  const expected = values.length === 2 ? `'${values[0]}' or '${values[1]}'` : `one of ${values.join(', ')}`;
  return checked(
    expected,
    (v) => v,
    (text) => values.find((v) => v === text),
  );
}

const positive = (unit: string): Codec<number> =>
  checked(
    `a number of ${unit} greater than 0`,
    String,
    numberWhere((n) => n > 0),
  );

const WHOLE: Codec<number> = checked('a whole number greater than 0', String, (text) =>
  /^[1-9]\d*$/.test(text) ? Number(text) : undefined,
);

const FRACTION: Codec<number> = checked(
  'a number with 0 < n <= 1',
  String,
  numberWhere((n) => n > 0 && n <= 1),
);

const BOOL: Codec<boolean> = checked("'true' or 'false'", String, (text) =>
  text === 'true' || text === '1' ? true : text === 'false' || text === '0' ? false : undefined,
);

const ON_OFF: Codec<boolean> = checked(
  "'on' or 'off'",
  (v) => (v ? 'on' : 'off'),
  (text) => (text === 'on' ? true : text === 'off' ? false : undefined),
);

/** endpoint=weight,... (src/core/plan/mix.ts), whose errors name the item at fault. */
const MIX: Codec<MixEntry[]> = { encode: formatMix, decode: (text, source) => parseMix(text, source) };

/** An arrival process (src/core/arrivals/schedule.ts), whose errors say what is allowed. */
const ARRIVALS: Codec<ArrivalSpec> = { encode: arrivalSpecText, decode: (text, source) => parseArrivals(source, text) };

/** Open phases one after another (src/core/plan/shape.ts), whose errors name the stage at fault. */
const STAGES: Codec<readonly Stage[]> = { encode: stagesText, decode: (text, source) => parseStages(source, text) };

/** Per-request objectives (src/core/rules/goodput.ts). */
const GOODPUT: Codec<GoodputObjective[]> = {
  encode: goodputText,
  decode: (text, source) => parseGoodput(source, text),
};

/**
 * The run's workload (src/core/plan/workload.ts) as JSON: what the lines in its file are and how they
 * were made. Written by the runner; what a plan needs of it is checked when it is read.
 */
const WORKLOAD: Codec<WorkloadPlan> = checked(
  'the JSON of a workload plan (schemas/plan.schema.json, definitions/workload)',
  (v) => JSON.stringify(v),
  (text) => {
    try {
      const w = JSON.parse(text) as Partial<WorkloadPlan> | null;
      const ok =
        typeof w === 'object' &&
        w !== null &&
        typeof w.file === 'string' &&
        typeof w.source === 'string' &&
        typeof w.perRequest === 'number' &&
        typeof w.turns === 'number' &&
        typeof w.thinkTimeSec === 'number' &&
        typeof w.defaultOutputTokens === 'number' &&
        typeof w.conversations === 'boolean';
      return ok ? (w as WorkloadPlan) : undefined;
    } catch {
      return undefined;
    }
  },
);

const SEED: Codec<number> = checked('a whole number from 0 to 4294967295', String, (text) =>
  /^\d{1,10}$/.test(text) && Number(text) <= 0xffffffff ? Number(text) : undefined,
);

/** How k6 gets a variable: `-e NAME=value`, or the environment it inherits. */
export type Via = 'arg' | 'environment';

export interface K6Var<T, F extends T | null = T | null, V extends Via = Via> {
  codec: Codec<T>;
  /** The value when the variable is absent or empty; null: none. */
  fallback: F;
  via: V;
}

const arg = <T, F extends T | null = null>(codec: Codec<T>, fallback: F = null as F): K6Var<T, F, 'arg'> => ({
  codec,
  fallback,
  via: 'arg',
});
const inherited = (): K6Var<string, null, 'environment'> => ({ codec: TEXT, fallback: null, via: 'environment' });

const TABLE = {
  /** The server under test. */
  BASE_URL: arg(HTTP_URL, 'http://127.0.0.1:8080'),
  /** Which tier of the thresholds fails the run. */
  GATE: arg(oneOf<Gate>(['acceptable', 'target']), 'acceptable' as Gate),
  /** 0 < n <= 1: shrinks request counts (tests use it). */
  SCALE: arg(FRACTION, 1),
  /** The endpoints of a mix scenario and their weights. */
  MIX: arg(MIX),
  /** Where handleSummary writes the run folder's files (src/core/contract/files.ts); absolute. */
  OUT_DIR: arg(TEXT),
  /** The run a runner of a split run belongs to, kept in its runner.json so a merge refuses runners of other runs. */
  RUN_ID: arg(TEXT),
  /** Check each 200 body against its schema. */
  VALIDATE_BODIES: arg(BOOL, true),
  /** A per-request timeout replacing the scenario's. */
  TIMEOUT_SEC: arg(positive('seconds')),
  /** realizar (native) or openai (the OpenAI-compatible /v1 API). */
  API: arg(oneOf(['realizar', 'openai']), 'realizar' as 'realizar' | 'openai'),
  /** The model OpenAI-compatible requests name. */
  MODEL: arg(TEXT, 'default'),
  /** Which server the runner started, for the request fields only it needs (src/k6/lib/server-extras.ts). */
  SERVER: arg(oneOf<ServerKind>(SERVER_KINDS)),
  /** A JSONL prompt set (absolute path) replacing the seed's prompts. */
  PROMPTS_FILE: arg(TEXT),
  /** Run only a warm-up of this many requests (the runner discards its figures). */
  WARMUP_REQUESTS: arg(WHOLE),
  /** The run's shape from the command line (src/core/plan/shape.ts). */
  SHAPE_CLIENTS: arg(WHOLE),
  SHAPE_REQUESTS: arg(WHOLE),
  SHAPE_RATE: arg(positive('requests per second')),
  SHAPE_DURATION_SEC: arg(positive('seconds')),
  SHAPE_STAGES: arg(STAGES),
  /** When an open phase's requests are due: constant (k6's constant-arrival-rate), poisson or gamma:CV. */
  ARRIVALS: arg(ARRIVALS, { process: 'constant' } as ArrivalSpec),
  /** The seed of every random choice of the run (arrival gaps); the same seed, the same schedule. */
  SEED: arg(SEED, 1),
  /** A replayed trace's due offsets in ms (JSON array, absolute path), written by the runner. */
  ARRIVALS_FILE: arg(TEXT),
  /** The replayed trace's file name, for the report. */
  TRACE_SOURCE: arg(TEXT),
  /** How many times faster than recorded the trace is replayed (its offsets are already divided by it). */
  TIME_SCALE: arg(positive('times'), 1),
  /** Per-request objectives; each request that meets all of them at once is good (goodput). */
  GOODPUT: arg(GOODPUT),
  /** The run's workload: how its lines were made, and the file of them (one JSON line per prompt). */
  WORKLOAD: arg(WORKLOAD),
  /** Whether the server may reuse its prompt cache (llama.cpp's cache_prompt); off unless asked for. */
  PROMPT_CACHE: arg(ON_OFF, false),
  /** Where the inlined thresholds came from, for errors. */
  THRESHOLDS_SOURCE: arg(TEXT),
  /** One step of a capacity sweep (src/k6/sweep/step.ts): its rate, window and most clients in flight. */
  RATE: arg(positive('requests per second')),
  WINDOW_SEC: arg(positive('seconds'), 10),
  CLIENTS: arg(positive('clients'), 50),
  /** A bearer token for OpenAI-compatible servers: inherited, never a -e flag, and never printed. */
  OPENAI_API_KEY: inherited(),
  /** The browser's Chromium flags, read by k6's browser module too (src/core/stream/hosts.ts). */
  K6_BROWSER_ARGS: inherited(),
};

type Table = typeof TABLE;
export type K6VarName = keyof Table;

/** Every variable, each carrying its own name. */
export const K6_VARS = Object.fromEntries(Object.entries(TABLE).map(([name, v]) => [name, { ...v, name }])) as {
  readonly [K in K6VarName]: Table[K] & { readonly name: K };
};

type ValueOf<K extends K6VarName> = Table[K] extends { codec: Codec<infer T> } ? T : never;
type NamesVia<V extends Via> = { [K in K6VarName]: Table[K]['via'] extends V ? K : never }[K6VarName];

/** The variables passed as `-e NAME=value`, with the type of each value. */
export type K6Vars = { [K in NamesVia<'arg'>]: ValueOf<K> };
/** Some of them; a null or absent one is left out (k6 then takes its fallback). */
export type K6VarValues = { [K in NamesVia<'arg'>]?: K6Vars[K] | null };
/** All but the variables `K` (which the caller sets itself); a name that is not a variable is a compile error. */
export type K6VarValuesExcept<K extends keyof K6VarValues> = Omit<K6VarValues, K>;
/** The variables k6 inherits from its environment. */
export type K6EnvironmentValues = { [K in NamesVia<'environment'>]?: ValueOf<K> | null };

/** Where a variable's errors point. */
export function k6VarSource(name: K6VarName): string {
  return `k6 environment variable ${name}`;
}

function encode(values: Readonly<Record<string, unknown>>, via: Via): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) {
    const v = (K6_VARS as Readonly<Record<string, K6Var<unknown>>>)[name];
    // Only a value cast past the types gets here.
    if (v === undefined || v.via !== via)
      throw new Error(`${name} is not a k6 variable passed through ${via === 'arg' ? '-e' : 'the environment'}`);
    if (value !== null && value !== undefined) out[name] = v.codec.encode(value);
  }
  return out;
}

/** The variables as text, NAME → value (e.g. for the environment of a runner whose k6 inherits it). */
export function encodeK6Vars(values: K6VarValues): Record<string, string> {
  return encode(values, 'arg');
}

/** The variables as k6 arguments: -e NAME=value ... */
export function k6EnvArgs(values: K6VarValues): string[] {
  return Object.entries(encodeK6Vars(values)).flatMap(([name, value]) => ['-e', `${name}=${value}`]);
}

/** The inherited variables as environment entries for k6's process. */
export function encodeK6Environment(values: K6EnvironmentValues): Record<string, string> {
  return encode(values, 'environment');
}

/**
 * A variable's value from the text k6 holds for it: absent or empty gives the fallback (null when
 * there is none); text it cannot stand for is a ValidationError naming the variable, what was
 * expected and what was found.
 */
export function decodeK6Var<T, F extends T | null>(
  v: K6Var<T, F> & { name: K6VarName },
  text: string | undefined,
): T | F {
  return text === undefined || text === '' ? v.fallback : v.codec.decode(text, k6VarSource(v.name));
}
