/** One experiment of the benchmark: how to run it, and its part of the Markdown record. */
import type { BenchContext } from '../lib/context.js';

export interface Experiment<R> {
  /** Its name on the command line (--only) and its key in the JSON record. */
  name: string;
  /** The heading of its section in the Markdown record. */
  title: string;
  run: (ctx: BenchContext) => Promise<R>;
  /** Markdown lines (a table, the goals) for the record. */
  table: (result: R, ctx: BenchContext) => string[];
}
