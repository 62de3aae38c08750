/**
 * The windows file the receiver wrote (src/node/watch/windows-receiver.ts) read back a line at a time;
 * src/core/windows/feed.ts hands each window to what per-request samples would feed.
 */
import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { K6_METRICS } from '../../core/rules/metric-table.js';
import { WindowDeltas, type Window, type WindowPush } from '../../core/windows/windows.js';

/**
 * Hand every window of the file to `visit`, in push order, and each push as it came to `onPush`; null
 * when there is no such file, else how many windows there were. A last line cut short (the runner
 * killed mid-write) is left out.
 */
export async function scanWindows(
  file: string,
  visit: (w: Window) => void,
  latencyMetric: string = K6_METRICS.latency,
  onPush?: (p: WindowPush) => void,
  /** Other times each window should carry (src/core/windows/windows.ts). */
  also: readonly string[] = [],
): Promise<number | null> {
  if (!existsSync(file)) return null;
  const deltas = new WindowDeltas(latencyMetric, also);
  let seen = 0;
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    if (line === '') continue;
    let push: WindowPush;
    try {
      push = JSON.parse(line) as WindowPush;
    } catch {
      continue;
    }
    onPush?.(push);
    for (const w of deltas.add(push)) {
      visit(w);
      seen++;
    }
  }
  return seen;
}
