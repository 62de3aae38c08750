/**
 * A sweep's folder, written the way every run's is (src/node/files/keep-files.ts: each file on its
 * own, a failing disk costing files, never the result): sweep.json, sweep.md, report.html, the
 * sweep's own charts, and <out-dir>/latest.
 */
import path from 'node:path';
import type { SweepReport } from '../../core/types.js';
import { keepFiles } from '../files/keep-files.js';
import { linkLatest, writeAtomic } from '../files/report-files.js';
import { REPORT_PAGE, writeReportPage } from '../files/report-page.js';

export async function keepSweepFiles(o: {
  dir: string;
  outDir: string;
  runId: string;
  report: SweepReport;
  text: string;
  /** File name → SVG text. */
  charts: Record<string, string>;
}): Promise<void> {
  const at = (name: string): string => path.join(o.dir, name);
  await keepFiles(
    o.dir,
    [
      { file: at('sweep.json'), write: () => writeAtomic(at('sweep.json'), `${JSON.stringify(o.report, null, 2)}\n`) },
      { file: at('sweep.md'), write: () => writeAtomic(at('sweep.md'), o.text) },
      {
        file: at(REPORT_PAGE),
        write: () => writeReportPage(at(REPORT_PAGE), `realizar-k6 · ${o.runId}`, { kind: 'sweep', sweep: o.report }),
      },
      ...Object.entries(o.charts).map(([name, svg]) => ({ file: at(name), write: () => writeAtomic(at(name), svg) })),
      { file: path.join(o.outDir, 'latest'), label: '<out-dir>/latest', write: () => linkLatest(o.outDir, o.runId) },
    ],
    { shownAbove: true },
  );
}
