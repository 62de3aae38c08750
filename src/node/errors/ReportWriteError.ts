/**
 * The results could not all be written: the out-dir is full (ENOSPC), read-only (EROFS), not ours
 * (EACCES, EPERM) or gone (ENOENT). The report was already shown on the terminal; this names the
 * first file that failed and why, and lists what is on disk and what is not, so nobody trusts a
 * folder that lacks half its files. Exit 2.
 */
import { ToolkitError } from '../../core/errors/ToolkitError.js';
import { typed } from '../commands/spelling.js';

/** What an errno means for a person deciding what to do about it. */
export const WRITE_CAUSES: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOENT: 'the folder no longer exists (removed during the run?)',
  ENOTDIR: 'a part of the path is not a folder',
  EIO: 'an input/output error of the device',
};

export function describeCause(code: string | null): string {
  if (code === null) return 'an unknown error';
  return `${code}: ${WRITE_CAUSES[code] ?? 'see the system error'}`;
}

export interface FailedWrite {
  path: string;
  /** errno code, e.g. ENOSPC; null when the error had none. */
  code: string | null;
  message: string;
}

export class ReportWriteError extends ToolkitError {
  override readonly name = 'ReportWriteError';
  /** The first write that failed. */
  readonly path: string;
  /** Its errno code (ENOSPC, EROFS, EACCES, ENOENT, ...), null when it had none. */
  readonly code: string | null;
  readonly failures: FailedWrite[];
  readonly written: string[];
  readonly notWritten: string[];

  constructor(fields: {
    folder: string;
    failures: FailedWrite[];
    written: string[];
    notWritten: string[];
    shownAbove: boolean;
    rebuildable: boolean;
  }) {
    const first = fields.failures[0]!;
    const list = (files: string[]): string => (files.length === 0 ? 'none' : files.join(', '));
    const others = fields.failures.slice(1).filter((f) => f.code !== first.code);
    super(
      `could not write ${first.path} (${describeCause(first.code)})` +
        (others.length === 0 ? '' : `; also ${others.map((f) => `${f.path} (${describeCause(f.code)})`).join(', ')}`) +
        `\n  in ${fields.folder}` +
        `\n  written: ${list(fields.written)}` +
        `\n  not written: ${list(fields.notWritten)}` +
        (fields.shownAbove && first.code === 'ENOENT'
          ? '\n  the report above is complete: it was printed before the files were written' +
            '\n  what to do: keep the report above (the folder, and what k6 wrote into it, is gone); ' +
            'pass an --out-dir nothing else removes'
          : fields.shownAbove
            ? '\n  the report above is complete: it was printed before the files were written' +
              '\n  what k6 itself wrote (per-request samples, its log) is left as it is' +
              (fields.rebuildable
                ? '\n  what to do: make room (or make the folder writable again), ' +
                  `then \`${typed('report', fields.folder)}\` rebuilds the report files from what k6 left`
                : '\n  what to do: keep the output above; make room, or pick another --out-dir next time')
            : '\n  what to do: free space, or pick another --out-dir'),
    );
    this.path = first.path;
    this.code = first.code;
    this.failures = fields.failures;
    this.written = fields.written;
    this.notWritten = fields.notWritten;
  }
}
