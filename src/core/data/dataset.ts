/**
 * --dataset FILE: which format a file is in, and its items.
 *
 * The format is the one asked for, or told by the content:
 *   a JSON array                                → ShareGPT (sharegpt.ts)
 *   JSONL whose first line has "input_length"   → Mooncake trace (mooncake.ts)
 *   JSONL whose first line has "prompt"/"messages" → our workload JSONL (workload-jsonl.ts)
 *   CSV whose header has "Request tokens"       → BurstGPT trace (burstgpt.ts)
 *   CSV whose header has a TIMESTAMP column     → Azure LLM inference trace (azure.ts)
 * Anything else is an error that lists them; an empty file is an error.
 */
import { describeValue } from '../errors/describe.js';
import { ValidationError } from '../errors/ValidationError.js';
import { readAzureTrace } from './azure.js';
import { readBurstGptTrace } from './burstgpt.js';
import { splitCsvRow } from './csv.js';
import { fileError, has, isObject, nonBlankLines } from './lines.js';
import { readMooncakeTrace } from './mooncake.js';
import { readShareGpt } from './sharegpt.js';
import { DATASET_FORMATS, type DatasetFormat, type ReadResult } from '../workload/types.js';
import { readWorkloadJsonl } from './workload-jsonl.js';

const KNOWN =
  'a workload JSONL ({"prompt"} or {"messages"} per line), a ShareGPT JSON array, a Mooncake trace ' +
  '({"input_length"} per line), an Azure trace CSV (header TIMESTAMP,ContextTokens,GeneratedTokens) or a ' +
  'BurstGPT trace CSV (header Timestamp,Model,Request tokens,Response tokens,...)';

/** The format of a file's content; errors name the file and say what was found at its start. */
export function detectFormat(text: string, source: string): DatasetFormat {
  const body = text.replace(/^\uFEFF/, '');
  const first = nonBlankLines(body)[0];
  if (!first) throw fileError(source, KNOWN, 'an empty file');
  const start = first.text.trimStart();
  if (start.startsWith('[')) return 'sharegpt';
  if (start.startsWith('{')) {
    let value: unknown;
    try {
      value = JSON.parse(first.text);
    } catch {
      throw new ValidationError(source, [
        {
          path: `/line ${first.line}`,
          expected: `${KNOWN}: a whole JSON object on the first line`,
          found: describeValue(first.text),
        },
      ]);
    }
    if (isObject(value) && has(value, 'input_length')) return 'mooncake';
    if (isObject(value) && (has(value, 'prompt') || has(value, 'messages'))) return 'workload';
    throw new ValidationError(source, [{ path: `/line ${first.line}`, expected: KNOWN, found: describeValue(value) }]);
  }
  const header = (splitCsvRow(first.text) ?? []).map((f) => f.trim().toLowerCase());
  // BurstGPT's Timestamp is Azure's TIMESTAMP with case ignored: its token columns tell them apart.
  if (header.includes('request tokens')) return 'burstgpt';
  if (header.includes('timestamp')) return 'azure';
  throw new ValidationError(source, [
    { path: `/line ${first.line}`, expected: KNOWN, found: describeValue(first.text) },
  ]);
}

export interface DatasetOptions {
  /** The format, when the user named it; otherwise it is detected. */
  format?: DatasetFormat;
  /** ShareGPT: every human message a turn of its conversation (sharegpt.ts). */
  turns?: boolean;
}

export interface Dataset extends ReadResult {
  format: DatasetFormat;
}

/** Read a dataset file's text; `source` (its path) names it in errors. */
export function readDataset(text: string, source: string, o: DatasetOptions = {}): Dataset {
  const format = o.format ?? detectFormat(text, source);
  const read: Record<DatasetFormat, () => ReadResult> = {
    workload: () => readWorkloadJsonl(text, source),
    sharegpt: () => readShareGpt(text, source, { turns: o.turns }),
    mooncake: () => readMooncakeTrace(text, source),
    azure: () => readAzureTrace(text, source),
    burstgpt: () => readBurstGptTrace(text, source),
  };
  return { format, ...read[format]() };
}

/** A format's name given to `flag` (--dataset-format). */
export function parseDatasetFormat(flag: string, text: string): DatasetFormat {
  if ((DATASET_FORMATS as readonly string[]).includes(text)) return text as DatasetFormat;
  throw new ValidationError(flag, [
    { path: '', expected: `one of ${DATASET_FORMATS.join(', ')}`, found: describeValue(text) },
  ]);
}
