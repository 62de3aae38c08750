/**
 * `k6 archive` (or `k6 inspect` of the result) failed on a bundled scenario, before anything was
 * uploaded or deployed.
 */
import { ToolkitError } from '../../core/errors/ToolkitError.js';
export class ArchiveError extends ToolkitError {
  override readonly name = 'ArchiveError';
  readonly operation: string;
  readonly script: string;
  readonly command: string;
  readonly k6ExitCode: number | null;
  readonly logFile: string;

  constructor(fields: {
    operation: 'k6 archive' | 'k6 inspect';
    script: string;
    command: string;
    k6ExitCode: number | null;
    signal: string | null;
    logFile: string;
    outputTail: string;
  }) {
    const how = fields.k6ExitCode !== null ? `exit code ${fields.k6ExitCode}` : `signal ${fields.signal ?? 'unknown'}`;
    const tail =
      fields.outputTail.trim() === ''
        ? '    (it printed nothing)'
        : fields.outputTail
            .trimEnd()
            .split('\n')
            .slice(-15)
            .map((l) => `    ${l}`)
            .join('\n');
    super(
      `${fields.operation} failed for ${fields.script} (${how}), so there is nothing to upload or deploy\n` +
        `  command: ${fields.command}\n  log: ${fields.logFile}\n  last output:\n${tail}\n` +
        '  what to do: run the bundled script locally first (npm run k6:<scenario>) to see the script error; ' +
        'check that --k6 points at k6 v1+',
    );
    this.operation = fields.operation;
    this.script = fields.script;
    this.command = fields.command;
    this.k6ExitCode = fields.k6ExitCode;
    this.logFile = fields.logFile;
  }
}
