/**
 * One streamed request: core k6 has no streaming HTTP client (its responses arrive whole), and the
 * SSE extension is not available to this toolkit, so the stream is read where streams are native —
 * in a headless Chromium driven by k6's built-in browser module. The page fetch()es the endpoint
 * from the server's own origin (no CORS) and timestamps every chunk with performance.now(); the
 * timings are computed here (src/core/stream.ts) and recorded as k6 Trends.
 */
import { browser } from 'k6/browser';
import { check } from 'k6';
import { Counter, Rate, Trend } from 'k6/metrics';
import { streamTimings, type Chunk, type StreamApi } from '../../core/stream.js';
import { K6_METRICS } from '../../core/thresholds.js';
import type { Endpoint } from './endpoints.js';

const requestFailed = new Rate(K6_METRICS.requestFailed);
const requestsOk = new Counter(K6_METRICS.requestsOk);
const tokens = new Counter(K6_METRICS.tokens);
const ttft = new Trend(K6_METRICS.ttft, true);
const itl = new Trend(K6_METRICS.itl, true);
const e2e = new Trend(K6_METRICS.e2e, true);
const tokensPerSecond = new Trend(K6_METRICS.tokensPerSecond);

interface PageResult {
  status: number;
  chunks: Chunk[];
  error: string | null;
}

/** The few browser globals the page function uses (the k6 zone has no DOM types, on purpose). */
interface PageGlobals {
  fetch(url: string, init: { method: string; headers: Record<string, string>; body: string; signal: unknown }): Promise<{
    status: number;
    body: { getReader(): { read(): Promise<{ done: boolean; value?: Uint8Array }> } } | null;
  }>;
  TextDecoder: new () => { decode(v: Uint8Array, o: { stream: boolean }): string };
  AbortController: new () => { signal: unknown; abort(): void };
  performance: { now(): number };
  setTimeout(f: () => void, ms: number): unknown;
}

export async function sendStreamed(endpoint: Endpoint, baseUrl: string, n: number, timeoutSec: number, api: StreamApi, apiKey: string | null): Promise<void> {
  const tags = { endpoint: endpoint.name, name: endpoint.path };
  const page = await browser.newPage();
  let result: PageResult;
  try {
    // Any page of the server's origin will do, so that fetch() is same-origin (no CORS).
    await page.goto(`${baseUrl}${api === 'openai' ? '/v1/models' : '/health'}`);
    // Runs inside the page: it may use only its argument and the page's globals.
    result = await page.evaluate(
      async (arg: { path: string; body: string; timeoutMs: number; headers: Record<string, string> }): Promise<PageResult> => {
        const g = globalThis as unknown as PageGlobals;
        const chunks: Chunk[] = [];
        const abort = new g.AbortController();
        g.setTimeout(() => abort.abort(), arg.timeoutMs);
        const t0 = g.performance.now();
        try {
          const res = await g.fetch(arg.path, { method: 'POST', headers: arg.headers, body: arg.body, signal: abort.signal });
          if (res.body === null) return { status: res.status, chunks, error: 'no response body' };
          const reader = res.body.getReader();
          const decoder = new g.TextDecoder();
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            chunks.push({ tMs: g.performance.now() - t0, text: decoder.decode(value!, { stream: true }) });
          }
          return { status: res.status, chunks, error: null };
        } catch (err) {
          return { status: 0, chunks, error: String(err) };
        }
      },
      {
        path: endpoint.path,
        body: JSON.stringify(endpoint.body(n)),
        timeoutMs: timeoutSec * 1000,
        headers: { 'Content-Type': 'application/json', ...(apiKey === null ? {} : { Authorization: `Bearer ${apiKey}` }) },
      },
    );
  } catch (err) {
    result = { status: 0, chunks: [], error: `the browser failed: ${String(err)}` };
  } finally {
    await page.close();
  }

  const t = streamTimings(result.chunks, api);
  const statusOk = result.status === 200;
  const complete = statusOk && result.error === null && t.error === null && t.done && t.ttftMs !== null;
  check(result, { [`${endpoint.name} status is 200`]: () => statusOk }, tags);
  if (statusOk) check(result, { [`${endpoint.name} stream completes with tokens`]: () => complete }, tags);
  requestFailed.add(!complete, tags);
  if (t.e2eMs !== null) e2e.add(t.e2eMs, tags);
  if (!complete) return;
  requestsOk.add(1, tags);
  ttft.add(t.ttftMs!, tags);
  for (const gap of t.itlMs) itl.add(gap, tags);
  tokens.add(t.outputTokens, tags);
  if (t.e2eMs! > 0) tokensPerSecond.add(t.outputTokens / (t.e2eMs! / 1000), tags);
}
