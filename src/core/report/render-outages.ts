/**
 * The parts of the report about what cut a run short or broke it for a while: outages with their
 * time to recover and the seconds around them (from the per-second timeline), a scenario whose
 * figures are partial, and a report rebuilt afterwards. As text (report.txt) and as Markdown
 * (summary.md). Pure.
 */
import type { Report, ScenarioReport, TimelineReport } from '../types.js';
import { secondsAroundOutages } from '../watch/outages.js';

const f2 = (n: number): string => n.toFixed(2);

export function describeOutage(o: TimelineReport['outages'][number]): string {
  const recovered =
    o.recoveredAtSec === null
      ? 'not recovered before the scenario ended'
      : `first success again at ${f2(o.recoveredAtSec)} s: time to recover ${f2(o.timeToRecoverSec!)} s`;
  return (
    `${f2(o.startSec)} s to ${f2(o.lastFailureSec)} s of the run, ` +
    `${o.failures} request(s) failed and none succeeded; ${recovered}`
  );
}

/** report.txt: each outage, then the seconds around them, one line per second. */
export function outageLines(s: ScenarioReport): string[] {
  const t = s.timeline;
  if (t == null || t.outages.length === 0) return [];
  const lines = [`Outages (every request failing for at least ${t.outageMinSec} s; seconds since the run started):`];
  t.outages.forEach((o, i) => lines.push(`  ${i + 1}. ${describeOutage(o)}`));
  lines.push('  Per second around them (requests completed / failed):');
  for (const sec of secondsAroundOutages(t)) {
    const bar =
      sec.requests === 0
        ? '(no request completed)'
        : `${'x'.repeat(Math.min(sec.failures, 40))}${'.'.repeat(Math.min(sec.requests - sec.failures, 40))}`;
    const counts = `${String(sec.requests).padStart(5)} / ${String(sec.failures).padEnd(5)}`;
    lines.push(`    ${String(sec.tSec).padStart(4)} s  ${counts} ${bar}`);
  }
  return lines;
}

export function partialLine(s: ScenarioReport): string[] {
  return s.partial == null ? [] : [`PARTIAL: ${s.partial}`];
}

export function rebuiltLines(r: Report): string[] {
  if (r.rebuilt == null) return [];
  return [
    `REBUILT ${r.rebuilt.at} by npm run report from what the run left on disk` +
      (r.rebuilt.partial ? ' - PARTIAL: some figures come from less than a complete run' : ''),
    ...r.rebuilt.sources.map((line) => `  ${line}`),
  ];
}

/** summary.md: one section listing every outage and the seconds around it. */
export function outagesMarkdown(
  scenarios: readonly ScenarioReport[],
  label: (s: ScenarioReport) => string,
  escape: (text: string) => string,
): string[] {
  const hit = scenarios.filter((s) => (s.timeline?.outages.length ?? 0) > 0);
  if (hit.length === 0) return [];
  const lines = ['### Outages', ''];
  for (const s of hit) {
    const t = s.timeline!;
    for (const o of t.outages) lines.push(`- **${escape(label(s))}**: ${describeOutage(o)}`);
    lines.push(
      '',
      '| second of the run | requests | failed |',
      '| ---: | ---: | ---: |',
      ...secondsAroundOutages(t).map((sec) => `| ${sec.tSec} | ${sec.requests} | ${sec.failures} |`),
      '',
    );
  }
  return lines.slice(0, -1);
}
