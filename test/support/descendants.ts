/**
 * Which processes an entry point started, wherever they ended up: a test gives the entry point a
 * lifeline token of its own in REALIZAR_K6_LIFELINE (src/node/process/lifeline.ts), the runner appends its
 * token to it, and every process it starts — server, k6, Chromium, build tools, the lifeline
 * watcher — inherits the test's token. No command line needs to be guessed, and a process that left
 * its group or was reparented to init is still found.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { carries, LIFELINE_ENV } from '../../src/node/process/lifeline-watcher.js';

export interface Marked {
  token: string;
  env: NodeJS.ProcessEnv;
}

/** An environment (this process's, plus `extra`) whose descendants can be found later. */
export function markedEnv(extra: NodeJS.ProcessEnv = {}, base: NodeJS.ProcessEnv = process.env): Marked {
  const token = `test-${process.pid}-${randomBytes(4).toString('hex')}`;
  return { token, env: { ...base, ...extra, [LIFELINE_ENV]: token } };
}

/** Live processes (zombies aside) carrying the token, as "pid: command line". */
export function carrying(token: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    if (Number(pid) === process.pid) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
      if (!carries(readFileSync(`/proc/${pid}/environ`, 'latin1'), token)) continue;
      found.push(`${pid}: ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim()}`);
    } catch {
      // Gone while we looked.
    }
  }
  return found;
}

/** The pids of processes carrying the token whose command line matches. */
export function pidsCarrying(token: string, command: RegExp): number[] {
  return carrying(token)
    .filter((line) => command.test(line.slice(line.indexOf(':') + 2)))
    .map((line) => Number(line.slice(0, line.indexOf(':'))));
}

/** Wait (bounded) until no process carries the token; what is left, and how long it took. */
export async function waitUntilGone(token: string, timeoutMs: number): Promise<{ left: string[]; ms: number }> {
  const start = Date.now();
  for (;;) {
    const left = carrying(token);
    if (left.length === 0 || Date.now() - start > timeoutMs) return { left, ms: Date.now() - start };
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Whether something accepts connections on 127.0.0.1:port. */
export function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Wait (bounded) until nothing listens on the port; how long it took, or null if it never freed. */
export async function waitPortFree(port: number, timeoutMs: number): Promise<number | null> {
  const start = Date.now();
  while (Date.now() - start <= timeoutMs) {
    if (!(await listening(port))) return Date.now() - start;
    await new Promise((r) => setTimeout(r, 25));
  }
  return null;
}

/** SIGKILL whatever still carries the token (a test's own clean-up, in finally). */
export function killCarrying(token: string): void {
  for (const line of carrying(token)) {
    try {
      process.kill(Number(line.slice(0, line.indexOf(':'))), 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

/** Wait (bounded) until `text()` matches, polling. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
