/**
 * --warmup-requests: the same bundle against the same server, a short closed run whose figures
 * nobody reads, so caches, JIT and connection pools are warm when the measured run starts.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { RunConfig } from '../config/index.js';
import { runK6, type K6RunOptions } from '../k6/k6.js';
import { log } from '../process/log.js';
import type { ResolvedTool } from '../tools/tools.js';
import type { RunControl } from './run.js';

export interface WarmUp {
  name: string;
  script: string;
  /** The run folder, and the measured run's k6 folder (the warm-up's is beside it). */
  dir: string;
  outDir: string;
  config: RunConfig;
  k6: ResolvedTool;
  control: RunControl;
  /** The measured run's -e variables. */
  vars: K6RunOptions['vars'];
}

/** The warm-up when one was asked for; what the report says of it, one line, else nothing. */
export async function warmUp(o: WarmUp): Promise<string[]> {
  const { name, script, dir, outDir, config, k6, control, vars } = o;
  if (config.warmupRequests <= 0) return [];
  const warmDir = `${outDir}-warmup`;
  await mkdir(warmDir, { recursive: true });
  log.info(`warming up ${name} with ${config.warmupRequests} request(s) (not measured)`);
  const warm = await runK6({
    k6: k6.path,
    script,
    outDir: warmDir,
    baseUrl: config.baseUrl,
    gate: config.gate,
    scale: 1,
    mix: config.mix,
    timeoutSec: config.timeoutSec,
    dashboardFile: null,
    outputs: [],
    samples: config.samples,
    vars: { ...vars, WARMUP_REQUESTS: config.warmupRequests },
    onStart: (c) => (control.k6 = c),
  });
  control.k6 = null;
  return [
    `Warm-up: ${config.warmupRequests} request(s) sent before the measured run ` +
      `(${path.relative(dir, warmDir)}, k6 exit ${warm.code ?? warm.signal}), left out of every figure here.`,
  ];
}
