/**
 * The load generator's own cost (k6 and its browser) in the text report and the Markdown summary;
 * when it was short of CPU the warning itself is among the scenario's notes (src/core/summary/convert.ts).
 * Its own module so that render.ts and markdown.ts each take one line to show it.
 */
import type { ScenarioReport } from '../types.js';

const f = (n: number | null | undefined, d = 1): string => (n == null ? 'n/a' : n.toFixed(d));

export function generatorLines(s: ScenarioReport): string[] {
  const g = s.generator;
  if (g == null) return [];
  const b = g.browser;
  const browser =
    b === null ? '' : `; browser (${b.processes} processes) ${f(b.cpuSec, 2)} s CPU, peak ${f(b.peakMemMb)} MB`;
  return [
    `Load generator (k6${b === null ? '' : ' and its browser'}, ` +
      `${g.samples} samples of /proc over ${f(g.runSec, 2)} s):`,
    `  k6 ${f(g.k6.cpuSec, 2)} s CPU, peak ${f(g.k6.peakMemMb)} MB${browser}`,
    g.loadSec === null
      ? '  during the load: too short to sample'
      : `  during the load (${f(g.loadSec, 2)} s): ${f(g.loadCpuPctOfOneCore)}% of one core; ` +
        `waiting for a CPU ${f(g.runQueueWaitPct)}%; machine ${f(g.machineBusyPct)}% busy`,
    ...(g.shortOfCpu ? ['  SHORT OF CPU: see the warning in the notes'] : []),
  ];
}

export function generatorMarkdown(
  scenarios: readonly ScenarioReport[],
  label: (s: ScenarioReport) => string,
  cell: (t: string) => string,
): string[] {
  const measured = scenarios.filter((s) => s.generator != null);
  if (measured.length === 0) return [];
  const lines = [
    '### Load generator',
    '',
    '| scenario | k6 CPU s | k6 peak MB | browser CPU s | browser peak MB | % of a core during the load ' +
      '| waiting for CPU | machine busy | short of CPU |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const s of measured) {
    const g = s.generator!;
    const b = g.browser;
    lines.push(
      `| ${cell(label(s))} | ${f(g.k6.cpuSec, 2)} | ${f(g.k6.peakMemMb)} ` +
        `| ${b === null ? '-' : f(b.cpuSec, 2)} | ${b === null ? '-' : f(b.peakMemMb)} ` +
        `| ${f(g.loadCpuPctOfOneCore)}% | ${f(g.runQueueWaitPct)}% | ${f(g.machineBusyPct)}% ` +
        `| ${g.shortOfCpu ? '**yes**' : 'no'} |`,
    );
  }
  return lines;
}
