/**
 * One request: send it, judge it, record it. Every request sent adds exactly one sample to
 * `request_failed` (that is what makes the report's totals exact), and a 200 whose body breaks the
 * endpoint's schema is a failure like a 500.
 */
import { check } from 'k6';
import http from 'k6/http';
import { Counter, Rate } from 'k6/metrics';
import { K6_METRICS } from '../../core/thresholds.js';
import { ENDPOINTS, type Endpoint } from './endpoints.js';

// Custom metrics must be created in init code.
const requestFailed = new Rate(K6_METRICS.requestFailed);
const requestsOk = new Counter(K6_METRICS.requestsOk);
const tokens = new Counter(K6_METRICS.tokens);

const JSON_HEADERS = { 'Content-Type': 'application/json' };
const NO_HEADERS = {};
/** Built once: the same objects for every request (tags are read, never changed, by k6). */
const TAGS: Record<Endpoint['name'], { endpoint: string; name: string }> = Object.fromEntries(
  Object.values(ENDPOINTS).map((e) => [e.name, { endpoint: e.name, name: e.path }]),
) as Record<Endpoint['name'], { endpoint: string; name: string }>;
const TIMEOUTS = new Map<number, string>();

function parse(text: unknown): unknown {
  if (typeof text !== 'string') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function send(endpoint: Endpoint, baseUrl: string, n: number, timeoutSec: number, validateBodies: boolean): void {
  const request = endpoint.body(n);
  const tags = TAGS[endpoint.name];
  const res = http.request(endpoint.method, `${baseUrl}${endpoint.path}`, request === null ? null : JSON.stringify(request), {
    headers: request === null ? NO_HEADERS : JSON_HEADERS,
    tags,
    timeout: TIMEOUTS.get(timeoutSec) ?? TIMEOUTS.set(timeoutSec, `${timeoutSec}s`).get(timeoutSec)!,
  });
  const statusOk = res.status === 200;
  check(res, { [`${endpoint.name} status is 200`]: () => statusOk }, tags);
  let ok = statusOk;
  let body: unknown;
  if (statusOk && validateBodies) {
    body = parse(res.body);
    ok = endpoint.accepts(body, request);
    check(res, { [`${endpoint.name} body matches its schema`]: () => ok }, tags);
  }
  requestFailed.add(!ok, tags);
  if (ok) requestsOk.add(1, tags);
  // Only a body that passed its schema is read for its token count.
  if (ok && body !== undefined) {
    const n = endpoint.tokens(body);
    if (n > 0) tokens.add(n, tags);
  }
}
