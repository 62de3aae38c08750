/** The accuracy record's Markdown table: client minus server at each concurrency, and the goals. */
import type { AccuracyOptions, AccuracyRun } from '../stream-accuracy.js';

const median = (xs: number[]): number | null => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** The goals at 32 concurrent streams: client minus server, ms. */
export const GOALS = { ttftP50: 5, ttftP95: 10, itlP50: 2, e2eP50: 5 };

const COLUMNS = [
  'streams',
  'complete / sent (per round)',
  'true TTFT p50',
  'TTFT p50 late',
  'TTFT p95 late',
  'TTFT p99 late',
  'ITL p50 late',
  'ITL p95 late',
  'e2e p50 late',
  'e2e p95 late',
  'browser send wait p50 / p95',
  'k6+browser CPU, % of a core (per stream)',
  'reader CPU per chunk, ms (k6 + browser)',
  'k6+browser memory MB (per stream)',
  'generator waiting for CPU % / machine busy %',
  'goals met',
];

/** One row per concurrency: medians over rounds. */
export function accuracyTable(runs: readonly AccuracyRun[], o: AccuracyOptions): string {
  const levels = [...new Set(runs.map((r) => r.concurrency))];
  const f = (n: number | null, d = 2): string => (n === null ? 'n/a' : n.toFixed(d));
  const med = (rs: AccuracyRun[], pick: (r: AccuracyRun) => number | null | undefined): number | null =>
    median(rs.map(pick).filter((x): x is number => typeof x === 'number'));
  const rows = levels.map((n) => {
    const rs = runs.filter((r) => r.concurrency === n);
    const counts = rs
      .map(
        (r) =>
          `${r.client.ok}/${r.requests}${r.server.completed === r.client.ok ? '' : ` (server ${r.server.completed})`}`,
      )
      .join(', ');
    const ttft50 = med(rs, (r) => r.late.ttft?.p50);
    const ttft95 = med(rs, (r) => r.late.ttft?.p95);
    const itl50 = med(rs, (r) => r.late.itl?.p50);
    const e2e50 = med(rs, (r) => r.late.e2e?.p50);
    const met =
      ttft50 !== null &&
      ttft95 !== null &&
      itl50 !== null &&
      e2e50 !== null &&
      ttft50 <= GOALS.ttftP50 &&
      ttft95 <= GOALS.ttftP95 &&
      itl50 <= GOALS.itlP50 &&
      e2e50 <= GOALS.e2eP50;
    const cpu = med(rs, (r) => r.generator?.loadCpuPctOfOneCore);
    const mem = med(rs, (r) =>
      r.generator === null ? null : r.generator.k6.peakMemMb + (r.generator.browser?.peakMemMb ?? 0),
    );
    const cells = [
      String(n),
      counts,
      f(med(rs, (r) => r.server.ttft?.p50)),
      f(ttft50),
      f(ttft95),
      f(med(rs, (r) => r.late.ttft?.p99)),
      f(itl50),
      f(med(rs, (r) => r.late.itl?.p95)),
      f(e2e50),
      f(med(rs, (r) => r.late.e2e?.p95)),
      `${f(
        med(rs, (r) => r.client.sendWait?.p50),
        1,
      )} / ${f(
        med(rs, (r) => r.client.sendWait?.p95),
        1,
      )}`,
      `${f(cpu, 0)} (${f(cpu === null ? null : cpu / n, 2)})`,
      f(
        med(rs, (r) => r.perChunk?.cpuMs),
        3,
      ),
      `${f(mem, 0)} (${f(mem === null ? null : mem / n, 1)})`,
      `${f(
        med(rs, (r) => r.generator?.runQueueWaitPct),
        0,
      )} / ${f(
        med(rs, (r) => r.generator?.machineBusyPct),
        0,
      )}`,
      met ? 'yes' : 'no',
    ];
    return `| ${cells.join(' | ')} |`;
  });
  return [
    `Truth server: first token ${o.firstTokenMs} ms after each request arrives, then a token every ${o.gapMs} ms, ` +
      `${o.tokens} tokens (${o.api} API); ${o.perClient} requests per concurrent stream; ` +
      `median of ${o.rounds} round(s). Late = the client's percentile minus the server's, in ms. ` +
      `Goals: TTFT p50 ≤ ${GOALS.ttftP50}, p95 ≤ ${GOALS.ttftP95}, ` +
      `ITL p50 ≤ ${GOALS.itlP50}, e2e p50 ≤ ${GOALS.e2eP50}. ` +
      "Browser send wait: from the page's fetch() to the browser writing the request " +
      '(not part of any figure: streams are timed from the write). ' +
      'CPU over the measured window; per chunk: that CPU over the events the server wrote; ' +
      'memory is the peak (PSS).',
    '',
    `| ${COLUMNS.join(' | ')} |`,
    '| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows,
  ].join('\n');
}
