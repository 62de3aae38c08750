/**
 * --warmup-requests: the same bundle against the same server, a short closed run whose figures
 * nobody reads, so caches, JIT and connection pools are warm when the measured run starts.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { K6_FILES } from '../../core/contract.js';
import { K6_METRICS } from '../../core/rules/metric-table.js';
import type { K6Summary } from '../../core/types.js';
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

/** Where the warm-up of the scenario whose k6 folder is `outDir` writes. */
const warmDirOf = (outDir: string): string => `${outDir}-warmup`;

/**
 * The inter-token p50 the warm-up's streams saw on the target (its k6 summary), the run's own chunk
 * pace for the measurement floor; null: no warm-up, no streams, or no summary.
 */
export async function warmupItlP50(outDir: string): Promise<number | null> {
  const file = path.join(warmDirOf(outDir), K6_FILES.summary);
  if (!existsSync(file)) return null;
  try {
    const summary = JSON.parse(await readFile(file, 'utf8')) as K6Summary;
    const itl = summary.metrics?.[K6_METRICS.itl]?.values;
    return itl === undefined || !itl['count'] ? null : (itl['p(50)'] ?? null);
  } catch {
    return null;
  }
}

/** The warm-up when one was asked for; what the report says of it, one line, else nothing. */
export async function warmUp(o: WarmUp): Promise<string[]> {
  const { name, script, dir, outDir, config, k6, control, vars } = o;
  if (config.warmupRequests <= 0) return [];
  const warmDir = warmDirOf(outDir);
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
