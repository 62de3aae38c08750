/**
 * `k6 cloud upload` / `k6 cloud run` failed: the cloud API refused a request (HTTP status known),
 * could not be reached, or the cloud test run failed. Carries what k6 reported (with any secret
 * already redacted) and what to check; it never holds the token.
 */
import { ToolkitError } from '../../core/errors/ToolkitError.js';
export class CloudError extends ToolkitError {
  override readonly name = 'CloudError';
  /** e.g. 'k6 cloud upload'. */
  readonly operation: string;
  /** HTTP status the cloud API answered, when k6 reported one. */
  readonly httpStatus: number | null;
  /** API path that answered it, when k6 named it (e.g. /v1/archive-upload). */
  readonly endpoint: string | null;
  /** k6's own error line(s), redacted. */
  readonly k6Message: string | null;
  readonly k6ExitCode: number | null;
  readonly hint: string;
  readonly logFile: string | null;

  constructor(fields: {
    operation: string;
    problem: string;
    httpStatus: number | null;
    endpoint: string | null;
    k6Message: string | null;
    k6ExitCode: number | null;
    hint: string;
    logFile: string | null;
  }) {
    const said = fields.k6Message === null ? '' : `\n  k6 said: ${fields.k6Message}`;
    const code = fields.k6ExitCode === null ? '' : `\n  k6 exit code: ${fields.k6ExitCode}`;
    const log = fields.logFile === null ? '' : `\n  log: ${fields.logFile}`;
    super(`${fields.operation} failed: ${fields.problem}${said}${code}${log}\n  what to check: ${fields.hint}`);
    this.operation = fields.operation;
    this.httpStatus = fields.httpStatus;
    this.endpoint = fields.endpoint;
    this.k6Message = fields.k6Message;
    this.k6ExitCode = fields.k6ExitCode;
    this.hint = fields.hint;
    this.logFile = fields.logFile;
  }
}
