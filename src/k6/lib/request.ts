/**
 * One request: send it, judge it, record it. Every request sent adds exactly one sample to
 * `request_failed` (that is what makes the report's totals exact), and a 200 whose body breaks the
 * endpoint's schema is a failure like a 500.
 *
 * Cheap on purpose: k6's JavaScript VM has no JIT and every call from JavaScript into k6 (Go) goes
 * through reflection, converting each object argument field by field (bench/README.md has the
 * profile). So everything that does not change between requests is built once per VU and endpoint
 * (URL, params, the check objects, a body that does not depend on the request number), the
 * endpoint is a tag of the VU (set when it changes) instead of a tags object passed to four calls,
 * and the checks are one call. Every 200 body is judged against its schema; one byte-identical to
 * the last that passed (for the same request) has that verdict without being parsed again.
 */
import { check } from './k6-calls.js';
import exec from 'k6/execution';
import http, { type RefinedParams, type ResponseType } from 'k6/http';
import { isGood, type GoodputObjective } from '../../core/rules/goodput.js';
import type { Endpoint } from './endpoints.js';
import { metric } from './metrics.js';
import { joinsAnswers, recordRequestClock } from './stream/server-clock.js';

/** What the script carries (src/core/plan/client-features.ts): code behind a false one is left out. */
declare const __WITH_GOODPUT__: boolean, __WITH_ANSWER_CLOCK__: boolean;

// request_failed is the verdict on every request (status and body); k6's own http_req_failed
// (status only) would add a sample per request for every output to take in and write. null turns
// it off (and with it the expected_response tag).
http.setResponseCallback(null as unknown as Parameters<typeof http.setResponseCallback>[0]);

// Custom metrics must be created in init code.
const requestFailed = metric('requestFailed');
const requestsOk = metric('requestsOk');
const tokens = metric('tokens');
/** Made in init code only for a run with objectives (useGoodputMetrics): each metric costs every VU a few KB. */
let goodputMetrics: {
  goodput: ReturnType<typeof metric<'goodput'>>;
  tokens: ReturnType<typeof metric<'goodputTokens'>>;
} | null = null;
/** In init code (k6 accepts new metrics only there), when the run has per-request objectives (--goodput). */
export function useGoodputMetrics(): void {
  goodputMetrics ??= { goodput: metric('goodput'), tokens: metric('goodputTokens') };
}

/** What the check functions read: set just before each check() call (one VU runs one request at a time). */
let statusOk = false;
let bodyOk = false;
const isStatusOk = (): boolean => statusOk;
const isBodyOk = (): boolean => bodyOk;

interface Prepared {
  url: string;
  params: RefinedParams<ResponseType>;
  /** params' own headers object: each request writes its X-Request-Id into it. */
  headers: Record<string, string>;
  /** Only the status is judged (not a 200, or validation off). */
  statusOnly: Record<string, () => boolean>;
  statusAndBody: Record<string, () => boolean>;
  /** The request and its JSON text when they are the same for every request number, else null. */
  fixed: { request: Record<string, unknown> | null; text: string | null } | null;
  /**
   * With a fixed request, the last body that passed and its token count: judging a body is a pure
   * function of the body and the request, so a byte-identical body has the same verdict (a
   * string comparison instead of JSON.parse and the schema validator in an interpreter).
   */
  lastPassed: { text: string; tokens: number; body: unknown } | null;
}

/** What every request of the run shares; built once, not per request. */
export interface SendTarget {
  baseUrl: string;
  /** Judge every 200 body against its schema (else only the status). */
  validateBodies: boolean;
  apiKey: string | null;
  /** Per-request objectives (--goodput): each request sent is good or not; null: none asked for. */
  goodput: readonly GoodputObjective[] | null;
}

/** Per endpoint and timeout (a phase may set its own); the base URL and API key are the run's. */
interface PreparedFor {
  endpoint: Endpoint;
  timeoutSec: number;
  prepared: Prepared;
}
/** A run has a few endpoints and timeouts: a list, not a Map (whose class costs each VU about 15 KB). */
const PREPARED: PreparedFor[] = [];
/** The previous request's: most requests of a VU go to the same endpoint with the same timeout. */
let last: PreparedFor | null = null;

function prepare(endpoint: Endpoint, timeoutSec: number, target: SendTarget): Prepared {
  if (last !== null && last.endpoint === endpoint && last.timeoutSec === timeoutSec) return last.prepared;
  // Indexed: a for...of's iterator costs each VU at its first use (docs/performance.md).
  for (let i = 0; i < PREPARED.length; i++) {
    const e = PREPARED[i]!;
    if (e.endpoint === endpoint && e.timeoutSec === timeoutSec) {
      last = e;
      return e.prepared;
    }
  }
  const first = endpoint.body(0);
  const headers: Record<string, string> = {
    ...(first === null ? {} : { 'Content-Type': 'application/json' }),
    ...(target.apiKey === null ? {} : { Authorization: `Bearer ${target.apiKey}` }),
    'X-Request-Id': '',
  };
  const fixedRequest = endpoint.fixedBody === undefined ? undefined : endpoint.fixedBody();
  const p: Prepared = {
    url: `${target.baseUrl}${endpoint.path}`,
    // k6's default request timeout is 60 s: left out when equal, one field fewer to convert.
    params: {
      headers,
      ...(timeoutSec === 60 ? {} : { timeout: `${timeoutSec}s` }),
    },
    headers,
    statusOnly: { [`${endpoint.name} status is 200`]: isStatusOk },
    statusAndBody: {
      [`${endpoint.name} status is 200`]: isStatusOk,
      [`${endpoint.name} body matches its schema`]: isBodyOk,
    },
    fixed:
      fixedRequest === undefined
        ? null
        : { request: fixedRequest, text: fixedRequest === null ? null : JSON.stringify(fixedRequest) },
    lastPassed: null,
  };
  last = { endpoint, timeoutSec, prepared: p };
  PREPARED.push(last);
  return p;
}

/** The VU's endpoint tag, on every sample it emits (the request's, the checks', the custom metrics'). */
let taggedEndpoint: string | null = null;
function tagEndpoint(name: string): void {
  if (taggedEndpoint === name) return;
  exec.vu.metrics.tags['endpoint'] = name;
  taggedEndpoint = name;
}

function parse(text: unknown): unknown {
  if (typeof text !== 'string') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Every request's id (header X-Request-Id), for finding it in the server's logs: the VU's prefix and
 * its own count. The id is written into the prepared params' headers object rather than a new params
 * object per request: k6 converts the params field by field on every call anyway, so the id costs one
 * string more to convert and one concatenation, not an object built and walked per request. Safe
 * because a VU runs one request at a time.
 */
let idPrefix: string | null = null;
let sentCount = 0;

/** What a request got back, for a caller that reads the answer (a workload's counts, a conversation's reply). */
export interface Sent {
  ok: boolean;
  /** The response body's text (null: none). */
  text: string | null;
  /** The body parsed, when judging it parsed it; undefined otherwise. */
  body: unknown;
}
// One object, reused: most callers never look at it, and k6's VM pays for every allocation.
const sent: Sent = { ok: false, text: null, body: undefined };

/**
 * Send request number `n` of `endpoint` (its body from the endpoint), or `request` as given (a
 * conversation's turn). The returned object is reused by the next call.
 */
export function send(
  endpoint: Endpoint,
  n: number,
  timeoutSec: number,
  target: SendTarget,
  given?: Record<string, unknown>,
): Sent {
  const p = prepare(endpoint, timeoutSec, target);
  // exec.vu is not readable at init: the prefix is made on the VU's first request.
  idPrefix ??= `rk6-${Date.now().toString(36)}-vu${exec.vu.idInTest}-`;
  p.headers['X-Request-Id'] = `${idPrefix}${++sentCount}`;
  const fixed = given === undefined ? p.fixed : null;
  const request = given ?? (fixed === null ? endpoint.body(n) : fixed.request);
  const text = fixed === null ? (request === null ? null : JSON.stringify(request)) : fixed.text;
  tagEndpoint(endpoint.name);
  const res = http.request(endpoint.method, p.url, text, p.params);
  statusOk = res.status === 200;
  // Each read of a response's field converts it from Go again (the body's text is copied): read once.
  const answer = res.body;
  let ok = statusOk;
  let count = 0;
  sent.body = undefined;
  if (statusOk && target.validateBodies) {
    const text = answer;
    const known = p.lastPassed;
    if (known !== null && known.text === text && fixed !== null) {
      ok = true;
      count = known.tokens;
      sent.body = known.body;
    } else {
      const body = parse(text);
      sent.body = body;
      ok = endpoint.accepts(body, request);
      // Only a body that passed its schema is read for its token count.
      if (ok) count = endpoint.tokens(body);
      if (ok && fixed !== null && typeof text === 'string') p.lastPassed = { text, tokens: count, body };
    }
    bodyOk = ok;
    check(res, p.statusAndBody);
  } else {
    check(res, p.statusOnly);
  }
  requestFailed.add(!ok);
  if (ok) requestsOk.add(1);
  if (count > 0) tokens.add(count);
  if (__WITH_GOODPUT__ && target.goodput !== null) {
    const good = isGood(target.goodput, { failed: !ok, latency: res.timings.duration });
    goodputMetrics!.goodput.add(good);
    if (good && count > 0) goodputMetrics!.tokens.add(count);
  }
  sent.ok = ok;
  sent.text = typeof answer === 'string' ? answer : null;
  // Checked before the headers and timings are read (a new object each): a run that joins no answers
  // pays nothing more per request.
  if (__WITH_ANSWER_CLOCK__ && statusOk && joinsAnswers())
    joinWithServer(res.headers['Server-Timing'], res.timings.duration, count, p.headers['X-Request-Id']!);
  return sent;
}

/**
 * The answer joined with the server's own account of it (src/k6/lib/stream/server-clock.ts), when it
 * gives one: llama.cpp's `timings` in the body, or a Server-Timing header. An answer with neither
 * (Realizar's) costs a substring search when its body was not parsed, and nothing more.
 */
function joinWithServer(serverTiming: string | undefined, clientMs: number, count: number, requestId: string): void {
  let body = sent.body;
  if (body === undefined && sent.text !== null && sent.text.includes('"timings"')) body = sent.body = parse(sent.text);
  const timed = typeof body === 'object' && body !== null && 'timings' in body;
  if (!timed && serverTiming === undefined) return;
  recordRequestClock({
    body,
    clientMs,
    clientTokens: count > 0 ? count : null,
    serverTiming: serverTiming ?? null,
    requestId,
  });
}

/** The body of what was sent, parsed once. */
export function bodyOf(s: Sent): unknown {
  return s.body !== undefined ? s.body : parse(s.text);
}
