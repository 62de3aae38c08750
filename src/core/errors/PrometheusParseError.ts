/**
 * A line of a Prometheus text exposition that does not follow the format (src/core/scrape/prometheus.ts).
 * Pure (no Node, no k6), so whichever runtime scrapes /metrics throws the same error. The line
 * number and the line itself are fields, not only part of the message, so a caller can point at the
 * offending line of a saved scrape.
 */
import { ToolkitError } from './ToolkitError.js';
export class PrometheusParseError extends ToolkitError {
  override readonly name = 'PrometheusParseError';
  /** Where the text came from: a URL, a file path, or 'metrics'. */
  readonly source: string;
  /** 1-based, as editors and `sed -n Np` count. */
  readonly line: number;
  /** The whole offending line, untruncated. */
  readonly content: string;
  /** What was expected and what was found there. */
  readonly reason: string;

  constructor(source: string, line: number, content: string, reason: string) {
    // A scraped line can be arbitrarily long (a histogram with many labels); the message stays
    // readable and the full line is kept in `content`.
    const shown = content.length > 200 ? `${content.slice(0, 200)}…` : content;
    super(`${source}: line ${line}: ${reason}: ${JSON.stringify(shown)}`);
    this.source = source;
    this.line = line;
    this.content = content;
    this.reason = reason;
  }
}
