/**
 * Running a generator and measuring what it costs: GNU time (`/usr/bin/time`, from wait4) gives the
 * CPU seconds (user + system) of the process and every child it waited for, and the peak resident
 * memory of the largest single one. A k6 inside the toolkit's runner is measured apart through a
 * wrapper given as --k6 (k6Wrapper), which also notes when k6 started and ended.
 */
import { existsSync } from 'node:fs';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { k6RunArgv } from '../../src/core/contract.js';
import { childEnv } from '../../src/node/process/child-env.js';
import { ROOT } from '../../src/node/files/paths.js';
import { shellJoin, spawnGroup } from '../../src/node/process/processes.js';

export const TIME = '/usr/bin/time';

export interface Cost {
  /** User + system CPU seconds. */
  cpuSec: number;
  /** Peak resident memory of the largest process, MB (2^20 bytes). */
  peakRssMb: number;
  wallSec: number;
}

export interface Timed extends Cost {
  code: number | null;
  output: string;
}

const FORMAT = 'BENCHTIME %e %U %S %M';

function parseTime(text: string): Cost | null {
  const line = text
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('BENCHTIME '));
  if (line === undefined) return null;
  const [wall, user, sys, rssKb] = line.split(' ').slice(1).map(Number);
  return { wallSec: wall!, cpuSec: user! + sys!, peakRssMb: rssKb! / 1024 };
}

/** Run argv to its end under GNU time, optionally pinned to a core (taskset). */
export async function timed(
  name: string,
  argv: readonly string[],
  o: { env?: Record<string, string>; pin?: string | null; timeFile: string },
): Promise<Timed> {
  if (!existsSync(TIME))
    throw new Error(`${TIME} (GNU time, Debian package "time") is needed to measure CPU and memory`);
  const cmd = shellJoin(TIME, ['-f', FORMAT, '-o', o.timeFile, ...argv]);
  const child = spawnGroup(name, o.pin == null ? cmd : `taskset -c ${o.pin} ${cmd}`, { env: childEnv(o.env ?? {}) });
  let output = '';
  child.onOutput((c) => (output = (output + c).slice(-20_000)));
  const exit = await child.exited;
  const cost = parseTime(await readFile(o.timeFile, 'utf8').catch(() => ''));
  if (cost === null)
    throw new Error(`${name}: no measurement from ${TIME} (exit ${exit.code ?? exit.signal}):\n${output.slice(-2000)}`);
  return { code: exit.code, output, ...cost };
}

/** What the wrapper saw of the k6 that the runner started. */
export interface WrappedK6 extends Cost {
  startMs: number;
  endMs: number;
}

/**
 * A script to pass as --k6: `k6 run` goes through GNU time (appending to timeFile) between two
 * time stamps; any other k6 command (the runner's `k6 version` probe) runs as is.
 */
export async function k6Wrapper(
  dir: string,
  k6: string,
): Promise<{ file: string; read: () => Promise<WrappedK6 | null> }> {
  const file = path.join(dir, 'k6-wrapper.sh');
  const timeFile = path.join(dir, 'k6-time.txt');
  const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
  await writeFile(
    file,
    [
      '#!/bin/sh',
      `if [ "$1" != run ]; then exec ${q(k6)} "$@"; fi`,
      `echo "START $(date +%s%3N)" >> ${q(timeFile)}`,
      `${q(TIME)} -a -o ${q(timeFile)} -f ${q(FORMAT)} ${q(k6)} "$@"`,
      'rc=$?',
      `echo "END $(date +%s%3N)" >> ${q(timeFile)}`,
      'exit $rc',
      '',
    ].join('\n'),
  );
  await chmod(file, 0o755);
  return {
    file,
    read: async () => {
      const text = await readFile(timeFile, 'utf8').catch(() => '');
      const cost = parseTime(text);
      const start = /START (\d+)/.exec(text)?.[1];
      const end = /END (\d+)/.exec(text)?.[1];
      if (cost === null || start === undefined || end === undefined) return null;
      await writeFile(timeFile, '');
      return { ...cost, startMs: Number(start), endMs: Number(end) };
    },
  };
}

/** CPU seconds a process has used so far (/proc/<pid>/stat), or null when it is gone. */
export async function cpuSecondsOf(pid: number, ticksPerSec: number): Promise<number | null> {
  try {
    const text = await readFile(`/proc/${pid}/stat`, 'utf8');
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / ticksPerSec;
  } catch {
    return null;
  }
}

/** The variables of the benchmark's own scripts (bench/k6/shape.js), beside the toolkit's BASE_URL and OUT_DIR. */
export interface BenchScriptVars {
  BENCH_VUS: number;
  BENCH_ENDPOINT?: 'generate' | 'health';
  BENCH_REQUESTS?: number;
  /** With a rate: the open model, for BENCH_DURATION_SEC. */
  BENCH_RATE?: number;
  BENCH_DURATION_SEC?: number;
}

/**
 * `k6 run` of one of the benchmark's own scripts (bench/k6/), quiet, as the toolkit runs its k6
 * (src/core/contract/invocation.ts), its summary written to `outDir` (K6_FILES.summary).
 */
export function benchK6Argv(
  k6: string,
  o: { baseUrl: string; outDir: string; bench: BenchScriptVars },
  script: string,
): string[] {
  const scriptVars = Object.fromEntries(
    Object.entries(o.bench).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]])),
  );
  const vars = { BASE_URL: o.baseUrl, OUT_DIR: o.outDir };
  return [k6, ...k6RunArgv({ script: path.join(ROOT, 'bench', 'k6', script), vars, flags: ['--quiet'], scriptVars })];
}
