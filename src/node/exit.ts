/**
 * How an entry point (run, cloud, operator) turns an error into what the user sees and an exit
 * code: errors of this toolkit carry their exit code (2 for setup and infrastructure); anything
 * else is a bug, shown with its stack, and exits 2 too. And how it is interrupted.
 */
import { ValidationError } from '../core/errors/ValidationError.js';
import { EXIT } from '../core/outcome.js';
import { log } from './log.js';
import { killAllNow } from './processes.js';

export function exitCodeOf(err: unknown): number {
  const code = (err as { exitCode?: unknown }).exitCode;
  return typeof code === 'number' ? code : EXIT.error;
}

export function describeError(err: unknown): string {
  if (err instanceof ValidationError) return `invalid input: ${err.message}`;
  if (err instanceof Error) return err.name === 'Error' ? (err.stack ?? err.message) : err.message;
  return String(err);
}

/** What an entry point does with an error that ended it: say it, and give the exit code. */
export function failWith(err: unknown, interrupted = false): number {
  log.info(`error: ${describeError(err)}`);
  return interrupted ? EXIT.interrupted : exitCodeOf(err);
}

/**
 * Ctrl-C / SIGTERM for an entry point: the first signal calls `first` (stop k6 gracefully, say);
 * a second one kills every child at once and exits 130. Whatever happens, children are killed when
 * the process exits. Returns the function that removes the signal handlers.
 */
export function onInterrupt(first: (signal: NodeJS.Signals) => void): () => void {
  let interrupted = false;
  const handler = (signal: NodeJS.Signals): void => {
    if (interrupted) {
      log.warn(`${signal} again: killing every child process now`);
      killAllNow();
      process.exit(EXIT.interrupted);
    }
    interrupted = true;
    first(signal);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  process.on('exit', killAllNow);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
