/**
 * Trace replay: requests due when a recorded trace says they arrived (Mooncake's JSONL, Azure's LLM
 * inference CSV; their readers give records with a line number and a timestamp). The first record
 * is due at 0 and the others at their distance from it, divided by --time-scale (10: ten times
 * faster than recorded), the first --trace-limit records only. Pure: runs in Node and inside k6.
 */
import { describeValue } from '../errors/describe.js';
import { ValidationError, type ValidationProblem } from '../errors/ValidationError.js';

export interface TraceRecord {
  /** 1-based line of the record in its file. */
  line: number;
  /** When the request arrived, in ms on the trace's clock (absent: the record had none). */
  timestampMs?: number;
}

export interface TraceScheduleOptions {
  /** The trace file as the user named it, for errors. */
  source: string;
  /** > 0: recorded gaps are divided by it. */
  timeScale: number;
  /** At most this many records, from the first (null: all). */
  limit: number | null;
}

/** Errors shown at most: enough to see a pattern, not a screenful per bad file. */
const MAX_PROBLEMS = 5;

/** Due offsets in ms from the phase's start, one per record taken (non-decreasing, the first 0). */
export function traceSchedule(records: readonly TraceRecord[], o: TraceScheduleOptions): number[] {
  if (!(o.timeScale > 0) || !Number.isFinite(o.timeScale))
    throw new RangeError(`time scale must be a positive finite number, got ${o.timeScale}`);
  const taken = o.limit === null ? records : records.slice(0, o.limit);
  const problems: ValidationProblem[] = [];
  let first: number | null = null;
  let previous: { line: number; ms: number } | null = null;
  const offsets: number[] = [];
  for (const r of taken) {
    const ms = r.timestampMs;
    if (ms === undefined || !Number.isFinite(ms)) {
      problems.push({
        path: `/line ${r.line}`,
        expected: 'a timestamp',
        found: ms === undefined ? 'none' : describeValue(ms),
      });
      continue;
    }
    // Equal timestamps are requests that arrived together; earlier ones mean a shuffled or merged file.
    if (previous !== null && ms < previous.ms) {
      problems.push({
        path: `/line ${r.line}`,
        expected: `a timestamp at or after line ${previous.line}'s (${previous.ms} ms): a trace in arrival order`,
        found: `${ms} ms`,
      });
    }
    first ??= ms;
    previous = { line: r.line, ms };
    offsets.push((ms - first) / o.timeScale);
  }
  if (problems.length === 0 && taken.length === 0)
    problems.push({ path: '', expected: 'at least one record', found: 'none' });
  if (problems.length > 0) throw new ValidationError(o.source, problems.slice(0, MAX_PROBLEMS));
  return offsets;
}

/** --time-scale X: a finite number greater than 0 (the signature of a flag parser, src/node/flags/values.ts). */
export function parseTimeScale(flag: string, text: string): number {
  const n = Number(text);
  if (!/^(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text) || !Number.isFinite(n) || n <= 0) {
    throw new ValidationError(flag, [
      {
        path: '',
        expected: 'a number greater than 0 (2: twice as fast as recorded, 0.5: half as fast)',
        found: describeValue(text),
      },
    ]);
  }
  return n;
}

/** --trace-limit N: a whole number of at least 1. */
export function parseTraceLimit(flag: string, text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || !Number.isSafeInteger(n)) {
    throw new ValidationError(flag, [
      { path: '', expected: 'a whole number of at least 1', found: describeValue(text) },
    ]);
  }
  return n;
}
