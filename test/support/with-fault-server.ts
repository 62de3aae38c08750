/**
 * The test-only fault server (test/support/fault-server.ts) started by a test itself, on a free
 * loopback port, for tests that must ask it something while or after a run loads it (the arrivals it
 * recorded); stopped in `finally` whatever the test does.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './free-port.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const SERVER = path.join(ROOT, 'test', 'support', 'fault-server.ts');

/** What GET /__arrivals answers: each load request's arrival, ms on the server's own clock. */
export interface Arrivals {
  timeOriginMs: number;
  arrivalsMs: number[];
  overflow: number;
}

export async function withFaultServer<T>(
  flags: readonly string[],
  body: (server: { base: string; port: number; pid: number }) => Promise<T>,
): Promise<T> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER, '--port', String(port), ...flags], {
    cwd: ROOT,
    stdio: 'ignore',
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const base = `http://127.0.0.1:${port}`;
  try {
    const end = Date.now() + 30_000;
    for (;;) {
      const up = await fetch(`${base}/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (up) break;
      if (Date.now() > end || child.exitCode !== null)
        throw new Error(`the fault server did not start on port ${port}`);
      await sleep(100);
    }
    return await body({ base, port, pid: child.pid! });
  } finally {
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(5000)]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

/** The arrivals the server recorded since it started (or since the last DELETE /__arrivals). */
export async function recordedArrivals(base: string): Promise<Arrivals> {
  return (await (await fetch(`${base}/__arrivals`)).json()) as Arrivals;
}

/** How many load requests the fault server on `port` has counted (GET /__counts); 0 while it does not answer. */
export async function loadReceived(port: number): Promise<number> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/__counts`, { signal: AbortSignal.timeout(2000) });
    return ((await res.json()) as { load: { received: number } }).load.received;
  } catch {
    return 0;
  }
}
