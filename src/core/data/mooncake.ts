/**
 * Mooncake trace JSONL (FAST'25 Mooncake traces, also read by NVIDIA AIPerf): one request per line,
 *
 *   {"timestamp": 27482, "input_length": 6955, "output_length": 52, "hash_ids": [46, 47, 48, ...]}
 *
 * Read: "input_length" (required, whole ≥ 1) → inputTokens; "output_length" (whole ≥ 0, kept as
 * recorded) → outputTokens; "timestamp" (ms from the trace's start, on every line or on none) →
 * timestampMs; "hash_ids" (whole numbers ≥ 0, one per block of the input) → hashIds. Other fields
 * are ignored: trace variants add their own. The prompt text is made later from the hash ids
 * (prefix.ts: blocks of 512 tokens by default), so requests sharing a hash id share its text.
 */
import {
  fileError,
  has,
  isWhole,
  nonBlankLines,
  parseObjectLine,
  Problems,
  TimestampsEverywhereOrNowhere,
} from './lines.js';
import { noneSkipped, type ReadResult, type WorkloadItem } from '../workload/types.js';

/** Read a Mooncake trace; every bad line is named with its field, what it needs and what it holds. */
export function readMooncakeTrace(text: string, source: string): ReadResult {
  const lines = nonBlankLines(text);
  if (lines.length === 0)
    throw fileError(source, 'one {"input_length": ...} request per line (a Mooncake trace)', 'an empty file');
  const problems = new Problems(source);
  const timestamps = new TimestampsEverywhereOrNowhere('timestamp');
  const items: WorkloadItem[] = [];
  for (const l of lines) {
    const o = parseObjectLine(l, problems);
    if (!o) continue;
    const at = `/line ${l.line}`;
    const before = problems.count;
    const item: WorkloadItem = { line: l.line };
    if (!isWhole(o['input_length'], 1))
      problems.add(`${at}/input_length`, 'a whole number of tokens ≥ 1', o['input_length']);
    else item.inputTokens = o['input_length'];
    if (has(o, 'output_length')) {
      if (!isWhole(o['output_length'], 0))
        problems.add(`${at}/output_length`, 'a whole number of tokens ≥ 0', o['output_length']);
      else item.outputTokens = o['output_length'];
    }
    timestamps.check(l.line, has(o, 'timestamp'), problems);
    if (has(o, 'timestamp')) {
      const t = o['timestamp'];
      if (typeof t !== 'number' || !Number.isFinite(t) || t < 0)
        problems.add(`${at}/timestamp`, 'a number of ms ≥ 0', t);
      else item.timestampMs = t;
    }
    if (has(o, 'hash_ids')) {
      const ids = o['hash_ids'];
      if (!Array.isArray(ids)) problems.add(`${at}/hash_ids`, 'a list of whole numbers ≥ 0', ids);
      else {
        const bad = ids.findIndex((id) => !isWhole(id, 0));
        if (bad >= 0) problems.add(`${at}/hash_ids/${bad}`, 'a whole number ≥ 0', ids[bad]);
        else item.hashIds = ids as number[];
      }
    }
    if (problems.count === before) items.push(item);
  }
  problems.throwIfAny();
  return { items, skipped: noneSkipped() };
}
