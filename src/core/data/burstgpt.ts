/**
 * BurstGPT traces (HPMLL/BurstGPT: BurstGPT_1.csv, BurstGPT_without_fails_2.csv...): CSV with a header row,
 *
 *   Timestamp,Model,Request tokens,Response tokens,Total tokens,Log Type
 *   5,ChatGPT,472,18,490,Conversation log
 *
 * Timestamp is seconds from 0:00 on the trace's first day. Read: Timestamp, Request tokens and Response
 * tokens, found by name (case ignored) in any order → timestampMs (ms after the trace's earliest
 * Timestamp), inputTokens, outputTokens. Model, Total tokens, Log Type and any other column are ignored.
 * A row with 0 Response tokens is a request that failed when the trace was recorded (the dataset's own
 * account; its *_without_fails files leave them out): it is left out and counted, as vLLM's reader
 * leaves it out, so that a replay sends what was served. Every other bad field is an error naming its
 * line and column.
 */
import { csvTable, csvWhole, splitCsvRow } from './csv.js';
import { fileError, Problems } from './lines.js';
import { noneSkipped, type ReadResult, type WorkloadItem } from '../workload/types.js';

const COLUMNS = ['Timestamp', 'Request tokens', 'Response tokens'] as const;
export const FAILED_IN_TRACE = '0 Response tokens (failed when the trace was recorded)';

const seconds = (text: string): number | undefined => {
  const t = text.trim();
  return /^\d+(\.\d+)?$/.test(t) ? Number(t) : undefined;
};

/** Read a BurstGPT trace; every bad row is named with its column, what it needs and what it holds. */
export function readBurstGptTrace(text: string, source: string): ReadResult {
  const { rows, names, index } = csvTable(text, source, COLUMNS);
  const [ti, ri, oi] = index as [number, number, number];
  const problems = new Problems(source);
  const skipped = noneSkipped();
  const kept: { item: WorkloadItem; sec: number }[] = [];
  for (const r of rows) {
    const at = `/line ${r.line}`;
    const fields = splitCsvRow(r.text);
    if (!fields || fields.length < names.length) {
      problems.add(at, `${names.length} comma-separated fields, as in the header`, r.text);
      continue;
    }
    const sec = seconds(fields[ti]!);
    const input = csvWhole(fields[ri]!, 1);
    const output = csvWhole(fields[oi]!, 0);
    if (sec === undefined) problems.add(`${at}/Timestamp`, 'seconds from the trace’s first day, ≥ 0', fields[ti]);
    if (input === undefined) problems.add(`${at}/Request tokens`, 'a whole number of tokens ≥ 1', fields[ri]);
    if (output === undefined) problems.add(`${at}/Response tokens`, 'a whole number of tokens ≥ 0', fields[oi]);
    if (sec === undefined || input === undefined || output === undefined) continue;
    if (output === 0) {
      skipped.count++;
      skipped.reasons[FAILED_IN_TRACE] = (skipped.reasons[FAILED_IN_TRACE] ?? 0) + 1;
      continue;
    }
    kept.push({ item: { line: r.line, inputTokens: input, outputTokens: output }, sec });
  }
  problems.throwIfAny();
  if (kept.length === 0)
    throw fileError(source, 'at least one request that was served (Response tokens ≥ 1)', `${skipped.count} failed`);
  // The earliest, not the first: nothing says a trace's rows are in order.
  const start = kept.reduce((least, k) => Math.min(least, k.sec), Infinity);
  return { items: kept.map((k) => ({ ...k.item, timestampMs: (k.sec - start) * 1000 })), skipped };
}
