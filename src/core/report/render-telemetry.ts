/**
 * The server's own metrics over time (the telemetry section) in the text report: each series' range,
 * the scrapes (how many failed, and why the last one did) and what they cost the server. The charts
 * are in report.html. Its own module so that render.ts takes one line to show it.
 */
import type { ScenarioReport, TelemetryReport } from '../types.js';

const num = (n: number | null, unit = ''): string => {
  if (n === null) return 'n/a';
  const text = Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 1 ? n.toFixed(2) : n.toPrecision(2);
  return unit === '' ? text : `${text} ${unit}`;
};

/** One line on the scrapes' cost to the server. */
export function scrapeCostLine(t: TelemetryReport): string {
  const c = t.cost;
  if (c.perScrapeCpuMs === null) return `cost to the server: not measured (${c.method})`;
  const share =
    c.sharePct === null
      ? ''
      : `: ${num(c.scrapeCpuSec, 's')} of its ${num(c.serverCpuSec, 's')} CPU during the scenario ` +
        `(${num(c.sharePct)}%)`;
  return `cost to the server: ${num(c.perScrapeCpuMs, 'ms')} CPU per scrape${share}`;
}

export function telemetryLines(s: ScenarioReport): string[] {
  const t = s.telemetry;
  if (t == null) return [];
  const sc = t.scrapes;
  const lines = [
    `Server metrics over time (${t.profile} profile, scraped every ${t.intervalSec} s: ${sc.attempted} scrapes, ` +
      `${sc.failed} failed` +
      `${sc.meanMs === null ? '' : `, ${num(sc.meanMs, 'ms')} each on average`}; charts in report.html):`,
  ];
  for (const x of t.series)
    lines.push(`  ${x.label}: highest ${num(x.max, x.unit)}, mean ${num(x.mean, x.unit)} (${x.samples} values)`);
  if (t.notExported.length > 0) lines.push(`  not exported by this server: ${t.notExported.join(', ')}`);
  if (sc.lastFailure !== null) lines.push(`  last failed scrape: ${sc.lastFailure}`);
  lines.push(`  ${scrapeCostLine(t)}`);
  return lines;
}

export function telemetryMarkdown(
  scenarios: readonly ScenarioReport[],
  label: (s: ScenarioReport) => string,
  cell: (t: string) => string,
): string[] {
  const followed = scenarios.filter((s) => s.telemetry != null);
  if (followed.length === 0) return [];
  const lines = [
    '### Server metrics over time',
    '',
    '| scenario | series | highest | mean | scrapes (failed) | scrapes’ share of the server’s CPU |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
  ];
  for (const s of followed) {
    const t = s.telemetry!;
    const scrapes = `${t.scrapes.attempted} (${t.scrapes.failed})`;
    const share = t.cost.sharePct === null ? 'n/a' : `${num(t.cost.sharePct)}%`;
    if (t.series.length === 0) lines.push(`| ${cell(label(s))} | none read | - | - | ${scrapes} | ${share} |`);
    for (const [i, x] of t.series.entries())
      lines.push(
        `| ${i === 0 ? cell(label(s)) : ''} | ${cell(x.label)} | ${num(x.max, x.unit)} | ${num(x.mean, x.unit)} | ` +
          `${i === 0 ? scrapes : ''} | ${i === 0 ? share : ''} |`,
      );
  }
  return lines;
}
