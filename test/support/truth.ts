/**
 * The test-only stream truth server (src/node/calibrate/reference-server.ts, see its header) from
 * tests: as a --server-cmd for the runner or the sweep, or started by the test itself when the test
 * must read what the server recorded after the run (GET /__truth).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { TruthRequest } from '../../src/core/stream/reference-truth.js';
import { ROOT } from './cli.js';

const SERVER = path.join(ROOT, 'src', 'node', 'calibrate', 'reference-server.ts');

/** The command line for --server-cmd ({port} is filled in by the runner). */
export function truthServerCmd(flags = ''): string {
  return `${process.execPath} --import tsx ${SERVER} --port {port} ${flags}`.trim();
}

export interface TruthServer {
  baseUrl: string;
  /** For --server-pid: the runner watches the process it did not start. */
  pid: number;
  truth(): Promise<{
    firstTokenMs: number;
    gapMs: number;
    tokens: number;
    requests: Array<TruthRequest & { path: string }>;
  }>;
  stop(): Promise<void>;
}

/** Start it on `port` and wait (bounded) until it answers. Stop it in `finally`. */
export async function startTruthServer(port: number, flags: readonly string[] = []): Promise<TruthServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER, '--port', String(port), ...flags], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  const end = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`${baseUrl}/health`)).ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > end || child.exitCode !== null) {
      await stop();
      throw new Error(`the stream truth server did not start on port ${port}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    baseUrl,
    pid: child.pid!,
    truth: async () => (await fetch(`${baseUrl}/__truth`)).json() as ReturnType<TruthServer['truth']>,
    stop,
  };
}
