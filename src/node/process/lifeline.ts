/**
 * No orphans, whatever ends the runner. Every entry point (load-test, sweep, cloud, operator,
 * bench) starts its children through processes.ts, and a run (startLifeline) or else the first
 * child starts this process's lifeline: a watcher process (src/node/process/lifeline-watcher.ts)
 * holding the read end of a pipe whose write end only this process holds. When this process dies —
 * even by SIGKILL, which no handler sees — the kernel closes the pipe, and the watcher ends every
 * process this one started within 2 s (SIGTERM, then SIGKILL after 1 s).
 *
 * Why a watcher and not the parent-death signal (prctl PR_SET_PDEATHSIG, util-linux's
 * `setpriv --pdeathsig`): that signal reaches only the direct child. Ours is often `bash -c`
 * (zx), a user's `--server-cmd` shell line, or k6 whose Chromium and its helpers are grandchildren;
 * they would survive. It is also cleared when a child execs a setuid binary, and it fires when the
 * parent *thread* exits, not the process. The watcher instead finds what to end by three marks: the
 * token in the environment every descendant inherits (REALIZAR_K6_LIFELINE, a list, so a runner
 * started by the benchmark carries both tokens), the process groups registered here, and plain
 * descendancy — so a process that changed its group or cleared its environment is still found.
 *
 * The watcher costs one small Node process per runner, started before the run's load or at the first
 * child, and gone within a second of the runner. If it cannot start, the run goes on without it and says so.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { LIFELINE_ENV } from './lifeline-watcher.js';
import { log } from './log.js';
import { ROOT } from '../files/paths.js';

let watcher: ChildProcess | null = null;
let broken = false;
const token = `${process.pid}-${randomBytes(4).toString('hex')}`;

function fail(why: string): void {
  if (broken) return;
  broken = true;
  log.warn(`the lifeline watcher is not running (${why}): if this process is killed hard, its children may outlive it`);
}

/**
 * The watcher, started once (a later call returns it, null when it could not start). Every run (load
 * test, sweep) calls this once its input is checked and its tools built, before any load (prepareTarget),
 * and the first child calls it if nothing has: the watcher's own start-up (Node
 * and tsx, 0.3–0.4 s of CPU) then overlaps the runner's preparation, not k6's first seconds of load. With
 * --no-server k6 is the first child, and that start-up raised the p99 of a 30 s run at 1,000 req/s
 * (docs/performance.md, "The tail without the dashboard").
 */
export function startLifeline(): ChildProcess | null {
  if (watcher !== null || broken) return watcher;
  try {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'src', 'node', 'process', 'lifeline-watcher.ts'), token],
      {
        cwd: ROOT,
        // A session of its own: the terminal's Ctrl-C and hang-up do not reach it.
        detached: true,
        stdio: ['pipe', 'ignore', 'ignore'],
        env: process.env,
      },
    );
    child.on('error', (err) => fail(err.message));
    child.stdin?.on('error', (err) => fail(err.message));
    // Neither the watcher nor its pipe keeps this process alive.
    child.unref();
    (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
    watcher = child;
  } catch (err) {
    fail((err as Error).message);
  }
  return watcher;
}

/** The environment a child gets: this run's token added to any it inherited. */
export function withLifeline(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  startLifeline();
  const inherited = env[LIFELINE_ENV];
  return { ...env, [LIFELINE_ENV]: inherited === undefined || inherited === '' ? token : `${inherited}:${token}` };
}

/** Tell the watcher about a process group this process started (+) or that is gone (-). */
export function registerGroup(pgid: number): void {
  send(`+${pgid}\n`);
}

export function unregisterGroup(pgid: number): void {
  send(`-${pgid}\n`);
}

function send(line: string): void {
  const w = startLifeline();
  if (w === null || broken || w.stdin === null || w.stdin.destroyed) return;
  w.stdin.write(line);
}
