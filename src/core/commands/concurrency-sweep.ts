/**
 * A sweep over concurrency (npm run k6:sweep -- --endpoint stream): the curve people read for an
 * LLM server — time to first token, inter-token latency, end-to-end time and output tokens per
 * second, in total and per stream, at 1, 2, 4 … N concurrent streams (closed model). Every level is
 * run and reported; the goodput is the highest level at which every objective held within the error
 * budget. Pure: levels, the step a level's scenario report gives, the table and the charts.
 */
import type { ScenarioReport, SweepReport, SweepStep } from '../types.js';
import { lineChart } from '../charts/svg.js';

/** 1, 2, 4 … up to max, and max itself when it is no power of two. */
export function concurrencyLevels(max: number): number[] {
  const levels: number[] = [];
  for (let n = 1; n < max; n *= 2) levels.push(n);
  levels.push(max);
  return levels;
}

export type UnjudgedStep = Omit<SweepStep, 'meetsSlo' | 'reason'>;

/** The sweep step of one level, from the level's scenario report (not yet judged). */
export function concurrencyStep(concurrency: number, s: ScenarioReport): UnjudgedStep {
  const st = s.streaming ?? null;
  return {
    concurrency,
    // Closed model: the rate is what the server sustained at this many clients.
    rateRps: Math.round(s.throughputRps * 1000) / 1000,
    requests: s.totals.requests,
    failures: s.totals.failures,
    dropped: s.totals.dropped,
    errorRatePct: s.errorRatePct,
    latencyMs: s.latencyMs,
    ...(st === null
      ? {}
      : {
          streamMs: { ttft: st.ttftMs, itl: st.itlMs, e2e: st.e2eMs },
          outputTokensPerSecond: {
            total: st.outputTokensPerSecondTotal ?? null,
            perStream: st.outputTokensPerSecond?.p50 ?? null,
          },
        }),
    generatorShortOfCpu: s.generator?.shortOfCpu ?? null,
    ...(s.goodput == null ? {} : { goodputPct: s.goodput.sharePct }),
    ...(s.partial == null ? {} : { partial: s.partial }),
  };
}

/** The highest level that met every objective (null: none did). */
export function goodputLevel(steps: readonly SweepStep[]): SweepStep | null {
  const good = steps.filter((s) => s.meetsSlo && s.concurrency !== undefined);
  return good.length === 0 ? null : good.reduce((a, b) => (b.concurrency! > a.concurrency! ? b : a));
}

export function concurrencySummary(steps: readonly SweepStep[], slo: string, hasObjective: boolean): string {
  const best = goodputLevel(steps);
  const levels = steps.map((s) => s.concurrency!).join(', ');
  if (!hasObjective)
    return `Levels run: ${levels} concurrent client(s); no objective was given (--slo), so no goodput is stated.`;
  if (best === null) return `No level met ${slo}: not even ${steps[0]?.concurrency ?? 1} client(s).`;
  const tokens = best.outputTokensPerSecond?.total;
  const rate = `${best.rateRps} req/s${tokens == null ? '' : ` and ${tokens.toFixed(1)} output tokens/s`}`;
  const missed = steps.filter((s) => !s.meetsSlo).length;
  const share =
    best.goodputPct == null ? '' : ` (${best.goodputPct.toFixed(1)} % of its requests each met every bound)`;
  return (
    `Capacity within the SLO: ${best.concurrency} concurrent client(s) met ${slo} at ${rate}${share}; ` +
    `${missed} of ${steps.length} level(s) did not.`
  );
}

const f = (n: number | null | undefined, d = 2): string => (n == null ? 'n/a' : n.toFixed(d));

/** What every step carried, when the sweep was given a workload: a line and a blank one. */
export const workloadLine = (r: Pick<SweepReport, 'workload'>): string[] =>
  r.workload == null ? [] : [`Workload: ${r.workload}`, ''];

/** One line per step whose figures are partial, saying why, and a blank line after them. */
export function partialLines(steps: readonly SweepStep[], label: (s: SweepStep) => string): string[] {
  const lines = steps.filter((s) => s.partial != null).map((s) => `- ${label(s)}: ${s.partial}`);
  return lines.length === 0 ? [] : [...lines, ''];
}

export function concurrencyMarkdown(r: SweepReport): string {
  const rows = [...r.steps]
    .sort((a, b) => (a.concurrency ?? 0) - (b.concurrency ?? 0))
    .map((s) => {
      const m = s.streamMs;
      const p = (l: { p50: number; p95: number } | null | undefined): string =>
        l == null ? 'n/a' : `${f(l.p50)} / ${f(l.p95)}`;
      const e2e = m?.e2e ?? s.latencyMs;
      const slo = s.partial != null ? 'partial' : r.slo === 'no objective' ? '-' : s.meetsSlo ? 'meets' : 'breaks';
      const short = s.generatorShortOfCpu ? '**yes**' : s.generatorShortOfCpu === false ? 'no' : 'n/a';
      const tokens = s.outputTokensPerSecond;
      return (
        `| ${s.concurrency} | ${s.requests} | ${s.failures} | ${p(m?.ttft)} | ${p(m?.itl)} | ${p(e2e)} ` +
        `| ${f(s.rateRps)} | ${f(tokens?.total, 1)} | ${f(tokens?.perStream, 1)} | ${slo} | ${short} |`
      );
    });
  return [
    `## ${r.endpoint} against concurrency` +
      (r.slo === 'no objective' ? '' : ` within ${r.slo} (error budget ${r.errorBudgetPct}%)`),
    '',
    r.summary,
    '',
    `Closed model: at each level that many clients each send their requests one after the other; ${r.machine}`,
    '',
    ...workloadLine(r),
    '| clients | requests | failures | TTFT p50 / p95 ms | ITL p50 / p95 ms | end-to-end p50 / p95 ms | req/s ' +
      '| output tokens/s | tokens/s per stream (median) | SLO | generator short of CPU |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |',
    ...rows,
    '',
    ...partialLines(r.steps, (s) => `${s.concurrency} client(s)`),
    'Charts: [ttft.svg](ttft.svg), [itl.svg](itl.svg), [e2e.svg](e2e.svg), [tokens.svg](tokens.svg), ' +
      '[tokens-per-stream.svg](tokens-per-stream.svg)',
    '',
  ].join('\n');
}

/** File name → SVG: latency percentiles and output token rates against concurrency. */
export function concurrencyCharts(endpoint: string, steps: readonly SweepStep[]): Record<string, string> {
  const sorted = [...steps].filter((s) => s.concurrency !== undefined).sort((a, b) => a.concurrency! - b.concurrency!);
  const series = (name: string, pick: (s: SweepStep) => number | null | undefined) => ({
    name,
    points: sorted.flatMap((s) => {
      const y = pick(s);
      return y == null ? [] : [{ x: s.concurrency!, y }];
    }),
  });
  const chart = (what: string, yLabel: string, list: ReturnType<typeof series>[]): string =>
    lineChart({
      title: `${what} of ${endpoint} against concurrency`,
      xLabel: 'concurrent clients',
      yLabel,
      series: list,
      xScale: 'log2',
    });
  const e2e = (s: SweepStep) => s.streamMs?.e2e ?? s.latencyMs;
  return {
    'ttft.svg': chart('Time to first token', 'ms', [
      series('p50', (s) => s.streamMs?.ttft?.p50),
      series('p95', (s) => s.streamMs?.ttft?.p95),
    ]),
    'itl.svg': chart('Inter-token latency', 'ms', [
      series('p50', (s) => s.streamMs?.itl?.p50),
      series('p95', (s) => s.streamMs?.itl?.p95),
    ]),
    'e2e.svg': chart('End-to-end time', 'ms', [series('p50', (s) => e2e(s)?.p50), series('p95', (s) => e2e(s)?.p95)]),
    'tokens.svg': chart('Output tokens per second', 'tokens/s, all streams', [
      series('total', (s) => s.outputTokensPerSecond?.total),
    ]),
    'tokens-per-stream.svg': chart('Output tokens per second per stream', 'tokens/s, median stream', [
      series('per stream', (s) => s.outputTokensPerSecond?.perStream),
    ]),
  };
}
