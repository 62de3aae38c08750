/**
 * Running the real runner from tests: `node --import tsx scripts/run.ts ...` in a child process,
 * with a private reports folder. Every process a test starts is stopped in `finally` (see
 * `withProcess`), and `leftovers` finds any process that still mentions a test's unique token.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Report } from '../../src/core/types.js';
export { freePort } from './free-port.js';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export async function tempDir(label: string): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), `realizar-k6-test-${label}-`));
}

/** Start an entry point (scripts/<entry>.ts) with `env` as its whole environment. */
export function startEntry(entry: string, args: readonly string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts', `${entry}.ts`), ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Run an entry point to the end, bounded: killed after `timeoutMs`. */
export async function runEntry(
  entry: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 300_000,
): Promise<CliResult> {
  const child = startEntry(entry, args, env);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  try {
    return await collect(child);
  } finally {
    clearTimeout(timer);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

/** The runner (scripts/run.ts), with this process's environment plus `env`. */
export function startCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  return startEntry('run', args, { ...process.env, ...env });
}

export function collect(child: ChildProcess): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
}

/** Run the CLI to the end (bounded: killed after `timeoutMs`). */
export async function runCli(
  args: readonly string[],
  opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<CliResult> {
  return runEntry('run', args, { ...process.env, ...opts.env }, opts.timeoutMs);
}

/** Every file under a folder (for the "no secret in any file" checks). */
export async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(full)));
    else if (e.isFile()) out.push(full);
  }
  return out;
}

/** The run folder's report.json, found through <outDir>/latest. */
export async function latestReport(outDir: string): Promise<{ report: Report; dir: string; text: string }> {
  const dir = path.join(outDir, 'latest');
  const report = JSON.parse(await readFile(path.join(dir, 'report.json'), 'utf8')) as Report;
  const text = await readFile(path.join(dir, 'report.txt'), 'utf8');
  return { report, dir, text };
}

/** Processes (other than this one) whose command line mentions `token` — a port or a folder. */
export function leftovers(token: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    if (Number(pid) === process.pid) continue;
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmd.includes(token)) found.push(`${pid}: ${cmd.trim()}`);
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

/** Wait (bounded) until nothing mentions `token`; returns what is still there. */
export async function waitForNoLeftovers(token: string, timeoutMs = 5000): Promise<string[]> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const left = leftovers(token);
    if (left.length === 0 || Date.now() > end) return left;
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** The command line of the test-only fault server (see its header), for --server-cmd. */
export function faultServerCmd(flags: string): string {
  const server = path.join(ROOT, 'test', 'support', 'fault-server.ts');
  return `${process.execPath} --import tsx ${server} --port {port} ${flags}`;
}
