/**
 * What the load generator itself cost while it loaded — k6, and the browser it started for streamed
 * requests — from /proc samples the runner took (src/node/watch/generator.ts), and whether it was short
 * of CPU. A starved generator reads every response late, which looks like a slow server: when its
 * threads waited for a CPU for a noticeable share of the time, or the machine had no idle CPU left,
 * the report says so. Pure: samples in, a report section out.
 */
import type { GeneratorReport } from '../types.js';
import { BYTES_PER_MB } from './series.js';

export interface GeneratorSample {
  tMs: number;
  k6: { cpuSec: number; memBytes: number };
  browser: { cpuSec: number; memBytes: number; processes: number };
  /** Cumulative time the generator's threads were runnable but not running, summed over threads. */
  waitSec: number;
  /** Cumulative CPU time of the whole machine, summed over cores. */
  machine: { busySec: number; totalSec: number };
}

/**
 * Short of CPU when, over the window, the generator's threads together waited for a CPU for at
 * least this share of the time (10 %: on average a tenth of a thread ready to run and not running) …
 */
export const WAIT_SHARE_LIMIT = 0.1;
/** … or the machine as a whole was at least this busy (no idle core left to run a ready thread at once). */
export const MACHINE_BUSY_LIMIT = 0.9;
/** A load shorter than this is reported but not judged: a few samples of a busy instant say little. */
export const MIN_JUDGED_SEC = 1;

/** What a starved generator's readings mean, and what to do about it; after the reasons it was short. */
const SHORT_OF_CPU_NOTE =
  'Readings taken late look like a slow server: latencies are upper bounds, throughput a lower bound. ' +
  'Run with fewer concurrent requests, on an idler machine, or with the server on another one.';

const round = (n: number, d = 3): number => Math.round(n * 10 ** d) / 10 ** d;

/**
 * Counters that only grow: a browser process that exits takes its CPU time with it (the sum drops at
 * the end of a run), so each cumulative counter is held at the highest value seen so far.
 */
function monotone(samples: readonly GeneratorSample[]): GeneratorSample[] {
  let k6 = 0;
  let browser = 0;
  let wait = 0;
  return samples.map((s) => {
    k6 = Math.max(k6, s.k6.cpuSec);
    browser = Math.max(browser, s.browser.cpuSec);
    wait = Math.max(wait, s.waitSec);
    return { ...s, k6: { ...s.k6, cpuSec: k6 }, browser: { ...s.browser, cpuSec: browser }, waitSec: wait };
  });
}

/**
 * @param window the time that was load (a streamed phase's measured window, else k6's whole run):
 *   the browser's start is heavy work that nothing waits on, and must not read as starvation.
 */
export function summarizeGenerator(
  samples: readonly GeneratorSample[],
  window: { startMs: number; endMs: number } | null,
  cores: number,
  intervalMs: number,
): GeneratorReport | null {
  if (samples.length < 2) return null;
  samples = monotone(samples);
  const first = samples[0]!;
  const last = samples[samples.length - 1]!;
  // The whole run, for the cost: everything k6 and its browser used, start-up included.
  const runSec = (last.tMs - first.tMs) / 1000;
  const peak = (pick: (s: GeneratorSample) => number): number => Math.max(...samples.map(pick)) / BYTES_PER_MB;
  const browserSeen = samples.some((s) => s.browser.processes > 0);

  // The load, for the judgement: the last sample at or before its start to the last one in it.
  const from = window === null ? first : ([...samples].reverse().find((s) => s.tMs <= window.startMs) ?? first);
  const inside = window === null ? samples : samples.filter((s) => s.tMs > from.tMs && s.tMs <= window.endMs);
  // A load shorter than the sampling interval is judged over the span of samples around it.
  const to =
    inside[inside.length - 1] ?? (window === null ? last : (samples.find((s) => s.tMs > window.endMs) ?? last));
  const spanSec = (to.tMs - from.tMs) / 1000;
  const judged = spanSec > 0 && to !== from;
  const waitShare = judged ? Math.max(0, to.waitSec - from.waitSec) / spanSec : null;
  const machineTotal = to.machine.totalSec - from.machine.totalSec;
  const machineBusy = judged && machineTotal > 0 ? (to.machine.busySec - from.machine.busySec) / machineTotal : null;
  const loadCpu = judged ? (to.k6.cpuSec + to.browser.cpuSec - from.k6.cpuSec - from.browser.cpuSec) / spanSec : null;

  const reasons: string[] = [];
  // A load too short to judge keeps its figures, not a verdict.
  const judgeable = spanSec >= MIN_JUDGED_SEC;
  if (judgeable && waitShare !== null && waitShare >= WAIT_SHARE_LIMIT)
    reasons.push(
      `its threads waited for a CPU ${round(waitShare * 100, 1)} % of the time ` +
        '(as many thread-seconds per second of load)',
    );
  if (judgeable && machineBusy !== null && machineBusy >= MACHINE_BUSY_LIMIT)
    reasons.push(`the machine's ${cores} core(s) were ${round(machineBusy * 100, 1)} % busy`);
  const shortOfCpu = reasons.length > 0;
  return {
    intervalMs,
    samples: samples.length,
    cores,
    runSec: round(runSec),
    loadSec: judged ? round(spanSec) : null,
    k6: {
      cpuSec: round(last.k6.cpuSec - first.k6.cpuSec),
      peakMemMb: round(
        peak((s) => s.k6.memBytes),
        1,
      ),
    },
    browser: browserSeen
      ? {
          cpuSec: round(last.browser.cpuSec - first.browser.cpuSec),
          peakMemMb: round(
            peak((s) => s.browser.memBytes),
            1,
          ),
          processes: Math.max(...samples.map((s) => s.browser.processes)),
        }
      : null,
    loadCpuPctOfOneCore: loadCpu === null ? null : round(loadCpu * 100, 1),
    runQueueWaitPct: waitShare === null ? null : round(waitShare * 100, 1),
    machineBusyPct: machineBusy === null ? null : round(machineBusy * 100, 1),
    shortOfCpu,
    warning: shortOfCpu ? `The load generator was short of CPU: ${reasons.join(', and ')}. ${SHORT_OF_CPU_NOTE}` : null,
  };
}
