/**
 * The server under test: start it (unless --no-server), wait until GET /health answers 200, watch
 * for it dying mid-run, stop it. Its output goes to server.log in the run folder.
 */
import type { WriteStream } from 'node:fs';
import net from 'node:net';
import { PortInUseError } from '../errors/PortInUseError.js';
import { ServerNotReadyError } from '../errors/ServerNotReadyError.js';
import { ServerStartError } from '../errors/ServerStartError.js';
import { childEnv } from '../process/child-env.js';
import { endLog, openLog } from '../files/keep-files.js';
import { spawnGroup, stopChild, type Child, type ExitInfo } from '../process/processes.js';
import { InterruptedError } from '../errors/InterruptedError.js';

export interface Health {
  version: string | null;
}

export interface ManagedServer {
  child: Child;
  startedAtMs: number;
  log: WriteStream;
  logFile: string;
  /** Set when the server exited before we stopped it. */
  unexpectedExit: (ExitInfo & { atMs: number }) | null;
  stopping: boolean;
}

/** Fails fast with a clear error if something already listens on host:port. */
export async function assertPortFree(host: string, port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') reject(new PortInUseError(host, port));
      else resolve(); // e.g. EADDRNOTAVAIL: let the server itself report it.
    });
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve()));
  });
}

export function startServer(command: string, logFile: string): ManagedServer {
  const log = openLog(logFile, 'a');
  const child = spawnGroup('server', command, { env: childEnv() });
  child.onOutput((chunk) => {
    if (!log.destroyed) log.write(chunk);
  });
  const server: ManagedServer = { child, startedAtMs: Date.now(), log, logFile, unexpectedExit: null, stopping: false };
  void child.exited.then((info) => {
    if (!server.stopping) server.unexpectedExit = { ...info, atMs: Date.now() };
  });
  return server;
}

/** Where and how to ask a server whether it is up. */
export interface HealthProbe {
  /** /health for Realizar; /v1/models for OpenAI-compatible servers, which share no health path. */
  path: string;
  headers: Record<string, string>;
}

export const REALIZAR_HEALTH: HealthProbe = { path: '/health', headers: {} };

async function getHealth(
  url: string,
  timeoutMs: number,
  headers: Record<string, string> = {},
): Promise<{ ok: true; health: Health } | { ok: false; problem: string }> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers });
    const text = await res.text();
    if (res.status !== 200) return { ok: false, problem: `HTTP ${res.status}` };
    let version: string | null = null;
    try {
      const body = JSON.parse(text) as { version?: unknown };
      if (typeof body.version === 'string') version = body.version;
    } catch {
      // A health endpoint that answers 200 with no JSON is still healthy.
    }
    return { ok: true, health: { version } };
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    return { ok: false, problem: cause ?? (err as Error).name ?? String(err) };
  }
}

async function tail(file: string): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.split('\n').slice(-20).join('\n');
}

export interface HealthWait {
  baseUrl: string;
  deadlineSec: number;
  /** The server this process started, whose exit ends the wait (null: not ours). */
  server: ManagedServer | null;
  /** What to do when the deadline passes, for the error. */
  hint: string;
  /** Asked before every probe: true ends the wait (Ctrl-C). */
  cancelled?: () => boolean;
  probe?: HealthProbe;
}

/**
 * Poll GET {baseUrl}/health until it answers 200, the deadline passes, or (managed) the server exits.
 */
export async function waitForHealth(o: HealthWait): Promise<Health> {
  const { baseUrl, deadlineSec, server, hint, cancelled = () => false, probe = REALIZAR_HEALTH } = o;
  const url = `${baseUrl}${probe.path}`;
  const end = Date.now() + deadlineSec * 1000;
  let lastProblem = 'no answer yet';
  for (;;) {
    if (cancelled()) throw new InterruptedError('waiting for the server to become healthy');
    if (server?.child.exitInfo) {
      await endLog(server.log);
      throw new ServerStartError({
        command: server.child.command,
        serverExitCode: server.child.exitInfo.code,
        signal: server.child.exitInfo.signal,
        logFile: server.logFile,
        logTail: await tail(server.logFile),
      });
    }
    const r = await getHealth(url, Math.max(100, Math.min(2000, end - Date.now())), probe.headers);
    if (r.ok) return r.health;
    lastProblem = r.problem;
    if (Date.now() >= end) throw new ServerNotReadyError({ url, deadlineSec, lastProblem, hint });
    await new Promise((res) => setTimeout(res, 100));
  }
}

/** One health probe after the load: did the server survive it? */
export async function healthyNow(baseUrl: string, probe: HealthProbe = REALIZAR_HEALTH): Promise<boolean> {
  return (await getHealth(`${baseUrl}${probe.path}`, 5000, probe.headers)).ok;
}

export async function stopServer(server: ManagedServer): Promise<ExitInfo> {
  server.stopping = true;
  const info = await stopChild(server.child, 10_000, 'SIGTERM');
  await endLog(server.log);
  return info;
}
