/**
 * How an entry point (run, cloud, operator) turns an error into what the user sees and an exit
 * code: errors of this toolkit carry their exit code (2 for setup and infrastructure); anything
 * else is a bug, shown with its stack, and exits 2 too.
 */
import { ValidationError } from '../core/errors/ValidationError.js';
import { EXIT } from '../core/outcome.js';

export function exitCodeOf(err: unknown): number {
  const code = (err as { exitCode?: unknown }).exitCode;
  return typeof code === 'number' ? code : EXIT.error;
}

export function describeError(err: unknown): string {
  if (err instanceof ValidationError) return `invalid input: ${err.message}`;
  if (err instanceof Error) return err.name === 'Error' ? (err.stack ?? err.message) : err.message;
  return String(err);
}
