/**
 * npm run report -- <run-dir>: rebuild report.txt, report.json, report.html, junit.xml and summary.md of
 * a run from what it left on disk (src/node/commands/rebuild.ts). npm run report -- --merge DIR...: one
 * report of a split run from its runners' folders (src/node/merge/merge-report.ts), written into a
 * new folder under --out-dir. The report is printed first, then written; the exit code is the
 * report's (0, 1, 2, 130), or 2 when nothing could be rebuilt or merged.
 */
import path from 'node:path';
import { EXIT } from '../../core/errors/exit-codes.js';
import { failWith } from './exit.js';
import { REPORT } from '../flags/commands-side.js';
import { parseFlags, usageText } from '../flags/declare.js';
import { invalid } from '../flags/values.js';
import { log } from '../process/log.js';
import { shown } from '../files/paths.js';
import { rebuildReport } from './rebuild.js';
import { keepRunReport } from '../files/run-files.js';
import { createRunDir } from '../files/report-files.js';
import { mergedReport } from '../merge/merge-report.js';

export const REPORT_USAGE = usageText(REPORT);

async function merge(paths: readonly string[], outDir: string): Promise<number> {
  let dir = '';
  const { report, text } = await mergedReport(paths, async (scenario) => {
    const made = await createRunDir(outDir, `${scenario}-merged`);
    dir = made.dir;
    return made.runId;
  });
  process.stdout.write(text);
  await keepRunReport({ dir, outDir, report, text, shownAbove: true, writeDashboard: false });
  log.info(
    `merged report${report.rebuilt?.partial ? ' (partial)' : ''}: ${shown(dir)}/report.txt, report.json, ` +
      `junit.xml, summary.md`,
  );
  return report.exitCode;
}

export async function main(argv: readonly string[], cwd = process.cwd()): Promise<number> {
  try {
    const f = parseFlags(REPORT, argv);
    const help = f.has('--help');
    const merging = f.has('--merge');
    const outDir = f.text('--out-dir');
    f.done();
    if (help) {
      process.stdout.write(`${REPORT_USAGE}\n`);
      return EXIT.passed;
    }
    if (merging) return await merge(f.positionals, path.resolve(cwd, outDir ?? 'reports'));
    if (outDir !== undefined)
      invalid('--out-dir', '--merge beside it (a rebuilt report goes back into its run folder)', outDir);
    if (f.positionals.length > 1)
      invalid('arguments', "one run folder (several runners' folders need --merge)", f.positionals.join(' '));
    const dir = f.positionals[0]!;
    const { report, text } = await rebuildReport(dir);
    process.stdout.write(text);
    // The dashboard, if any, is k6's own file, left as the run wrote it.
    await keepRunReport({ dir, outDir: null, report, text, shownAbove: true, writeDashboard: false });
    log.info(
      `report rebuilt${report.rebuilt?.partial ? ' (partial)' : ''}: ` +
        `${shown(dir)}/report.txt, report.json, report.html, junit.xml, summary.md`,
    );
    return report.exitCode;
  } catch (err) {
    return failWith(err);
  }
}
