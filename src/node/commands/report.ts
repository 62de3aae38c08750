/**
 * npm run report -- <run-dir>: rebuild report.txt, report.json, report.html, junit.xml and summary.md of a run
 * from what it left on disk (src/node/commands/rebuild.ts). The report is printed first, then written; the
 * exit code is the rebuilt report's (0, 1, 2, 130), or 2 when nothing could be rebuilt.
 */
import { EXIT } from '../../core/errors/exit-codes.js';
import { failWith } from './exit.js';
import { REPORT } from '../flags/commands.js';
import { parseFlags, usageText } from '../flags/declare.js';
import { log } from '../process/log.js';
import { shown } from '../files/paths.js';
import { rebuildReport } from './rebuild.js';
import { keepRunReport } from '../files/run-files.js';

export const REPORT_USAGE = usageText(REPORT);

export async function main(argv: readonly string[]): Promise<number> {
  try {
    const f = parseFlags(REPORT, argv);
    const help = f.has('--help');
    f.done();
    if (help) {
      process.stdout.write(`${REPORT_USAGE}\n`);
      return EXIT.passed;
    }
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
