/**
 * Watching the load generator itself — k6 and any browser it started — while it runs, from /proc:
 * CPU time, memory (k6's peak resident set as the kernel keeps it, VmHWM; the browser's
 * proportional memory, PSS, so that what its processes share is counted once), the time its
 * threads were runnable but waiting for a CPU (schedstat), and how busy the whole machine was.
 * On a shared machine a starved generator reads every latency late, which looks like a slow server;
 * these samples let the report say so (src/core/watch/generator.ts judges them).
 *
 * k6 is the leader of its own process group (src/node/process/processes.ts) and k6's browser module starts
 * Chromium without a group of its own, so the group is k6 plus its browser.
 *
 * Cheap on purpose, since it shares the cores with what it watches: a CPU profile of the runner at
 * 500 req/s had this sampler at 0.7 s of CPU in 17 s, most of it k6's smaps_rollup (a walk of every
 * mapping of a Go process) and a read of every /proc/<pid>/stat each time. k6's memory is now
 * VmHWM, one small file and the exact peak rather than a sampled one; the group's members are found
 * by a scan of /proc once a second, and only they are read in between (CPU time is cumulative per
 * process, so a member found late still counts whole).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { K6_FILES } from '../../core/contract.js';
import { summarizeGenerator, type GeneratorSample } from '../../core/watch/generator.js';
import type { GeneratorReport } from '../../core/types.js';
import { K6_METRICS } from '../../core/rules/metric-table.js';
import { clockTicksPerSecond, peakRssBytes } from './resources.js';

function read(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** pgrp and utime + stime (ticks) of a process, or null when it is gone. */
function stat(pid: number): { pgrp: number; ticks: number } | null {
  const text = read(`/proc/${pid}/stat`);
  if (text === null) return null;
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { pgrp: Number(f[2]), ticks: Number(f[11]) + Number(f[12]) };
}

function pssBytes(pid: number): number {
  const m = /^Pss:\s+(\d+) kB/m.exec(read(`/proc/${pid}/smaps_rollup`) ?? '');
  if (m !== null) return Number(m[1]) * 1024;
  const rss = /VmRSS:\s+(\d+) kB/.exec(read(`/proc/${pid}/status`) ?? '');
  return rss === null ? 0 : Number(rss[1]) * 1024;
}

/** Nanoseconds the process's threads spent runnable but waiting for a CPU (schedstat field 2). */
function waitNs(pid: number): number {
  let total = 0;
  let tasks: string[] = [];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return 0;
  }
  for (const tid of tasks) {
    const fields = (read(`/proc/${pid}/task/${tid}/schedstat`) ?? '').split(' ');
    if (fields.length >= 2) total += Number(fields[1]) || 0;
  }
  return total;
}

/** The whole machine's CPU time so far: busy and total, in seconds summed over cores (/proc/stat). */
function machineCpu(): { busySec: number; totalSec: number } {
  const line = (read('/proc/stat') ?? '').split('\n')[0] ?? '';
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal (guest time is already in user).
  const total = v.slice(0, 8).reduce((a, b) => a + (b || 0), 0);
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  const hz = clockTicksPerSecond();
  return { busySec: (total - idle) / hz, totalSec: total / hz };
}

/** How often the group's members are looked for among all processes. */
export const MEMBER_SCAN_MS = 1000;

/** One member of the group at a sample: its CPU ticks so far, and whether it is one of the browser's processes. */
export interface Member {
  pid: number;
  ticks: number;
  browser: boolean;
}

/**
 * Chromium's processes, by executable name (/proc/<pid>/comm): every other member is k6's side —
 * k6 itself, and whatever wraps it when `--k6` names a script (the benchmark runs k6 under GNU
 * time that way), so that k6 is never counted as a browser.
 */
export const BROWSER_COMM = /^(chromium|chrome|headless_shell)/i;

/** The process group's members; the scan of /proc is the costly part, so it is repeated only every MEMBER_SCAN_MS. */
export class GroupMembers {
  private known = new Map<number, boolean>();
  private scannedMs = -Infinity;

  constructor(
    readonly leader: number,
    private readonly scanEveryMs = MEMBER_SCAN_MS,
  ) {}

  /** The members at `now`: a fresh scan when the last is older than scanEveryMs, else the known ones still alive. */
  at(now: number): Member[] {
    let pids: Iterable<number> = this.known.keys();
    if (now - this.scannedMs >= this.scanEveryMs) {
      this.scannedMs = now;
      pids = readdirSync('/proc')
        .filter((e) => /^\d+$/.test(e))
        .map(Number);
    }
    const members: Member[] = [];
    const seen = new Map<number, boolean>();
    for (const pid of pids) {
      const s = stat(pid);
      if (s === null || s.pgrp !== this.leader) continue;
      const browser = this.known.get(pid) ?? BROWSER_COMM.test((read(`/proc/${pid}/comm`) ?? '').trim());
      seen.set(pid, browser);
      members.push({ pid, ticks: s.ticks, browser });
    }
    this.known = seen;
    return members;
  }
}

/** One sample of k6's process group, or null once its leader (k6, or what wraps it) is gone. */
export function sampleGenerator(members: GroupMembers, now = Date.now()): GeneratorSample | null {
  const leader = members.leader;
  if (stat(leader) === null) return null;
  const hz = clockTicksPerSecond();
  const sample: GeneratorSample = {
    tMs: now,
    k6: { cpuSec: 0, memBytes: 0 },
    browser: { cpuSec: 0, memBytes: 0, processes: 0 },
    waitSec: 0,
    machine: machineCpu(),
  };
  for (const { pid, ticks, browser } of members.at(now)) {
    const part = browser ? sample.browser : sample.k6;
    part.cpuSec += ticks / hz;
    // k6's side: the peak the kernel kept (a wrapper given as --k6 adds its own, about 1.3 MB); the
    // browser's processes share pages, so their proportional share.
    part.memBytes += browser ? pssBytes(pid) : peakRssBytes(pid);
    if (browser) sample.browser.processes++;
    sample.waitSec += waitNs(pid) / 1e9;
  }
  return sample;
}

/**
 * Samples k6's process group until stopped: every 50 ms for its first second (a short run still
 * gets several samples), then every `intervalMs`.
 */
export class GeneratorSampler {
  readonly samples: GeneratorSample[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly startedMs = Date.now();
  private readonly members: GroupMembers;

  constructor(
    leader: number,
    readonly intervalMs = 250,
  ) {
    this.members = new GroupMembers(leader);
  }

  start(): this {
    this.take();
    return this;
  }

  private take(): void {
    // Once k6 is gone its counters read zero: a sample of nothing would look like a reset.
    const s = sampleGenerator(this.members);
    if (s !== null) this.samples.push(s);
    this.timer = setTimeout(() => this.take(), Date.now() - this.startedMs < 1000 ? 50 : this.intervalMs);
    // Sampling must never keep the runner alive on its own.
    this.timer.unref();
  }

  stop(): GeneratorSample[] {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    return this.samples;
  }
}

/**
 * The generator's report for a k6 run whose samples `sampler` took, judged over the load: a streamed
 * phase's measured window when k6's summary in `outDir` has one (the browser's start is outside
 * it), else `loadWindow` (first request to last, from k6's samples), else the whole run — k6's own
 * start, compiling the script for every client at once, is no load and must not read as starvation.
 */
export async function generatorReport(
  sampler: GeneratorSampler | null,
  outDir: string,
  loadWindow: { startMs: number; endMs: number } | null = null,
): Promise<GeneratorReport | null> {
  if (sampler === null) return null;
  const samples = sampler.stop();
  let window = loadWindow;
  try {
    const summary = JSON.parse(await readFile(path.join(outDir, K6_FILES.summary), 'utf8')) as {
      metrics?: Record<string, { values?: Record<string, number> }>;
    };
    const start = summary.metrics?.[K6_METRICS.streamWindowStartMs]?.values?.['value'];
    const ms = summary.metrics?.[K6_METRICS.streamWindowMs]?.values?.['count'];
    if (typeof start === 'number' && typeof ms === 'number' && ms > 0) window = { startMs: start, endMs: start + ms };
  } catch {
    // No summary (k6 stopped early): judged over the whole run.
  }
  return summarizeGenerator(samples, window, os.availableParallelism(), sampler.intervalMs);
}
