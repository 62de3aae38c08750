/**
 * Azure LLM inference traces (AzurePublicDataset: AzureLLMInferenceTrace_{code,conv}.csv of 2023,
 * the week-long traces of 2024): CSV with a header row,
 *
 *   TIMESTAMP,ContextTokens,GeneratedTokens
 *   2023-11-16 18:15:46.6805900,4808,10
 *
 * Read: the three columns, found by name (case ignored) in any order → timestampMs (ms after the
 * trace's earliest TIMESTAMP), inputTokens (ContextTokens, whole ≥ 1), outputTokens (GeneratedTokens,
 * whole ≥ 0, kept as recorded). Other columns are ignored. Fields may be double-quoted. Blank lines
 * are allowed; a row with a field missing is an error.
 */
import { csvTable, csvWhole, splitCsvRow } from './csv.js';
import { Problems } from './lines.js';
import { noneSkipped, type ReadResult, type WorkloadItem } from '../workload/types.js';

const TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/;

/** A time as whole ms since the epoch and the sub-ms fraction apart, so differences keep the 100 ns ticks. */
interface SplitTime {
  wholeMs: number;
  fractionMs: number;
}

function splitTime(text: string): SplitTime | undefined {
  const m = TIME.exec(text.trim());
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59)
    return undefined;
  const ns = m[7] === undefined ? 0 : Number(m[7].padEnd(9, '0'));
  let offsetMs = 0;
  if (m[8] !== undefined && m[8] !== 'Z') {
    const sign = m[8][0] === '-' ? -1 : 1;
    const digits = m[8].slice(1).replace(':', '');
    offsetMs = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return { wholeMs: date.getTime() + Math.floor(ns / 1e6) - offsetMs, fractionMs: (ns % 1e6) / 1e6 };
}

/**
 * An Azure trace TIMESTAMP ("2023-11-16 18:15:46.6805900", 2024's "2024-05-10 00:00:00.009930+00:00")
 * as ms since the Unix epoch, fraction kept; UTC unless an offset is given. undefined when the text is
 * not such a time (or not a real date).
 */
export function parseAzureTimestamp(text: string): number | undefined {
  const t = splitTime(text);
  return t && t.wholeMs + t.fractionMs;
}

const COLUMNS = ['TIMESTAMP', 'ContextTokens', 'GeneratedTokens'] as const;

/** Read an Azure LLM inference trace; every bad row is named with its column, what it needs and what it holds. */
export function readAzureTrace(text: string, source: string): ReadResult {
  const { rows, names, index } = csvTable(text, source, COLUMNS);
  const [ti, ci, gi] = index as [number, number, number];
  const problems = new Problems(source);
  const parsed: { item: WorkloadItem; time: SplitTime }[] = [];
  for (const r of rows) {
    const at = `/line ${r.line}`;
    const fields = splitCsvRow(r.text);
    if (!fields || fields.length < names.length) {
      problems.add(
        at,
        `${names.length} comma-separated fields, as in the header${fields ? '' : ' (a quote is left open)'}`,
        r.text,
      );
      continue;
    }
    const time = splitTime(fields[ti]!);
    const context = csvWhole(fields[ci]!, 1);
    const generated = csvWhole(fields[gi]!, 0);
    if (time === undefined) problems.add(`${at}/TIMESTAMP`, 'a time like 2023-11-16 18:15:46.6805900', fields[ti]);
    if (context === undefined) problems.add(`${at}/ContextTokens`, 'a whole number of tokens ≥ 1', fields[ci]);
    if (generated === undefined) problems.add(`${at}/GeneratedTokens`, 'a whole number of tokens ≥ 0', fields[gi]);
    if (time !== undefined && context !== undefined && generated !== undefined)
      parsed.push({ item: { line: r.line, inputTokens: context, outputTokens: generated }, time });
  }
  problems.throwIfAny();
  // The earliest, not the first: nothing says a trace's rows are in order.
  let start = parsed[0]!.time;
  for (const { time } of parsed) if (time.wholeMs + time.fractionMs < start.wholeMs + start.fractionMs) start = time;
  const since = (t: SplitTime): number => t.wholeMs - start.wholeMs + (t.fractionMs - start.fractionMs);
  return { items: parsed.map((p) => ({ ...p.item, timestampMs: since(p.time) })), skipped: noneSkipped() };
}
