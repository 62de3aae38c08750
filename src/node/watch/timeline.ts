/**
 * Per-request timeline of one k6 run, from k6's CSV output (`--out csv=samples.csv.gz` with
 * K6_CSV_TIME_FORMAT=unix_milli), streamed into bounded time windows (src/core/watch/latency-windows.ts):
 * when each request completed, how long it took and its endpoint, kept only as far as the leak
 * check, the drift check and the latency plot need them. Memory stays the same for a hundred
 * requests or a million.
 *
 * k6 writes some twenty rows per request, of which one (the latency metric) is read: lines are
 * matched on their bytes and only a matching line becomes a string, so reading costs little more
 * than decompressing.
 */
import { createReadStream, existsSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { K6_METRICS } from '../../core/rules/metric-table.js';
import { LatencyWindows } from '../../core/watch/latency-windows.js';
import { splitCsvLine } from './samples.js';

const NEWLINE = 0x0a;
const CHUNK = 1 << 20;

/** Split one CSV line (src/node/watch/samples.ts). */
const cells = splitCsvLine;

/**
 * The timeline of `metric` (k6's http_req_duration unless told); null
 * when there is no such file. A file k6 left unfinished (killed) is read as far as it goes.
 */
export async function readRequestTimeline(
  file: string,
  metric: string = K6_METRICS.latency,
  /** Windows to add to (the runners of a split run read into one); default new ones. */
  windows = new LatencyWindows(),
): Promise<LatencyWindows | null> {
  if (!existsSync(file)) return null;
  const needle = Buffer.from(`\n${metric},`);
  let columns: { time: number; value: number; extra: number } | null = null;
  let rest: Buffer = Buffer.alloc(0);

  const take = (line: string): void => {
    if (columns === null) {
      const header = cells(line);
      columns = {
        time: header.indexOf('timestamp'),
        value: header.indexOf('metric_value'),
        extra: header.indexOf('extra_tags'),
      };
      return;
    }
    const c = cells(line);
    const endpoint = /(?:^|&)endpoint=([^&]+)/.exec(c[columns.extra] ?? '')?.[1] ?? null;
    windows.add(
      Number(c[columns.time]),
      Number(c[columns.value]),
      endpoint === null ? null : decodeURIComponent(endpoint),
    );
  };
  // Lines of the metric are found by searching for "\n<metric>," (native, fast); every other line
  // is skipped without being looked at. The bytes after the last newline wait for the next chunk.
  const scan = (buf: Buffer): void => {
    let pos = 0;
    if (columns === null) {
      const nl = buf.indexOf(NEWLINE);
      if (nl === -1) {
        rest = buf;
        return;
      }
      take(buf.toString('utf8', 0, nl).replace(/\r$/, ''));
      pos = nl;
    }
    for (let at = buf.indexOf(needle, pos); at !== -1; at = buf.indexOf(needle, pos)) {
      const end = buf.indexOf(NEWLINE, at + 1);
      if (end === -1) {
        rest = buf.subarray(at);
        return;
      }
      take(buf.toString('utf8', at + 1, end).replace(/\r$/, ''));
      pos = end;
    }
    rest = buf.subarray(Math.max(pos, buf.lastIndexOf(NEWLINE)));
  };

  // Chunks of 1 MB: with the default 16 KB, the stream's own bookkeeping takes longer than inflating.
  const input = createReadStream(file, { highWaterMark: CHUNK }).pipe(createGunzip({ chunkSize: CHUNK }));
  try {
    for await (const chunk of input)
      scan(rest.length === 0 ? (chunk as Buffer) : Buffer.concat([rest, chunk as Buffer]));
  } catch {
    // A killed k6 leaves its gzip stream without an end: keep what was read. A last line cut in
    // half has no newline and is dropped with `rest`.
  }
  return windows;
}
