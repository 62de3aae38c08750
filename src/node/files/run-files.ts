/**
 * The files of a run folder that the runner itself writes: run.json when the run starts (what it
 * was asked, so that `npm run report` can rebuild a report the run never wrote), and at the end the
 * report in every form — report.json, report.txt, summary.md, junit.xml, report.html (one page with
 * the charts, src/core/report/page.ts), dashboard.html — then the
 * <out-dir>/latest link. The report has been printed before this runs; each file is written on its
 * own, and a failing disk ends in one ReportWriteError listing what is and is not on disk.
 */
import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import { renderJUnit } from '../../core/report/junit.js';
import { renderMarkdown } from '../../core/report/markdown.js';
import type { Report, RunContext, ScenarioReport } from '../../core/types.js';
import { assertValid } from '../../core/errors/schema-errors.js';
import { validateReport, validateRunContext } from '../../generated/file-validators.cjs';
import { pageReport } from '../../core/report/page.js';
import { keepFiles, type FileToKeep } from './keep-files.js';
import { REPORT_PAGE, writeReportPage } from './report-page.js';
import { linkLatest, writeAtomic } from './report-files.js';

export const RUN_CONTEXT_FILE = 'run.json';

export async function writeRunContext(dir: string, context: RunContext): Promise<void> {
  assertValid(validateRunContext, context, `run ${context.runId} (schemas/run.schema.json)`);
  await keepFiles(
    dir,
    [
      {
        file: path.join(dir, RUN_CONTEXT_FILE),
        write: () => writeAtomic(path.join(dir, RUN_CONTEXT_FILE), `${JSON.stringify(context, null, 2)}\n`),
      },
    ],
    { shownAbove: false },
  );
}

/** The run's dashboard.html, if it will have one: a scenario's own, or an index of several. */
export function plannedDashboard(scenarios: readonly ScenarioReport[]): string | null {
  return scenarios.some((s) => typeof s.files.dashboard === 'string') ? 'dashboard.html' : null;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function writeRunDashboard(dir: string, scenarios: readonly ScenarioReport[]): Promise<void> {
  const boards = scenarios.filter((s) => typeof s.files.dashboard === 'string');
  const target = path.join(dir, 'dashboard.html');
  if (boards.length === 1) {
    await copyFile(path.join(dir, boards[0]!.files.dashboard!), target);
    return;
  }
  const items = boards
    .map((s) => {
      const label = `${s.name}${s.repeat === undefined ? '' : ` (run ${s.repeat})`}`;
      const link = `<a href="${encodeURI(s.files.dashboard!)}">${escapeHtml(label)}</a>`;
      return `<li>${link} — ${escapeHtml(s.description)}</li>`;
    })
    .join('\n');
  await writeAtomic(
    target,
    '<!doctype html><html><head><meta charset="utf-8"><title>k6 dashboards</title></head>' +
      `<body><h1>k6 dashboards of this run</h1><ul>\n${items}\n</ul></body></html>\n`,
  );
}

/**
 * Write the report's files, smallest and most needed first, then point <outDir>/latest at the run
 * (outDir null: leave the link alone, as a rebuild does). Throws ReportWriteError if any failed.
 */
export async function keepRunReport(o: {
  dir: string;
  outDir: string | null;
  report: Report;
  text: string;
  shownAbove: boolean;
  writeDashboard?: boolean;
}): Promise<string[]> {
  const { dir, report } = o;
  assertValid(validateReport, report, `report ${report.runId} (schemas/report.schema.json)`);
  const at = (name: string): string => path.join(dir, name);
  const files: FileToKeep[] = [
    { file: at('report.json'), write: () => writeAtomic(at('report.json'), `${JSON.stringify(report, null, 2)}\n`) },
    { file: at('report.txt'), write: () => writeAtomic(at('report.txt'), o.text) },
    { file: at('summary.md'), write: () => writeAtomic(at('summary.md'), renderMarkdown(report)) },
    { file: at('junit.xml'), write: () => writeAtomic(at('junit.xml'), renderJUnit(report)) },
    {
      file: at(REPORT_PAGE),
      write: () =>
        writeReportPage(at(REPORT_PAGE), `realizar-k6 · ${report.runId}`, { kind: 'run', report: pageReport(report) }),
    },
  ];
  if (report.dashboard === 'dashboard.html' && o.writeDashboard !== false)
    files.push({ file: at('dashboard.html'), write: () => writeRunDashboard(dir, report.scenarios) });
  if (o.outDir !== null) {
    const outDir = o.outDir;
    files.push({
      file: path.join(outDir, 'latest'),
      label: '<out-dir>/latest',
      write: () => linkLatest(outDir, report.runId),
    });
  }
  return keepFiles(dir, files, { shownAbove: o.shownAbove, rebuildable: true });
}
