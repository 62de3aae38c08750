/**
 * The runner's own messages go to stderr, so stdout carries only the report. Nothing here ever
 * prints environment values: tokens (K6_CLOUD_TOKEN, API keys) live in process.env.
 */

/** Whether stderr is a terminal (progress dots vs. lines). */
const interactive = Boolean(process.stderr.isTTY);

export const log = {
  info(message: string): void {
    process.stderr.write(`[realizar-k6] ${message}\n`);
  },
  warn(message: string): void {
    process.stderr.write(`[realizar-k6] warning: ${message}\n`);
  },
  /** Build output: shown as it comes on a terminal, as dots elsewhere (CI logs stay short). */
  progress(chunk: string): void {
    if (interactive) process.stderr.write(chunk);
    else process.stderr.write('.'.repeat(Math.min(chunk.split('\n').length - 1, 3)));
  },
};
