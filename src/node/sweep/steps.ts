/**
 * A capacity sweep's judging and its record: whether a step met the SLO and the error budget,
 * which rate to try next (doubling, then bisecting), and the Markdown table of the steps. No I/O.
 */
import { partialLines, type UnjudgedStep } from '../../core/commands/concurrency-sweep.js';
import type { SweepReport, SweepStep } from '../../core/types.js';
import type { SweepConfig } from '../config/index.js';
import { workloadLine } from '../../core/commands/concurrency-sweep.js';

export const f2 = (n: number): string => n.toFixed(2);
export const sloText = (c: Pick<SweepConfig, 'slos'>): string =>
  c.slos.length === 0 ? 'no objective' : c.slos.map((s) => s.text).join(', ');

type Budget = Pick<SweepConfig, 'slos' | 'errorBudgetPct'>;

/**
 * Judge one step: every objective on its figures, the budget on its error rate (dropped included).
 * A partial step measured only part of its window, so it cannot show that the SLO held.
 */
export function judgeStep(step: UnjudgedStep, config: Budget): SweepStep {
  const judged = judgeFigures(step, config);
  if (step.partial == null || !judged.meetsSlo) return judged;
  return { ...judged, meetsSlo: false, reason: `${judged.reason}, but partial: k6 ended without its summary` };
}

function judgeFigures(step: UnjudgedStep, config: Budget): SweepStep {
  if (step.latencyMs == null) return { ...step, meetsSlo: false, reason: 'no request completed' };
  if (step.errorRatePct === null || step.errorRatePct > config.errorBudgetPct) {
    return {
      ...step,
      meetsSlo: false,
      reason:
        `error rate ${step.errorRatePct === null ? 'n/a' : f2(step.errorRatePct)}% ` +
        `is over the budget of ${config.errorBudgetPct}% (${step.dropped} dropped)`,
    };
  }
  const seen: string[] = [];
  for (const slo of config.slos) {
    // A stream's figures are kept under the objective's metric name (the sweep schema's streamMs).
    const figures = slo.metric === 'latency' ? step.latencyMs : (step.streamMs?.[slo.metric] ?? null);
    const value = figures?.[slo.stat] ?? null;
    const label = `${slo.metric === 'latency' ? '' : `${slo.metric} `}${slo.stat}`;
    if (value === null) return { ...step, meetsSlo: false, reason: `no ${label} measured for ${slo.text}` };
    if (value >= slo.boundMs)
      return { ...step, meetsSlo: false, reason: `${label} ${f2(value)} ms breaks ${slo.text}` };
    seen.push(`${label} ${f2(value)} ms`);
  }
  return { ...step, meetsSlo: true, reason: [...seen, `error rate ${f2(step.errorRatePct)}%`].join(', ') };
}

/**
 * The rates to try, given what was seen so far: double while good; once a rate breaks, bisect
 * between the highest good and the lowest bad `refine` times. null: done.
 */
export function nextRate(
  steps: readonly SweepStep[],
  config: Pick<SweepConfig, 'startRate' | 'maxRate' | 'refine'>,
): number | null {
  if (steps.length === 0) return config.startRate;
  const good = steps.filter((s) => s.meetsSlo).map((s) => s.rateRps);
  const bad = steps.filter((s) => !s.meetsSlo).map((s) => s.rateRps);
  const best = good.length === 0 ? null : Math.max(...good);
  const worst = bad.length === 0 ? null : Math.min(...bad);
  if (best === null) return null; // not even the first rate met the SLO
  if (worst === null) {
    if (best >= config.maxRate) return null;
    return Math.min(best * 2, config.maxRate);
  }
  // Every step after the first one that broke the SLO was a bisection.
  const bisections = steps.length - 1 - steps.findIndex((s) => !s.meetsSlo);
  if (bisections >= config.refine) return null;
  const mid = Math.round(((best + worst) / 2) * 100) / 100;
  return mid <= best || mid >= worst ? null : mid;
}

export function renderMarkdown(r: SweepReport): string {
  const rows = [...r.steps]
    .sort((a, b) => a.rateRps - b.rateRps)
    .map((s) => {
      const l = s.latencyMs;
      const p = (v: number | undefined): string => (v === undefined ? 'n/a' : f2(v));
      const errorRate = s.errorRatePct === null ? 'n/a' : `${f2(s.errorRatePct)}%`;
      const slo = s.partial != null ? 'partial' : s.meetsSlo ? 'meets' : 'breaks';
      return (
        `| ${s.rateRps} | ${s.requests} | ${s.failures} (${s.dropped} dropped) | ${errorRate} ` +
        `| ${p(l?.p50)} | ${p(l?.p95)} | ${p(l?.p99)} | ${slo} |`
      );
    });
  return [
    `## Capacity of ${r.endpoint} within ${r.slo} (error budget ${r.errorBudgetPct}%)`,
    '',
    r.summary,
    '',
    `Offered rate per step for ${r.stepSec} s${r.arrivals == null ? '' : `, arriving ${r.arrivals}`}, ` +
      `at most ${r.clients} requests in flight; ${r.machine}`,
    '',
    ...workloadLine(r),
    '| offered req/s | requests | failures | error rate | p50 ms | p95 ms | p99 ms | SLO |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows,
    '',
    ...partialLines(r.steps, (s) => `${s.rateRps} req/s`),
    'Charts: [latency.svg](latency.svg), [errors.svg](errors.svg)',
    '',
  ].join('\n');
}
