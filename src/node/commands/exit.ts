/**
 * How an entry point (run, cloud, operator) turns an error into what the user sees and an exit
 * code: errors of this toolkit carry their exit code (2 for setup and infrastructure); anything
 * else is a bug, shown with its stack, and exits 2 too. And how it is interrupted.
 */
import { ToolkitError } from '../../core/errors/ToolkitError.js';
import { ValidationError } from '../../core/errors/ValidationError.js';
import { EXIT } from '../../core/errors/exit-codes.js';
import { log } from '../process/log.js';
import { killAllNow, liveChildren } from '../process/processes.js';

export function exitCodeOf(err: unknown): number {
  return err instanceof ToolkitError ? err.exitCode : EXIT.error;
}

export function describeError(err: unknown): string {
  if (err instanceof ValidationError) return `invalid input: ${err.message}`;
  // Our own errors say what went wrong and what to do; anything else is a bug: show where.
  if (err instanceof ToolkitError) return err.message;
  if (err instanceof Error) return err.stack ?? err.message;
  return String(err);
}

/** What an entry point does with an error that ended it: say it, and give the exit code. */
export function failWith(err: unknown, interrupted = false): number {
  log.info(`error: ${describeError(err)}`);
  return interrupted ? EXIT.interrupted : exitCodeOf(err);
}

/**
 * How long children get to stop after a first Ctrl-C or SIGTERM: k6 finishing its summary, `k6
 * cloud` asking the cloud to stop its test run, the server closing. Then they are killed, and the
 * entry point writes what it has.
 */
export const INTERRUPT_GRACE_SEC = 15;
/** After the children were killed, how long the entry point may still take to write its results. */
export const INTERRUPT_FINISH_SEC = 10;

/**
 * Ctrl-C / SIGTERM for an entry point: the first signal calls `first` (stop k6 gracefully, say) and
 * gives the children INTERRUPT_GRACE_SEC to stop before they are killed; a second signal kills every
 * child at once and exits 130. Whatever happens, children are killed when the process exits (and by
 * the lifeline, src/node/process/lifeline.ts, when it dies). Returns the function that removes the handlers.
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
    log.warn(
      `waiting up to ${INTERRUPT_GRACE_SEC} s for child processes to stop; a second Ctrl-C or SIGTERM stops them now`,
    );
    setTimeout(() => {
      const left = liveChildren();
      if (left.length > 0) {
        log.warn(
          `${left.map((c) => c.name).join(', ')} still running ${INTERRUPT_GRACE_SEC} s after ${signal}: ` +
            `killing ${left.length === 1 ? 'it' : 'them'}`,
        );
        killAllNow();
      }
      setTimeout(() => {
        log.warn(`still not finished ${INTERRUPT_FINISH_SEC} s after its children were stopped: exiting now`);
        process.exit(EXIT.interrupted);
      }, INTERRUPT_FINISH_SEC * 1000).unref();
    }, INTERRUPT_GRACE_SEC * 1000).unref();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  process.on('exit', killAllNow);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}

/**
 * The one way an entry point ends: `main` returns its exit code, or throws; either way the code is
 * set for the process (never process.exit, so output is flushed and exit handlers run).
 */
export async function runMain(main: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await main();
  } catch (err) {
    process.exitCode = failWith(err);
  }
}
