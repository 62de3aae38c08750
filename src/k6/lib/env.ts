/**
 * The only reader of k6's __ENV. Each variable has a typed parser whose error names the variable,
 * what was expected and what arrived. The Node runner sets these with `k6 run -e`; they also let a
 * bundled script run on its own (`k6 run dist/k6/health.js -e BASE_URL=...`) or in k6 cloud.
 */
import { describeValue } from '../../core/errors/describe.js';
import { ValidationError } from '../../core/errors/ValidationError.js';
import { parseMix, type MixEntry } from '../../core/plan/mix.js';
import type { Gate } from '../../core/types.js';
import type { ShapeOverride } from '../../core/plan/shape.js';
import { aliasDomainFrom } from '../../core/stream/hosts.js';
import { SERVER_KINDS, type ServerKind } from '../../core/target/servers.js';

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
  /** VALIDATE_BODIES: check each 200 body against its schema (default true). */
  validateBodies: boolean;
  /** SAMPLES: off when the runner writes no per-request samples (--no-samples); default on. */
  samples: boolean;
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
  /** SHAPE_CLIENTS, SHAPE_REQUESTS, SHAPE_RATE, SHAPE_DURATION_SEC: the run's shape (src/core/plan/shape.ts). */
  shape: ShapeOverride;
  /** THRESHOLDS_SOURCE: where the inlined thresholds came from, for errors. */
  thresholdsSource: string | null;
  /**
   * From K6_BROWSER_ARGS (the browser's flags, read by k6's browser module too): the alias domain
   * its host-resolver-rules map to the server, over which streams spread (src/core/stream/hosts.ts).
   */
  streamAliasDomain: string | null;
  /** RATE, WINDOW_SEC, CLIENTS: one step of a capacity sweep (src/k6/sweep/step.ts). */
  sweep: { rate: number; windowSec: number; clients: number } | null;
}

function raw(key: string): string | undefined {
  const v = __ENV[key];
  return v === undefined || v === '' ? undefined : v;
}

function invalid(key: string, expected: string, found: unknown): never {
  throw new ValidationError(`k6 environment variable ${key}`, [{ path: '', expected, found: describeValue(found) }]);
}

function readUrl(key: string, fallback: string): string {
  const v = raw(key) ?? fallback;
  if (!/^https?:\/\/[^/\s]+(\/[^\s]*)?$/.test(v)) invalid(key, 'an http:// or https:// URL', v);
  return v.replace(/\/+$/, '');
}

function readGate(key: string): Gate {
  const v = raw(key) ?? 'acceptable';
  if (v !== 'acceptable' && v !== 'target') invalid(key, "'acceptable' or 'target'", v);
  return v;
}

function readScale(key: string): number {
  const v = raw(key);
  if (v === undefined) return 1;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0 || n > 1) invalid(key, 'a number with 0 < n <= 1', v);
  return n;
}

function readPositive(key: string): number | null {
  const v = raw(key);
  if (v === undefined) return null;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) invalid(key, 'a number of seconds greater than 0', v);
  return n;
}

function readWhole(key: string): number | null {
  const v = raw(key);
  if (v === undefined) return null;
  if (!/^[1-9]\d*$/.test(v)) invalid(key, 'a whole number greater than 0', v);
  return Number(v);
}

function readApi(key: string): 'realizar' | 'openai' {
  const v = raw(key) ?? 'realizar';
  if (v !== 'realizar' && v !== 'openai') invalid(key, "'realizar' or 'openai'", v);
  return v;
}

function readServer(key: string): ServerKind | null {
  const v = raw(key);
  if (v === undefined) return null;
  if (!(SERVER_KINDS as readonly string[]).includes(v)) invalid(key, `one of ${SERVER_KINDS.join(', ')}`, v);
  return v as ServerKind;
}

function readBool(key: string, fallback: boolean): boolean {
  const v = raw(key);
  if (v === undefined) return fallback;
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  return invalid(key, "'true' or 'false'", v);
}

export function readEnv(): K6Env {
  const mixText = raw('MIX');
  return {
    baseUrl: readUrl('BASE_URL', 'http://127.0.0.1:8080'),
    gate: readGate('GATE'),
    scale: readScale('SCALE'),
    mix: mixText === undefined ? null : parseMix(mixText, 'k6 environment variable MIX'),
    outDir: raw('OUT_DIR') ?? null,
    validateBodies: readBool('VALIDATE_BODIES', true),
    samples: raw('SAMPLES') !== 'off',
    timeoutSec: readPositive('TIMEOUT_SEC'),
    api: readApi('API'),
    model: raw('MODEL') ?? 'default',
    server: readServer('SERVER'),
    apiKey: raw('OPENAI_API_KEY') ?? null,
    promptsFile: raw('PROMPTS_FILE') ?? null,
    warmupRequests: readPositive('WARMUP_REQUESTS'),
    shape: {
      clients: readWhole('SHAPE_CLIENTS'),
      requests: readWhole('SHAPE_REQUESTS'),
      rate: readPositive('SHAPE_RATE'),
      durationSec: readPositive('SHAPE_DURATION_SEC'),
    },
    thresholdsSource: raw('THRESHOLDS_SOURCE') ?? null,
    streamAliasDomain: aliasDomainFrom(raw('K6_BROWSER_ARGS')),
    sweep:
      raw('RATE') === undefined
        ? null
        : { rate: readPositive('RATE')!, windowSec: readPositive('WINDOW_SEC') ?? 10, clients: Math.ceil(readPositive('CLIENTS') ?? 50) },
  };
}
