/**
 * The base of every error this toolkit raises on purpose: a user's fault (bad input), a missing or
 * broken tool, a server that would not start. It carries the exit code the entry point returns
 * (src/node/commands/exit.ts), so no caller has to know which error means which code; anything that is not
 * a ToolkitError is a bug and is shown with its stack. Pure (no Node, no k6): k6-side and Node-side
 * code throw the same classes.
 */
import { EXIT, type ExitCode } from './exit-codes.js';

export abstract class ToolkitError extends Error {
  abstract override readonly name: string;
  readonly exitCode: ExitCode;

  constructor(message: string, exitCode: ExitCode = EXIT.error) {
    super(message);
    this.exitCode = exitCode;
  }
}
