/** Nothing healthy answered at the server's /health within the deadline. */
import { ToolkitError } from '../../core/errors/ToolkitError.js';
export class ServerNotReadyError extends ToolkitError {
  override readonly name = 'ServerNotReadyError';
  readonly url: string;
  readonly deadlineSec: number;
  readonly lastProblem: string;

  constructor(fields: { url: string; deadlineSec: number; lastProblem: string; hint: string }) {
    super(
      `no healthy answer from ${fields.url} within ${fields.deadlineSec}s (last: ${fields.lastProblem})\n` +
        `  what to do: ${fields.hint}`,
    );
    this.url = fields.url;
    this.deadlineSec = fields.deadlineSec;
    this.lastProblem = fields.lastProblem;
  }
}
