/** The server this command started exited while it was being loaded. */
import { ToolkitError } from '../../core/errors/ToolkitError.js';

export class ServerExitedError extends ToolkitError {
  override readonly name = 'ServerExitedError';
  readonly during: string;
  readonly logFile: string;

  constructor(during: string, logFile: string) {
    super(`the server exited during ${during}; see ${logFile}`);
    this.during = during;
    this.logFile = logFile;
  }
}
