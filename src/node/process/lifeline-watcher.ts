/**
 * The far end of a runner's lifeline (src/node/process/lifeline.ts): a small process of its own that ends
 * everything the runner started once the runner is gone, however it went — a normal exit, a crash,
 * an OOM kill, `kill -9`, a cancelled CI job.
 *
 *   node --import tsx src/node/process/lifeline-watcher.ts <token>
 *
 * stdin is the lifeline. The runner writes `+<pgid>` when it starts a child in a process group of its
 * own and `-<pgid>` once that group is gone. The kernel closes the runner's end when the runner dies,
 * so end of file here means "the runner is gone". Then, within the 2 s the README promises:
 *   1. every process the runner left is found — those whose environment carries <token> (every
 *      child and, through inheritance, every grandchild: a shell's children, k6's Chromium), those
 *      in a registered process group, and the descendants of both (a process that cleared its
 *      environment or left its group is still someone's child);
 *   2. they get SIGTERM (k6 then still writes its summary, servers close their ports), and
 *   3. whatever is left after TERM_GRACE_MS gets SIGKILL, repeated a few times for late forks.
 *
 * It runs in a session of its own (a Ctrl-C in the terminal does not reach it) and ignores SIGINT,
 * SIGHUP and SIGTERM: killing this process alone must not take the run's children with it while
 * the runner still lives.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export const LIFELINE_ENV = 'REALIZAR_K6_LIFELINE';
export const TERM_GRACE_MS = 1000;

export interface ProcInfo {
  pid: number;
  ppid: number;
  pgid: number;
  state: string;
  marked: boolean;
}

/** /proc/<pid>/stat: fields after the command name, which is in parentheses and may hold spaces. */
export function parseStat(text: string): { state: string; ppid: number; pgid: number } | null {
  const close = text.lastIndexOf(')');
  if (close === -1) return null;
  const f = text.slice(close + 2).split(' ');
  return { state: f[0]!, ppid: Number(f[1]), pgid: Number(f[2]) };
}

/** Whether an environment (NUL-separated, as in /proc/<pid>/environ) carries the token. */
export function carries(environ: string, token: string): boolean {
  for (const entry of environ.split('\0')) {
    if (entry.startsWith(`${LIFELINE_ENV}=`))
      return entry
        .slice(LIFELINE_ENV.length + 1)
        .split(':')
        .includes(token);
  }
  return false;
}

function processTable(token: string): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = parseStat(readFileSync(`/proc/${name}/stat`, 'utf8'));
      if (stat === null) continue;
      let marked = false;
      try {
        marked = carries(readFileSync(`/proc/${name}/environ`, 'latin1'), token);
      } catch {
        // Another user's process: not ours.
      }
      out.push({ pid: Number(name), ...stat, marked });
    } catch {
      // Gone while we looked.
    }
  }
  return out;
}

/** The processes to end: marked or in a registered group, and all their descendants. Pure. */
export function selectTargets(table: readonly ProcInfo[], groups: ReadonlySet<number>, self: number): number[] {
  const chosen = new Set<number>();
  // Init and this process are never a root of the sweep: everything descends from init.
  for (const p of table) if ((p.marked || groups.has(p.pgid)) && p.pid > 1 && p.pid !== self) chosen.add(p.pid);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of table) {
      if (!chosen.has(p.pid) && chosen.has(p.ppid)) {
        chosen.add(p.pid);
        grew = true;
      }
    }
  }
  // Zombies are dead already (their parent reaps them); never this process, never init.
  const zombies = new Set(table.filter((p) => p.state === 'Z').map((p) => p.pid));
  return [...chosen].filter((pid) => pid !== self && pid > 1 && !zombies.has(pid));
}

function signalAll(pids: readonly number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone.
    }
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function sweep(token: string, groups: ReadonlySet<number>): Promise<void> {
  const targets = (): number[] => selectTargets(processTable(token), groups, process.pid);
  const first = targets();
  if (first.length === 0) return;
  signalAll(first, 'SIGTERM');
  const end = Date.now() + TERM_GRACE_MS;
  while (Date.now() < end && targets().length > 0) await sleep(50);
  for (let round = 0; round < 5; round++) {
    const left = targets();
    if (left.length === 0) return;
    signalAll(left, 'SIGKILL');
    await sleep(50);
  }
}

async function main(token: string): Promise<void> {
  for (const sig of ['SIGINT', 'SIGHUP', 'SIGTERM'] as const) process.on(sig, () => undefined);
  const groups = new Set<number>();
  let pending = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      const pgid = Number(line.slice(1));
      if (!Number.isInteger(pgid) || pgid <= 1) continue;
      if (line[0] === '+') groups.add(pgid);
      else if (line[0] === '-') groups.delete(pgid);
    }
  });
  await new Promise<void>((resolve) => {
    process.stdin.once('end', resolve);
    process.stdin.once('error', () => resolve());
    process.stdin.once('close', resolve);
  });
  await sweep(token, groups);
  process.exit(0);
}

const token = process.argv[2];
// Run as a program (not when a test imports the pure parts above).
if (token !== undefined && process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href)
  void main(token);
