/** Ctrl-C or SIGTERM arrived while the entry point was waiting for something (a server to come up). */
import { EXIT } from '../../core/errors/exit-codes.js';
import { ToolkitError } from '../../core/errors/ToolkitError.js';

export class InterruptedError extends ToolkitError {
  override readonly name = 'InterruptedError';
  /** What was being waited for. */
  readonly during: string;

  constructor(during: string) {
    super(`interrupted while ${during}`, EXIT.interrupted);
    this.during = during;
  }
}
