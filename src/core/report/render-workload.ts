/**
 * The workload section (src/core/summary/convert-workload.ts) in the text report and the Markdown
 * summary: what was sent, the tokens asked for against what the server said it received, its prompt
 * cache, and conversations by turn. Its own module, like the arrivals', so render.ts and markdown.ts
 * each take one line to show it.
 */
import type { Latency, ScenarioReport, TokenCounts, WorkloadReport } from '../types.js';

const f = (n: number | null | undefined, d = 1): string => (n == null ? 'n/a' : n.toFixed(d));
const int = (n: number | null): string => (n === null ? 'n/a' : String(Math.round(n)));
const col = (text: string, width: number): string => text.padStart(width);

function countsRow(label: string, c: TokenCounts | null): string {
  if (c === null) return `  ${label.padEnd(16)}${col('n/a', 8)}`;
  const cells = [c.min, c.p50, c.p95, c.max].map((v) => col(int(v), 8)).join('');
  return `  ${label.padEnd(16)}${cells}${col(`(${c.samples})`, 10)}`;
}

/** What a workload sends, as a run's plan or its report says it. */
export type WorkloadSentParts = Pick<
  WorkloadReport,
  'source' | 'input' | 'output' | 'prefix' | 'turns' | 'thinkTimeSec'
> & {
  conversations: boolean;
};

/** What was sent, in one line. */
export function workloadSent(w: WorkloadSentParts): string {
  const parts = [w.source];
  if (w.input !== null) parts.push(`input ${w.input}`);
  if (w.output !== null) parts.push(`output ${w.output}`);
  if (w.prefix !== null) parts.push(`prefix ${w.prefix}`);
  if (w.turns > 1 || w.conversations)
    parts.push(`conversations of up to ${w.turns} turns, think time ${w.thinkTimeSec}s`);
  return parts.join('; ');
}

const p50 = (l: Latency | null): string => (l == null ? 'n/a' : `${f(l.p50, 2)}ms`);

function cacheLine(w: WorkloadReport): string[] {
  const c = w.cache;
  if (c === null) return ['  prompt cache: the server gave no cached-token count'];
  const share = c.cachedSharePct === null ? '' : `, ${f(c.cachedSharePct)}% of the prompt tokens it received`;
  const lines = [`  prompt cache hits: ${c.hits} of ${c.requests} requests (${f(c.hitSharePct)}%)${share}`];
  if (c.ttftHitMs != null || c.ttftMissMs != null)
    lines.push(
      `  TTFT of cache hits p50 ${p50(c.ttftHitMs)} p95 ${c.ttftHitMs == null ? 'n/a' : `${f(c.ttftHitMs.p95, 2)}ms`}` +
        `, of misses p50 ${p50(c.ttftMissMs)} p95 ${c.ttftMissMs == null ? 'n/a' : `${f(c.ttftMissMs.p95, 2)}ms`}`,
    );
  return lines;
}

function extraLine(w: WorkloadReport): string[] {
  const e = w.inputTokens.extra;
  if (e === null) return [];
  if (!w.tokenizer.includes('exact'))
    return [`  the server counted ${int(e.min)} to ${int(e.max)} input token(s) against the estimate asked for`];
  const same = e.min === e.max;
  if (same && e.min === 0) return ["  the server counted exactly each request's text as its input"];
  if (e.min < 0)
    return [`  the server counted ${int(e.min)} to ${int(e.max)} input token(s) against each request's text`];
  return [
    `  the server counted ${same ? int(e.min) : `${int(e.min)} to ${int(e.max)}`} input token(s) more than each ` +
      `request's text${same ? ', every time' : ''}: its own framing (BOS, chat template)`,
  ];
}

/** Conversations the run's request count ended early: said only when there were any. */
const cutText = (cut: number | undefined): string =>
  (cut ?? 0) === 0 ? '' : `, ${cut} cut short by the run's request count`;

function turnLines(w: WorkloadReport): string[] {
  if (w.byTurn === null) return [];
  // TTFT and ITL are a stream's: a request endpoint has its latency alone.
  const stream = w.byTurn.some((t) => t.ttftMs != null);
  const lines = [`  by turn         requests  latency p50${stream ? '   TTFT p50    ITL p50' : ''}   input p50`];
  for (const t of w.byTurn) {
    const times = stream ? `${col(p50(t.ttftMs), 11)}${col(p50(t.itlMs), 11)}` : '';
    const input = col(t.inputTokens === null ? 'n/a' : int(t.inputTokens.p50), 12);
    lines.push(`  turn ${t.turn.padEnd(10)}${col(String(t.requests), 9)}${col(p50(t.latencyMs), 13)}${times}${input}`);
  }
  const c = w.conversations;
  if (c !== null)
    lines.push(
      `  conversations: ${c.started} started, ${c.completed} completed with every turn answered${cutText(c.cut)}`,
    );
  return lines;
}

export function workloadLines(s: ScenarioReport): string[] {
  const w = s.workload;
  if (w == null) return [];
  return [
    `Workload: ${workloadSent({ ...w, conversations: w.byTurn !== null })} (seed ${w.seed})`,
    `  input lengths: ${w.tokenizer}`,
    `  output lengths: ${w.outputLength}`,
    `  prompt cache: ${w.promptCache}`,
    `  tokens              min     p50     p95     max  (requests)`,
    countsRow('input asked', w.inputTokens.asked),
    countsRow('input received', w.inputTokens.received),
    countsRow('output asked', w.outputTokens.asked),
    countsRow('output received', w.outputTokens.received),
    ...extraLine(w),
    ...cacheLine(w),
    ...turnLines(w),
  ];
}

export function workloadMarkdown(
  scenarios: readonly ScenarioReport[],
  label: (s: ScenarioReport) => string,
  cell: (t: string) => string,
): string[] {
  const shown = scenarios.filter((s) => s.workload != null);
  if (shown.length === 0) return [];
  const pair = (a: TokenCounts | null, b: TokenCounts | null): string =>
    `${a === null ? 'n/a' : int(a.p50)} / ${b === null ? 'n/a' : int(b.p50)}`;
  const lines = [
    '### Workload',
    '',
    '| scenario | sent | input p50 asked / received | output p50 asked / received | cache hits | conversations |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
  ];
  for (const s of shown) {
    const w = s.workload!;
    const c = w.cache;
    const conv = w.conversations;
    lines.push(
      `| ${cell(label(s))} | ${cell(workloadSent({ ...w, conversations: w.byTurn !== null }))} | ` +
        `${pair(w.inputTokens.asked, w.inputTokens.received)} | ` +
        `${pair(w.outputTokens.asked, w.outputTokens.received)} | ` +
        `${c === null ? 'n/a' : `${c.hits} of ${c.requests}`} | ` +
        `${conv === null ? 'n/a' : `${conv.completed} of ${conv.started} completed${cutText(conv.cut)}`} |`,
    );
  }
  return lines;
}
