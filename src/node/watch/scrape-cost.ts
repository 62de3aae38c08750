/**
 * What scraping costs the server it watches, measured once before the load: the server's CPU time
 * (every thread of every process of the target, from /proc/<pid>/task/<tid>/schedstat, to the
 * nanosecond) during a burst of back-to-back scrapes, less what it used while idle for as long. The
 * scenario's share is then that cost times its scrapes over the server's CPU time during the scenario.
 * A thread that ends during the burst takes its time with it, so this is a lower bound; llama.cpp and
 * Realizar keep their threads.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TelemetryReport } from '../../core/types.js';
import { targetPids, type SampleTarget } from './resources.js';

/** Scrapes in the burst (fewer if it reaches COST_MAX_MS), and the idle time it is compared with. */
export const COST_SCRAPES = 40;
export const COST_IDLE_MS = 500;
export const COST_MAX_MS = 3000;

export interface ScrapeCost {
  /** The server's CPU time per scrape, ms (0 when the burst cost no more than idling). */
  perScrapeCpuMs: number;
  scrapes: number;
}

function threadsCpuNs(target: SampleTarget): number {
  let total = 0;
  for (const pid of targetPids(target)) {
    let tids: string[] = [];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tids) {
      try {
        total += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]) || 0;
      } catch {
        // The thread ended between the listing and the read.
      }
    }
  }
  return total;
}

/**
 * Null when /proc has no schedstat for the target (another kernel, or the process is gone), or when
 * a scrape fails: what a failing endpoint costs says nothing of a working one, and a server that does
 * not answer must not hold the run up for 40 timeouts.
 */
export async function measureScrapeCost(
  target: SampleTarget,
  scrape: () => Promise<boolean>,
): Promise<ScrapeCost | null> {
  const i0 = threadsCpuNs(target);
  if (i0 === 0 || !(await scrape())) return null;
  const idleStart = performance.now();
  await sleep(COST_IDLE_MS);
  const idleNsPerMs = (threadsCpuNs(target) - i0) / (performance.now() - idleStart);
  const s0 = threadsCpuNs(target);
  const t0 = performance.now();
  let scrapes = 0;
  while (scrapes < COST_SCRAPES && performance.now() - t0 < COST_MAX_MS) {
    if (!(await scrape())) return null;
    scrapes++;
  }
  const busyNs = threadsCpuNs(target) - s0 - idleNsPerMs * (performance.now() - t0);
  return { perScrapeCpuMs: Math.max(0, busyNs) / scrapes / 1e6, scrapes };
}

/** The report's cost block for a scenario of `scrapes` scrapes and `serverCpuSec` of server CPU. */
export function scrapeCostReport(
  cost: ScrapeCost | null,
  scrapes: number,
  serverCpuSec: number | null,
  why: string | null,
): TelemetryReport['cost'] {
  if (cost === null)
    return {
      perScrapeCpuMs: null,
      scrapeCpuSec: null,
      serverCpuSec,
      sharePct: null,
      method: why ?? 'not measured',
    };
  const scrapeCpuSec = (cost.perScrapeCpuMs * scrapes) / 1000;
  const r = (n: number): number => Number(n.toPrecision(4));
  return {
    perScrapeCpuMs: r(cost.perScrapeCpuMs),
    scrapeCpuSec: r(scrapeCpuSec),
    serverCpuSec: serverCpuSec === null ? null : r(serverCpuSec),
    sharePct: serverCpuSec === null || serverCpuSec <= 0 ? null : r((scrapeCpuSec / serverCpuSec) * 100),
    method:
      `the server's CPU time during ${cost.scrapes} back-to-back scrapes before the load, less its idle CPU ` +
      'over as long (/proc schedstat of its threads), times the scrapes of the scenario, over its CPU time during ' +
      'the scenario',
  };
}
