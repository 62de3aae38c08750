/**
 * A run's folder, reports/<run-id>/, and the reports/latest link. Files are written atomically
 * (temporary file, then rename): a crash while writing never leaves a truncated report where a good
 * one was. A run folder is never reused.
 */
import { mkdir, rename, symlink, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ReportWriteError } from '../errors/ReportWriteError.js';
import { errnoOf } from './keep-files.js';
import { shown } from './paths.js';

export async function writeAtomic(file: string, content: string): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    await writeFile(tmp, content);
    await rename(tmp, file);
  } catch (err) {
    // A full disk leaves a truncated temporary file: remove it, it frees what it took.
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}

function stamp(d: Date): string {
  return d
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/:/g, '-');
}

/**
 * Create reports/<timestamp>-<label>[-n]; never an existing folder. An out-dir that cannot take it
 * (full, read-only, not ours) is a ReportWriteError naming the folder and the cause, before any load.
 */
export async function createRunDir(
  outDir: string,
  label: string,
  now = new Date(),
): Promise<{ runId: string; dir: string }> {
  const base = `${stamp(now)}-${label}`;
  for (let n = 1; ; n++) {
    const runId = n === 1 ? base : `${base}-${n}`;
    const dir = path.join(outDir, runId);
    try {
      await mkdir(outDir, { recursive: true });
      await mkdir(dir);
      return { runId, dir };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw new ReportWriteError({
        folder: shown(outDir),
        failures: [{ path: shown(dir), code: errnoOf(err), message: (err as Error).message }],
        written: [],
        notWritten: [runId],
        shownAbove: false,
        rebuildable: false,
      });
    }
  }
}

/** Point <outDir>/latest at the run folder (a relative symlink, replaced atomically). */
export async function linkLatest(outDir: string, runId: string): Promise<void> {
  const link = path.join(outDir, 'latest');
  const tmp = path.join(outDir, `.latest.${process.pid}.tmp`);
  await unlink(tmp).catch(() => undefined);
  await symlink(runId, tmp);
  await rename(tmp, link);
}
