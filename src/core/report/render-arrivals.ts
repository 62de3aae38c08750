/**
 * When the requests were due and how late the generator sent them (--arrivals, --trace), and the
 * goodput (--goodput), in the text report and the Markdown summary. Its own module, like the
 * generator's, so that render.ts and markdown.ts each take one line to show it.
 */
import type { ScenarioReport } from '../types.js';

const f = (n: number | null | undefined, d = 2): string => (n == null ? 'n/a' : n.toFixed(d));

export function arrivalsLines(s: ScenarioReport): string[] {
  const lines: string[] = [];
  const a = s.arrivals;
  if (a != null) {
    const late = a.requestStartLateMs;
    lines.push(`Arrivals: ${a.process}`);
    if (late != null)
      lines.push(
        `  sent after their due time: p50 ${f(late.p50)}ms, p95 ${f(late.p95)}ms, p99 ${f(late.p99)}ms, ` +
          `max ${f(late.max)}ms (${late.samples} requests)`,
      );
    if ((a.dropped ?? 0) > 0) lines.push(`  ${a.dropped} found every client busy at their due time: dropped, failures`);
  }
  const g = s.goodput;
  if (g != null) {
    const tokens = g.outputTokensPerSec == null ? '' : `, ${f(g.outputTokensPerSec, 1)} output tokens/s`;
    lines.push(
      `Goodput (${g.objectives}): ${g.good} of ${g.requests} requests (${f(g.sharePct, 1)}%) met every objective; ` +
        `${f(g.ratePerSec)} good req/s${tokens}`,
    );
  }
  return lines;
}

export function arrivalsMarkdown(
  scenarios: readonly ScenarioReport[],
  label: (s: ScenarioReport) => string,
  cell: (t: string) => string,
): string[] {
  const shown = scenarios.filter((s) => s.arrivals != null || s.goodput != null);
  if (shown.length === 0) return [];
  const lines = [
    '### Arrivals and goodput',
    '',
    '| scenario | arrivals | sent late p50 / p99 ms | goodput | good req/s |',
    '| --- | --- | ---: | ---: | ---: |',
  ];
  for (const s of shown) {
    const late = s.arrivals?.requestStartLateMs ?? s.streaming?.startLateMs ?? null;
    const g = s.goodput;
    lines.push(
      `| ${cell(label(s))} | ${cell(s.arrivals?.process ?? 'constant')} | ` +
        `${late == null ? 'n/a' : `${f(late.p50)} / ${f(late.p99)}`} | ` +
        `${g == null ? 'n/a' : `${g.good} of ${g.requests} (${f(g.sharePct, 1)}%, ${cell(g.objectives)})`} | ` +
        `${g == null ? 'n/a' : f(g.ratePerSec)} |`,
    );
  }
  return lines;
}
