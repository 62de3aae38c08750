/**
 * The k6 side's part of the metric table (./metric-table.ts): each k6 metric's name, type and isTime,
 * packed into one string when a script is bundled (build/bundle.ts). k6 evaluates a script's whole top
 * level in every VU, and the table's objects cost about 0.2 MB per VU there (docs/performance.md),
 * while a string constant is shared by all VUs: a VU builds only the entries of the metrics it creates.
 * Pure; imports the table's types only.
 */
import type { K6MetricType, MetricEntry } from './metric-table.js';

export interface MetricKind {
  k6: string;
  type: K6MetricType;
  isTime: boolean;
}

/** `|key name type 0|key name type 1|...|`: one field per entry k6 records (names have no spaces). */
export function packMetricKinds(entries: ReadonlyArray<readonly [string, MetricEntry]>): string {
  const fields = entries.flatMap(([key, e]) =>
    e.k6 === null || e.type === null ? [] : [`${key} ${e.k6} ${e.type} ${e.isTime ? 1 : 0}`],
  );
  return `|${fields.join('|')}|`;
}

/** The entry of `key` in a packed table; an error when the table has none (a script bundled without it). */
export function metricKind(packed: string, key: string): MetricKind {
  const at = packed.indexOf(`|${key} `);
  if (at < 0) throw new Error(`metric ${key}: not in the packed metric table`);
  // Indexed, not destructured: an array pattern takes an iterator, whose first use costs every k6 VU.
  const field = packed.slice(at + 1, packed.indexOf('|', at + 1)).split(' ');
  return { k6: field[1]!, type: field[2] as K6MetricType, isTime: field[3] === '1' };
}
