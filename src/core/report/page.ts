/**
 * report.html: one self-contained page — its data as a JSON blob, its script (src/browser, bundled
 * with uPlot by build/page.ts) and its style inline — so it opens without a network, and a run
 * folder copied elsewhere still opens. The same page shows a run, a sweep or a comparison of two
 * runs, told apart by the data's `kind`. Pure: the Node side bundles the script and writes the file
 * (src/node/files/report-page.ts), the browser side reads the blob (src/browser/main.ts).
 */
import type { Comparison } from '../commands/compare.js';
import type { Report, ResourcesReport, SweepReport, TimelineReport } from '../types.js';

/** The id of the script element holding the page's data. */
export const PAGE_DATA_ID = 'report-data';

/** Points of the server's memory and CPU the page gets at most (report.json keeps every sample). */
export const PAGE_RESOURCE_POINTS = 300;
/** Buckets of requests per second the page gets at most: a day's run is 86,400 seconds. */
export const PAGE_TIMELINE_BUCKETS = 600;

export type PageData =
  | { kind: 'run'; report: Report }
  | { kind: 'sweep'; sweep: SweepReport }
  | { kind: 'compare'; baseline: Report; current: Report; comparison: Comparison };

/**
 * The server's /proc samples (one every 250 ms: 14,400 an hour) grouped into at most `max` points:
 * each group's peak memory and mean CPU, so a short peak stays visible.
 */
export function boundResourceSeries(
  series: ResourcesReport['series'],
  max = PAGE_RESOURCE_POINTS,
): ResourcesReport['series'] {
  if (series.length <= max) return series;
  const out: ResourcesReport['series'] = [];
  for (let g = 0; g < max; g++) {
    const group = series.slice(Math.floor((g * series.length) / max), Math.floor(((g + 1) * series.length) / max));
    const cpu = group.filter((s) => s.cpuPctOfOneCore !== null).map((s) => s.cpuPctOfOneCore!);
    out.push({
      tSec: group.reduce((a, s) => a + s.tSec, 0) / group.length,
      rssMb: Math.max(...group.map((s) => s.rssMb)),
      cpuPctOfOneCore: cpu.length === 0 ? null : cpu.reduce((a, b) => a + b, 0) / cpu.length,
    });
  }
  return out;
}

/** A report as the page gets it: every series bounded, whatever the run's length. */
export function pageReport(report: Report): Report {
  return {
    ...report,
    scenarios: report.scenarios.map((s) => ({
      ...s,
      ...(s.resources == null
        ? {}
        : { resources: { ...s.resources, series: boundResourceSeries(s.resources.series) } }),
      ...(s.timeline == null ? {} : { timeline: boundTimeline(s.timeline) }),
    })),
  };
}

/**
 * Requests and failures per second merged into buckets of whole seconds, at most `max` of them
 * (bucketSec says how wide); the outages are kept as they are.
 */
export function boundTimeline(t: TimelineReport, max = PAGE_TIMELINE_BUCKETS): TimelineReport {
  if (t.seconds.length <= max) return t;
  const width = Math.ceil(t.seconds.length / max) * t.bucketSec;
  const first = t.seconds[0]!.tSec;
  const buckets = new Map<number, TimelineReport['seconds'][number]>();
  for (const s of t.seconds) {
    const at = first + Math.floor((s.tSec - first) / width) * width;
    const b = buckets.get(at) ?? { tSec: at, requests: 0, failures: 0 };
    b.requests += s.requests;
    b.failures += s.failures;
    buckets.set(at, b);
  }
  return { ...t, bucketSec: width, seconds: [...buckets.values()] };
}

/** JSON inside <script>: a `<` written as \u003c cannot end the element or open a comment. */
export function embedJson(data: unknown): string {
  return JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function reportPage(o: { title: string; data: PageData; script: string; style: string }): string {
  // Inline code must not hold the sequence that ends its element.
  const script = o.script.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
  const style = o.style.replace(/<\/(style)/gi, '<\\/$1');
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(o.title)}</title>`,
    `<style>${style}</style>`,
    '</head>',
    '<body>',
    '<noscript>This report draws itself with JavaScript; report.txt and report.json beside it hold the same ' +
      'figures.</noscript>',
    '<main id="app"></main>',
    `<script type="application/json" id="${PAGE_DATA_ID}">${embedJson(o.data)}</script>`,
    `<script>${script}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
