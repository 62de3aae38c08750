/**
 * Child processes (server, k6, tool builds), each in a process group of its own so that it can be
 * stopped whole — a shell wrapper and whatever it started — and so that a Ctrl-C in the terminal
 * reaches only this runner, which then stops its children in order (k6 first and gracefully, so its
 * summary is kept; the server last). Every child is tracked until it exits; on exit of the runner,
 * whatever is still alive is killed. And because a runner killed hard runs no exit handler, every
 * child also hangs on the runner's lifeline (lifeline.ts): a watcher process ends them all within
 * 2 s of the runner's death. No process outlives a run.
 */
import { $, quote, type ProcessPromise } from 'zx';
import { registerGroup, unregisterGroup, withLifeline } from './lifeline.js';
import { SpawnError } from '../errors/SpawnError.js';

export interface ExitInfo {
  code: number | null;
  signal: string | null;
}

export interface Child {
  name: string;
  pid: number;
  command: string;
  /** Resolves when the child exits (never rejects). */
  exited: Promise<ExitInfo>;
  /** Set once exited. */
  exitInfo: ExitInfo | null;
  onOutput(listener: (chunk: string, stream: 'stdout' | 'stderr') => void): void;
}

const live = new Set<Child>();

export function liveChildren(): Child[] {
  return [...live];
}

/** Quote a command line for the shell (zx's quoting). */
export function shellJoin(file: string, args: readonly string[]): string {
  return [file, ...args].map((a) => quote(a)).join(' ');
}

function rawTemplate(command: string): TemplateStringsArray {
  // zx quotes every interpolated value; a user's --server-cmd is a shell line and must reach the
  // shell as written.
  return Object.assign([command], { raw: [command] });
}

export function spawnGroup(name: string, command: string, opts: { env: NodeJS.ProcessEnv; cwd?: string }): Child {
  const p: ProcessPromise = $({
    detached: true,
    nothrow: true,
    quiet: true,
    verbose: false,
    env: withLifeline(opts.env),
    cwd: opts.cwd ?? process.cwd(),
    stdio: ['ignore', 'pipe', 'pipe'],
    // zx's default prefix (set -euo pipefail) would stop bash from exec-ing a lone command.
    prefix: '',
  })(rawTemplate(command));
  const pid = p.pid;
  if (pid === undefined) throw new SpawnError(name, command);
  registerGroup(pid);
  const listeners: Array<(chunk: string, stream: 'stdout' | 'stderr') => void> = [];
  p.stdout.on('data', (b: Buffer) => listeners.forEach((l) => l(b.toString(), 'stdout')));
  p.stderr.on('data', (b: Buffer) => listeners.forEach((l) => l(b.toString(), 'stderr')));
  const child: Child = {
    name,
    pid,
    command,
    exitInfo: null,
    exited: p.then(
      (out) => ({ code: out.exitCode, signal: out.signal }),
      (err: unknown) => ({ code: null, signal: String(err) }),
    ),
    onOutput: (l) => listeners.push(l),
  };
  live.add(child);
  void child.exited.then((info) => {
    child.exitInfo = info;
    live.delete(child);
    // The leader is gone; take down anything it left in its group.
    signalGroup(pid, 'SIGKILL');
    unregisterGroup(pid);
  });
  return child;
}

export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

/** Ask a child to stop (signal, default SIGTERM), then SIGKILL its group after graceMs. */
export async function stopChild(child: Child, graceMs = 10_000, signal: NodeJS.Signals = 'SIGTERM'): Promise<ExitInfo> {
  if (child.exitInfo !== null) return child.exitInfo;
  signalGroup(child.pid, signal);
  let timer: NodeJS.Timeout | undefined;
  const killed = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      signalGroup(child.pid, 'SIGKILL');
      resolve();
    }, graceMs);
  });
  await Promise.race([child.exited, killed]);
  clearTimeout(timer);
  return child.exited;
}

/** Last resort, synchronous (usable in process.on('exit')). */
export function killAllNow(): void {
  for (const child of live) signalGroup(child.pid, 'SIGKILL');
}
