/**
 * k6 ended without the summary a step or scenario needs: its figures are at best partial (rebuilt
 * from its per-request samples), at worst nothing of that run can be judged.
 */
import { describeK6Exit } from '../../core/errors/exit-codes.js';
import { ToolkitError } from '../../core/errors/ToolkitError.js';

export class K6RunError extends ToolkitError {
  override readonly name = 'K6RunError';
  /** What k6 was running, e.g. 'the 40 req/s step'. */
  readonly what: string;
  readonly k6ExitCode: number | null;
  readonly signal: string | null;
  readonly logFile: string;

  constructor(fields: { what: string; k6ExitCode: number | null; signal: string | null; logFile: string }) {
    super(
      `k6 wrote no summary for ${fields.what} ` +
        `(k6 exited with ${describeK6Exit(fields.k6ExitCode, fields.signal)}); see ${fields.logFile}`,
    );
    this.what = fields.what;
    this.k6ExitCode = fields.k6ExitCode;
    this.signal = fields.signal;
    this.logFile = fields.logFile;
  }
}
