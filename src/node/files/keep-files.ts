/**
 * Writing a run's results so that a failing disk costs files, never the results: each file is
 * written on its own (one that does not fit does not stop a smaller one after it), a failed write
 * leaves no temporary file behind, and the outcome — what is on disk, what is not and why — is one
 * ReportWriteError (exit 2) naming the path and the cause. Failures of writes made during the run
 * (logs, plots) are recorded here too, so the final error lists them.
 */
import { createWriteStream, existsSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import { ReportWriteError, type FailedWrite } from '../errors/ReportWriteError.js';
import { shown } from './paths.js';

const earlier: (FailedWrite & { file: string })[] = [];

export function errnoOf(err: unknown): string | null {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : null;
}

/** Say once that a file could not be written during the run; the final error lists it. */
export function recordWriteFailure(file: string, err: unknown): void {
  if (earlier.some((f) => f.path === shown(file))) return;
  earlier.push({ file, path: shown(file), code: errnoOf(err), message: (err as Error)?.message ?? String(err) });
}

/**
 * The run's failed writes (taken: the next run starts clean), as the final error names them: a log that
 * took some writes before the disk failed is on disk, cut short, and kept so (what it holds was measured).
 */
function takeDuring(folder: string): { failures: FailedWrite[]; names: string[] } {
  const during = earlier.splice(0);
  return {
    failures: during.map(({ file: _, ...f }) => f),
    names: during.map((f) => {
      const name = path.relative(shown(folder), f.path) || f.path;
      return existsSync(f.file) ? `${name} (cut short)` : name;
    }),
  };
}

export interface FileToKeep {
  /** Path of the file (or link) inside the folder. */
  file: string;
  write: () => Promise<unknown>;
  /** How to name it in messages, when not its path inside the folder (e.g. <out-dir>/latest). */
  label?: string;
}

/**
 * Write every file, in order; then, if anything failed now or during the run, throw one
 * ReportWriteError saying what was and was not written. Returns the files written.
 */
export async function keepFiles(
  folder: string,
  files: readonly FileToKeep[],
  opts: { shownAbove: boolean; rebuildable?: boolean },
): Promise<string[]> {
  const written: string[] = [];
  const notWritten: string[] = [];
  const failures: FailedWrite[] = [];
  for (const f of files) {
    try {
      await f.write();
      written.push(f.label ?? path.relative(folder, f.file));
    } catch (err) {
      failures.push({ path: shown(f.file), code: errnoOf(err), message: (err as Error).message });
      notWritten.push(f.label ?? path.relative(folder, f.file));
    }
  }
  const during = takeDuring(folder);
  if (failures.length + during.failures.length > 0) {
    throw new ReportWriteError({
      folder: shown(folder),
      failures: [...failures, ...during.failures],
      written,
      notWritten: [...notWritten, ...during.names],
      shownAbove: opts.shownAbove,
      rebuildable: opts.rebuildable ?? false,
    });
  }
  return written;
}

/**
 * A log file that a failing disk cannot crash the run with: a write error is recorded (and listed
 * in the final error) instead of being thrown from an event, and the output still reaches the terminal.
 */
export function openLog(file: string, flags = 'w'): WriteStream {
  const stream = createWriteStream(file, { flags });
  stream.on('error', (err) => recordWriteFailure(file, err));
  return stream;
}

/** End a log opened with openLog; resolves whatever state the stream is in. */
export function endLog(stream: WriteStream): Promise<void> {
  return new Promise<void>((resolve) => {
    if (stream.destroyed || stream.writableFinished) return resolve();
    stream.once('close', () => resolve());
    stream.once('error', () => resolve());
    stream.end(() => resolve());
  });
}
