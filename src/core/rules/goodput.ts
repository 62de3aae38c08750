/**
 * Goodput: the requests that were served well enough to count, per request. Percentiles say how the
 * run went as a whole; a user waits on one request, and a request with a fast first token but a
 * stalled stream was not served. So each request is judged on every objective of --goodput
 * ('ttft<500,itl<50,e2e<5000', ms; 'latency<…' for request endpoints), as DistServe and vLLM's
 * benchmark define it, and the goodput is the good requests per second (and their output tokens
 * per second). Pure: the one definition of a good request and of an objective's bound, for the run's
 * report and the sweep alike.
 */
import { describeValue } from '../errors/describe.js';
import { ValidationError, type ValidationProblem } from '../errors/ValidationError.js';

/** What an objective may bound: a stream's ttft, itl and e2e; a request's latency. */
export const GOODPUT_METRICS = ['ttft', 'itl', 'e2e', 'latency'] as const;
export type GoodputMetric = (typeof GOODPUT_METRICS)[number];
const STREAM_METRICS: readonly GoodputMetric[] = ['ttft', 'itl', 'e2e'];

export interface GoodputObjective {
  metric: GoodputMetric;
  /** The bound, ms. */
  boundMs: number;
  /** '<=': a figure equal to the bound meets it; '<': it does not. */
  inclusive: boolean;
  /** Normalised: 'ttft<500ms'. */
  text: string;
}

const DECIMAL = /^(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const ITEM = /^([A-Za-z_0-9]*)\s*(<=|<)\s*(.*?)\s*(ms)?$/;
const EXAMPLE = "objectives like 'ttft<500,itl<50,e2e<5000' (ms)";

/** --goodput 'ttft<500,itl<=50,e2e<5000' (the signature of a flag parser, src/node/flags/values.ts). */
export function parseGoodput(flag: string, text: string): GoodputObjective[] {
  const problems: ValidationProblem[] = [];
  const objectives: GoodputObjective[] = [];
  const refuse = (item: string, expected: string): void =>
    void problems.push({ path: '', expected, found: describeValue(item) });
  for (const raw of text.split(',')) {
    const item = raw.trim();
    const m = ITEM.exec(item);
    if (m === null) {
      refuse(item, `${EXAMPLE}: each a metric, '<' or '<=', and a number of ms`);
      continue;
    }
    const [, metric, op, bound] = m as unknown as [string, string, string, string];
    if (!(GOODPUT_METRICS as readonly string[]).includes(metric)) {
      refuse(item, `a metric ttft, itl or e2e (streams) or latency (request endpoints) before '${op}'`);
      continue;
    }
    const boundMs = Number(bound);
    if (!DECIMAL.test(bound) || !Number.isFinite(boundMs) || boundMs <= 0) {
      refuse(item, `a number of ms greater than 0 after '${metric}${op}'`);
      continue;
    }
    if (objectives.some((o) => o.metric === metric)) {
      refuse(item, `each metric once (${metric} is bounded twice)`);
      continue;
    }
    objectives.push({
      metric: metric as GoodputMetric,
      boundMs,
      inclusive: op === '<=',
      text: `${metric}${op}${String(boundMs)}ms`,
    });
  }
  if (problems.length > 0) throw new ValidationError(flag, problems);
  return objectives;
}

/**
 * Objectives a run can judge: a stream's figures (ttft, itl, e2e) only for streamed endpoints, latency
 * only for request endpoints; said when the plan is made, before anything runs.
 */
export function checkGoodputFor(flag: string, objectives: readonly GoodputObjective[], streamed: boolean): void {
  const misfits = objectives.filter((o) => STREAM_METRICS.includes(o.metric) !== streamed);
  if (misfits.length === 0) return;
  throw new ValidationError(
    flag,
    misfits.map((o) => ({
      path: '',
      expected: streamed
        ? 'ttft, itl or e2e for a streamed endpoint'
        : 'latency for a request endpoint (ttft, itl and e2e are measured on streams)',
      found: describeValue(o.text),
    })),
  );
}

/** Whether a figure meets an objective's bound: the one comparison for goodput and the sweep's objectives. */
export function meetsBound(o: Pick<GoodputObjective, 'boundMs' | 'inclusive'>, valueMs: number): boolean {
  return o.inclusive ? valueMs <= o.boundMs : valueMs < o.boundMs;
}

/** One request's figures, ms. itl: its mean gap between tokens, (e2e − ttft) / (tokens − 1), as vLLM's TPOT. */
export interface RequestFigures {
  /** Failed (status, body, timeout, dropped, never sent): never good, whatever its figures. */
  failed: boolean;
  ttft?: number | null;
  itl?: number | null;
  e2e?: number | null;
  latency?: number | null;
}

/**
 * Why a request is not good, or null when it is: failed, a figure an objective needs is missing (a
 * stream of one token has no inter-token latency), or a figure breaks its bound.
 */
export function goodputMiss(objectives: readonly GoodputObjective[], figures: RequestFigures): string | null {
  if (figures.failed) return 'failed';
  for (const o of objectives) {
    const value = figures[o.metric];
    if (value == null || !Number.isFinite(value)) return `no ${o.metric} measured for ${o.text}`;
    if (!meetsBound(o, value)) return `${o.metric} ${value.toFixed(2)} ms breaks ${o.text}`;
  }
  return null;
}

export function isGood(objectives: readonly GoodputObjective[], figures: RequestFigures): boolean {
  return goodputMiss(objectives, figures) === null;
}

/** A stream's mean inter-token latency from its figures (null: fewer than 2 tokens, nothing to average). */
export function meanItlMs(ttftMs: number, e2eMs: number, outputTokens: number): number | null {
  return outputTokens < 2 ? null : (e2eMs - ttftMs) / (outputTokens - 1);
}

export interface GoodputRequest extends RequestFigures {
  /** Tokens the request generated (absent: not known, as for tokenize). */
  outputTokens?: number | null;
}

export interface GoodputSummary {
  good: number;
  /** Every request of the window, failed and dropped ones included. */
  total: number;
  /** good / total (null: no request). */
  share: number | null;
  /** Good requests per second of the window (null: no window). */
  rate: number | null;
  /** Output tokens of the good requests per second (null: no window, or a good request's tokens unknown). */
  tokensPerSec: number | null;
}

export interface GoodputInput {
  objectives: readonly GoodputObjective[];
  requests: readonly GoodputRequest[];
  /** The measured window, s: from the first request sent to the end of the last. */
  durationSec: number;
}

export function goodputSummary(input: GoodputInput): GoodputSummary {
  const good = input.requests.filter((r) => isGood(input.objectives, r));
  const total = input.requests.length;
  const window = input.durationSec > 0 && Number.isFinite(input.durationSec) ? input.durationSec : null;
  const tokensKnown = good.every((r) => r.outputTokens != null);
  const tokens = good.reduce((n, r) => n + (r.outputTokens ?? 0), 0);
  return {
    good: good.length,
    total,
    share: total === 0 ? null : good.length / total,
    rate: window === null ? null : good.length / window,
    tokensPerSec: window === null || !tokensKnown ? null : tokens / window,
  };
}

/** The objectives as the report states them: 'ttft<500ms, itl<50ms'. */
export function goodputText(objectives: readonly GoodputObjective[]): string {
  return objectives.map((o) => o.text).join(', ');
}
