/** The server command did not give a healthy server: it failed to start or exited before /health answered. */
import { ToolkitError } from '../../core/errors/ToolkitError.js';
export class ServerStartError extends ToolkitError {
  override readonly name = 'ServerStartError';
  readonly command: string;
  readonly serverExitCode: number | null;
  readonly signal: string | null;
  readonly logFile: string;

  constructor(fields: {
    command: string;
    serverExitCode: number | null;
    signal: string | null;
    logFile: string;
    logTail: string;
  }) {
    const how =
      fields.serverExitCode !== null ? `exit code ${fields.serverExitCode}` : `signal ${fields.signal ?? 'unknown'}`;
    const tail =
      fields.logTail.trim() === ''
        ? '  (it printed nothing)'
        : fields.logTail
            .trimEnd()
            .split('\n')
            .map((l) => `    ${l}`)
            .join('\n');
    super(
      `the server command exited before it became healthy (${how})\n` +
        `  command: ${fields.command}\n  log: ${fields.logFile}\n  last output:\n${tail}`,
    );
    this.command = fields.command;
    this.serverExitCode = fields.serverExitCode;
    this.signal = fields.signal;
    this.logFile = fields.logFile;
  }
}
