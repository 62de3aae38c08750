/**
 * Watching the server's process while it is loaded: resident memory and CPU time, read from /proc
 * at a fixed interval (no extra daemon). For a server this run started, the whole process group is
 * summed (a wrapper shell and its children are one server); with --server-pid, that process.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

export interface ResourceSample {
  /** Milliseconds since the epoch. */
  tMs: number;
  rssBytes: number;
  /** User + system CPU time consumed so far, in seconds. */
  cpuSec: number;
  /** How many processes were summed (0: the target is gone). */
  processes: number;
}

export type SampleTarget = { kind: 'group'; pgid: number } | { kind: 'pid'; pid: number };

let ticksPerSecond: number | null = null;

/** Clock ticks per second for /proc/<pid>/stat times (getconf CLK_TCK; 100 on Linux almost always). */
export function clockTicksPerSecond(): number {
  if (ticksPerSecond === null) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

interface ProcStat {
  pid: number;
  pgrp: number;
  cpuTicks: number;
}

/** Fields after the command name, which may itself hold spaces and parentheses. */
function readStat(pid: number): ProcStat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): pgrp is field 5, utime 14, stime 15.
    return { pid, pgrp: Number(fields[2]), cpuTicks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return null;
  }
}

/** The peak resident set the kernel recorded for the process (what GNU time's %M reports), in bytes; 0 when gone. */
export function peakRssBytes(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

function readRssBytes(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** The processes sampled: the whole group, or the one pid. */
export function targetPids(target: SampleTarget): number[] {
  if (target.kind === 'pid') return [target.pid];
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat?.pgrp === target.pgid) pids.push(stat.pid);
  }
  return pids;
}

export function sampleOnce(target: SampleTarget, now = Date.now()): ResourceSample {
  let rssBytes = 0;
  let ticks = 0;
  let processes = 0;
  for (const pid of targetPids(target)) {
    const stat = readStat(pid);
    if (stat === null) continue;
    processes++;
    ticks += stat.cpuTicks;
    rssBytes += readRssBytes(pid);
  }
  return { tMs: now, rssBytes, cpuSec: ticks / clockTicksPerSecond(), processes };
}

export function processExists(pid: number): boolean {
  return readStat(pid) !== null;
}

/** Samples every `intervalMs` until stopped; the samples are kept in order. */
export class ResourceSampler {
  readonly samples: ResourceSample[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly target: SampleTarget,
    private readonly intervalMs = 250,
  ) {}

  start(): this {
    this.take();
    this.timer = setInterval(() => this.take(), this.intervalMs);
    // Sampling must never keep the runner alive on its own.
    this.timer.unref();
    return this;
  }

  take(): ResourceSample {
    const s = sampleOnce(this.target);
    this.samples.push(s);
    return s;
  }

  stop(): ResourceSample[] {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    return this.samples;
  }
}
