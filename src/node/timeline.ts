/**
 * Per-request timeline of one k6 run, from k6's CSV output (`--out csv=samples.csv.gz` with
 * K6_CSV_TIME_FORMAT=unix_milli): when each request completed, how long it took, its endpoint and
 * phase. The summary has only aggregates; drift, the leak check and latency-over-time plots need
 * the order of events.
 */
import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';

export interface RequestEvent {
  tMs: number;
  latencyMs: number;
  endpoint: string | null;
  phase: string | null;
  status: number | null;
}

/** k6's CSV output has these columns; endpoint is in extra_tags as endpoint=<name>. */
export async function readRequestTimeline(file: string): Promise<RequestEvent[] | null> {
  if (!existsSync(file)) return null;
  const input = createReadStream(file).pipe(createGunzip());
  const lines = createInterface({ input, crlfDelay: Infinity });
  let header: string[] | null = null;
  const events: RequestEvent[] = [];
  for await (const line of lines) {
    if (header === null) {
      header = line.split(',');
      continue;
    }
    if (!line.startsWith('http_req_duration,')) continue;
    const cells = line.split(',');
    const col = (name: string): string | undefined => cells[header!.indexOf(name)];
    const extra = col('extra_tags') ?? '';
    const endpoint = /(?:^|&)endpoint=([^&]+)/.exec(extra)?.[1] ?? null;
    const status = Number(col('status'));
    events.push({
      tMs: Number(col('timestamp')),
      latencyMs: Number(col('metric_value')),
      endpoint,
      phase: col('scenario') || null,
      status: Number.isFinite(status) && status > 0 ? status : null,
    });
  }
  return events.sort((a, b) => a.tMs - b.tMs);
}
