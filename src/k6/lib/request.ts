/**
 * One request: send it, judge it, record it. Every request sent adds exactly one sample to
 * `request_failed` (that is what makes the report's totals exact), and a 200 whose body breaks the
 * endpoint's schema is a failure like a 500.
 */
import { check } from 'k6';
import http from 'k6/http';
import { Counter, Rate } from 'k6/metrics';
import { K6_METRICS } from '../../core/thresholds.js';
import type { Endpoint } from './endpoints.js';

// Custom metrics must be created in init code.
const requestFailed = new Rate(K6_METRICS.requestFailed);
const requestsOk = new Counter(K6_METRICS.requestsOk);
const tokens = new Counter(K6_METRICS.tokens);

/** Built once per endpoint and API key: the same objects for every request (k6 only reads them). */
const TAGS = new Map<Endpoint, { endpoint: string; name: string }>();
const HEADERS = new Map<string, Record<string, string>>();
const TIMEOUTS = new Map<number, string>();

function headersFor(json: boolean, apiKey: string | null): Record<string, string> {
  const key = `${json}|${apiKey ?? ''}`;
  let h = HEADERS.get(key);
  if (h === undefined) {
    h = { ...(json ? { 'Content-Type': 'application/json' } : {}), ...(apiKey === null ? {} : { Authorization: `Bearer ${apiKey}` }) };
    HEADERS.set(key, h);
  }
  return h;
}

function parse(text: unknown): unknown {
  if (typeof text !== 'string') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function send(endpoint: Endpoint, baseUrl: string, n: number, timeoutSec: number, validateBodies: boolean, apiKey: string | null): void {
  const request = endpoint.body(n);
  let tags = TAGS.get(endpoint);
  if (tags === undefined) TAGS.set(endpoint, (tags = { endpoint: endpoint.name, name: endpoint.path }));
  const res = http.request(endpoint.method, `${baseUrl}${endpoint.path}`, request === null ? null : JSON.stringify(request), {
    headers: headersFor(request !== null, apiKey),
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
