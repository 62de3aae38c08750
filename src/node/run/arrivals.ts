/**
 * The run's arrivals (--arrivals, --seed, --trace), resolved once before anything starts: a replayed
 * trace is read and checked here (a file without timestamps, or with timestamps going backwards, is
 * an error naming its line), and its due offsets are handed to k6 as a file in the run folder.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { traceSchedule } from '../../core/arrivals/trace.js';
import { ValidationError } from '../../core/errors/ValidationError.js';
import { CONSTANT_ARRIVALS, type ArrivalSettings } from '../../core/plan/arrivals.js';
import { readDataset } from '../../core/data/dataset.js';
import type { K6VarValues } from '../../core/contract.js';
import type { RunConfig } from '../config/index.js';

type ArrivalConfig = Pick<RunConfig, 'arrivals' | 'seed' | 'trace' | 'goodput'>;
import { shown } from '../files/paths.js';

const resolved = new WeakMap<ArrivalConfig, Promise<ArrivalSettings>>();

async function load(config: ArrivalConfig): Promise<ArrivalSettings> {
  if (config.trace === null) return { ...CONSTANT_ARRIVALS, spec: config.arrivals, seed: config.seed };
  const { file, timeScale, limit } = config.trace;
  const source = shown(file);
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new ValidationError(source, [
      { path: '', expected: 'a trace file (--trace)', found: err.code ?? 'unreadable' },
    ]);
  });
  const { items } = readDataset(text, source);
  const offsets = traceSchedule(items, { source, timeScale, limit });
  return { spec: config.arrivals, seed: config.seed, trace: { source: path.basename(file), offsets, timeScale } };
}

/** The run's arrivals; the trace is read once per run however often it is asked for. */
export function runArrivals(config: ArrivalConfig): Promise<ArrivalSettings> {
  let a = resolved.get(config);
  if (a === undefined) resolved.set(config, (a = load(config)));
  return a;
}

/** The k6 variables of the run's arrivals; a trace's offsets are written beside the run's files first. */
export async function arrivalVars(config: ArrivalConfig, runDir: string): Promise<K6VarValues> {
  const a = await runArrivals(config);
  const vars: K6VarValues = { ARRIVALS: a.spec, SEED: a.seed, GOODPUT: config.goodput };
  if (a.trace === null) return vars;
  const file = path.join(runDir, 'arrivals.json');
  await writeFile(file, JSON.stringify(a.trace.offsets));
  return { ...vars, ARRIVALS_FILE: file, TRACE_SOURCE: a.trace.source, TIME_SCALE: a.trace.timeScale };
}
