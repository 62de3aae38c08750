/**
 * Reading k6's per-request samples (`--out csv=samples.csv.gz`, src/node/k6/k6.ts) as they are left on
 * disk, including by a k6 that was killed: its gzip stream then has no end, and the last block k6
 * had not yet compressed is lost. Everything decompressible is read; a last line cut in half is
 * dropped; `truncated` says so. Samples are handed to a visitor one at a time (nothing is kept
 * here), and only lines of the metrics asked for are parsed: k6 writes some twenty rows per request.
 */
import { createReadStream, existsSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { splitCsvRow } from '../../core/data/csv.js';
import type { MetricSample } from '../../core/summary/samples-summary.js';

/** One CSV line (k6 writes RFC 4180: quotes around fields holding a comma or a quote). */
export function splitCsvLine(line: string): string[] {
  // Most rows hold no quote: split at once, the hot path of a million samples.
  if (!line.includes('"')) return line.split(',');
  // A quote left open (a line cut in half) is split at its commas, as a line without quotes is.
  return splitCsvRow(line) ?? line.split(',');
}

/** k6 writes the time as K6_CSV_TIME_FORMAT says: unix_milli here, seconds by default, or RFC 3339. */
export function parseCsvTime(cell: string): number {
  if (/^\d+$/.test(cell)) {
    const n = Number(cell);
    if (n > 1e17) return n / 1e6; // ns
    if (n > 1e14) return n / 1e3; // µs
    if (n > 1e11) return n; // ms
    return n * 1000; // s
  }
  return Date.parse(cell);
}

/** The value of one tag in k6's extra_tags cell (`endpoint=health&name=%2Fhealth`). */
function extraTag(extra: string, name: string): string | null {
  for (const pair of extra.split('&')) {
    const eq = pair.indexOf('=');
    if (eq > 0 && decodeURIComponent(pair.slice(0, eq)) === name) return decodeURIComponent(pair.slice(eq + 1));
  }
  return null;
}

/** A parser for the lines after `header`: a sample, or null for a line of another metric. */
export function sampleParser(header: string, wanted: ReadonlySet<string>): (line: string) => MetricSample | null {
  const names = splitCsvLine(header);
  const at = (name: string): number => names.indexOf(name);
  const [iMetric, iTime, iValue, iScenario, iCheck, iExtra] = [
    at('metric_name'),
    at('timestamp'),
    at('metric_value'),
    at('scenario'),
    at('check'),
    at('extra_tags'),
  ];
  return (line) => {
    const comma = line.indexOf(',');
    if (comma === -1 || !wanted.has(line.slice(0, comma))) return null;
    const c = splitCsvLine(line);
    const tMs = parseCsvTime(c[iTime] ?? '');
    const value = Number(c[iValue]);
    if (!Number.isFinite(tMs) || !Number.isFinite(value) || c[iValue] === '') return null;
    const extra = c[iExtra] ?? '';
    return {
      metric: c[iMetric]!,
      tMs,
      value,
      phase: (iScenario === -1 ? null : c[iScenario]) || extraTag(extra, 'scenario'),
      endpoint: extraTag(extra, 'endpoint'),
      check: (iCheck === -1 ? null : c[iCheck]) || null,
      turn: extraTag(extra, 'turn'),
      cache: extraTag(extra, 'cache'),
    };
  };
}

/**
 * Hand every sample of the wanted metrics to `visit`; null when there is no such file. Lines are
 * matched on their bytes and only a wanted one becomes a string, so reading costs little more than
 * decompressing.
 */
export async function scanSamples(
  file: string,
  wanted: ReadonlySet<string>,
  visit: (s: MetricSample) => void,
): Promise<{ truncated: boolean } | null> {
  if (!existsSync(file)) return null;
  const input = createReadStream(file);
  // A gzip stream without its end hands out all it could decompress, then errs: that is `truncated`.
  const stream = file.endsWith('.gz') ? input.pipe(createGunzip()) : input;
  input.on('error', (err) => stream.destroy(err));
  const prefixes = [...wanted].map((m) => Buffer.from(`${m},`));
  const isWanted = (buf: Buffer, start: number): boolean =>
    prefixes.some((p) => start + p.length <= buf.length && buf.compare(p, 0, p.length, start, start + p.length) === 0);
  let parse: ((line: string) => MetricSample | null) | null = null;
  let rest: Buffer = Buffer.alloc(0);
  let truncated = false;
  try {
    for await (const chunk of stream) {
      const buf = rest.length === 0 ? (chunk as Buffer) : Buffer.concat([rest, chunk as Buffer]);
      let start = 0;
      for (let nl = buf.indexOf(0x0a, start); nl !== -1; nl = buf.indexOf(0x0a, start)) {
        if (parse === null) parse = sampleParser(buf.toString('utf8', start, nl).replace(/\r$/, ''), wanted);
        else if (isWanted(buf, start)) {
          const sample = parse(buf.toString('utf8', start, nl).replace(/\r$/, ''));
          if (sample !== null) visit(sample);
        }
        start = nl + 1;
      }
      rest = buf.subarray(start);
    }
  } catch {
    truncated = true;
  }
  // A last line without its newline was cut off mid-write: not a sample.
  if (rest.length > 0) truncated = true;
  return { truncated };
}
