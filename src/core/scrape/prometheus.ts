/**
 * The Prometheus text exposition format, version 0.0.4 (what GET /metrics answers with
 * `Content-Type: text/plain`), parsed into flat samples, so that a scrape before and after a load
 * can be compared with what k6 measured (the Prometheus cross-check).
 *
 * Why a parser of our own: it must live in the pure zone (no Node API, no k6 API) and be typed.
 * There is no maintained TypeScript parser that fits. The npm package closest to it,
 * parse-prometheus-text-format, is plain JavaScript without types, pulls in a dependency, returns
 * values as strings grouped into families (prom2json's shape, so NaN and ±Inf stay strings and a
 * histogram is reshaped), and its errors carry the bad line but not its number. The format is small
 * enough that a strict parser is shorter than an adapter around that one.
 *
 * What is checked: the syntax of every line, as Prometheus's own Go parser (expfmt) checks it —
 * metric and label names, quoted label values with the three escapes (\\, \", \n), duplicate label
 * names, the value (a float, NaN, +Inf, -Inf), an optional integer timestamp in milliseconds, the
 * type named by # TYPE. What is not: that a family's lines are grouped and its # TYPE comes first.
 * Neither changes a value, and refusing a whole scrape for it would lose the cross-check.
 */
import { PrometheusParseError } from '../errors/PrometheusParseError.js';
import { Cursor, isBlank, LineProblem } from './prometheus-cursor.js';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
  /** Milliseconds since the epoch, when the exporter wrote one (Realizar does not). */
  timestampMs?: number;
}

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

/** Everything a scrape says: its samples, and the metadata of its # TYPE and # HELP lines. */
export interface Exposition {
  samples: Sample[];
  /** Family name → its # TYPE. A histogram's samples are named <family>_bucket, _sum and _count. */
  types: Record<string, MetricType>;
  /** Family name → its # HELP text, unescaped. */
  help: Record<string, string>;
}

const METRIC_TYPES: ReadonlySet<string> = new Set<MetricType>(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const METRIC_NAME_EXACT = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
/** Decimal floats as Go's strconv.ParseFloat reads them (hex floats are not written by exporters). */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const INTEGER = /^[+-]?\d+$/;

/** A float token, or null. Number() alone would read '' and '0x1' as numbers. */
function parseFloatToken(token: string): number | null {
  // ParseFloat accepts these case-insensitively; exporters write NaN, +Inf and -Inf.
  if (/^[+]?inf(?:inity)?$/i.test(token)) return Infinity;
  if (/^-inf(?:inity)?$/i.test(token)) return -Infinity;
  if (/^nan$/i.test(token)) return NaN;
  return DECIMAL.test(token) ? Number(token) : null;
}

/** A quoted label value, the opening quote already consumed. */
function readLabelValue(c: Cursor): string {
  let value = '';
  for (;;) {
    const ch = c.current;
    if (ch === undefined) throw new LineProblem('expected a closing " for a label value, found the end of the line');
    c.pos++;
    if (ch === '"') return value;
    if (ch !== '\\') {
      value += ch;
      continue;
    }
    const escaped = c.current;
    c.pos++;
    if (escaped === '\\' || escaped === '"') value += escaped;
    else if (escaped === 'n') value += '\n';
    // Go's parser refuses any other escape, and so do we: guessing would change a label silently.
    else
      throw new LineProblem(
        `expected \\\\, \\" or \\n in a label value, ` +
          `found ${escaped === undefined ? 'a lone \\ at the end' : JSON.stringify(`\\${escaped}`)}`,
      );
  }
}

/** The label set between { and }, the { already consumed. */
function readLabels(c: Cursor): Record<string, string> {
  const pairs: [string, string][] = [];
  const seen = new Set<string>();
  c.skipBlanks();
  while (c.current !== '}') {
    const name = c.match(LABEL_NAME);
    if (name === null) throw new LineProblem(`expected a label name or }, found ${c.describeHere()}`);
    if (seen.has(name)) throw new LineProblem(`label ${name} appears twice`);
    seen.add(name);
    c.skipBlanks();
    c.expect('=', `= after label ${name}`);
    c.skipBlanks();
    c.expect('"', `a quoted value for label ${name}`);
    pairs.push([name, readLabelValue(c)]);
    c.skipBlanks();
    if (c.current === ',') {
      c.pos++;
      // The format allows a trailing comma before }.
      c.skipBlanks();
    } else if (c.current !== '}') {
      throw new LineProblem(`expected , or } after the value of label ${name}, found ${c.describeHere()}`);
    }
  }
  c.pos++;
  // fromEntries defines own properties, so a label named __proto__ (a legal name) is kept as a label
  // instead of being swallowed by the prototype setter of a plain assignment.
  return Object.fromEntries(pairs);
}

function parseSampleLine(c: Cursor): Sample {
  const name = c.match(METRIC_NAME);
  if (name === null) throw new LineProblem(`expected a metric name, found ${c.describeHere()}`);
  let blanks = c.skipBlanks();
  let labels: Record<string, string> = {};
  if (c.current === '{') {
    c.pos++;
    labels = readLabels(c);
    blanks = c.skipBlanks();
  }
  if (c.atEnd()) throw new LineProblem(`expected a value after ${name}, found the end of the line`);
  if (blanks === 0) throw new LineProblem(`expected a blank before the value of ${name}, found ${c.describeHere()}`);
  const valueToken = c.token();
  const value = parseFloatToken(valueToken);
  if (value === null)
    throw new LineProblem(
      `expected a number, NaN, +Inf or -Inf as the value of ${name}, found ${JSON.stringify(valueToken)}`,
    );
  const sample: Sample = { name, labels, value };
  c.skipBlanks();
  if (c.atEnd()) return sample;
  const tsToken = c.token();
  if (!INTEGER.test(tsToken))
    throw new LineProblem(
      `expected a timestamp in whole milliseconds after the value of ${name}, found ${JSON.stringify(tsToken)}`,
    );
  sample.timestampMs = Number(tsToken);
  c.skipBlanks();
  if (!c.atEnd())
    throw new LineProblem(`expected the end of the line after the timestamp of ${name}, found ${c.describeHere()}`);
  return sample;
}

/**
 * # HELP text: \\ and \n are the escapes; any other backslash is kept as written (a docstring never
 * changes a value).
 */
function unescapeHelp(text: string): string {
  return text.replace(/\\([\\n])/g, (_, ch: string) => (ch === 'n' ? '\n' : '\\'));
}

/** A # line: HELP or TYPE metadata, or a plain comment (ignored). */
function parseCommentLine(c: Cursor, doc: { types: Map<string, MetricType>; help: Map<string, string> }): void {
  c.pos++; // '#'
  c.skipBlanks();
  const keyword = c.token();
  if (keyword !== 'HELP' && keyword !== 'TYPE') return;
  c.skipBlanks();
  const family = c.token();
  if (!METRIC_NAME_EXACT.test(family))
    throw new LineProblem(
      `expected a metric name after # ${keyword}, ` +
        `found ${family === '' ? 'the end of the line' : JSON.stringify(family)}`,
    );
  if (keyword === 'HELP') {
    // One blank separates the name from the text; the text itself may be empty or start with blanks.
    if (isBlank(c.current)) c.pos++;
    doc.help.set(family, unescapeHelp(c.rest()));
    return;
  }
  c.skipBlanks();
  const type = c.token();
  if (!METRIC_TYPES.has(type))
    throw new LineProblem(
      `expected counter, gauge, histogram, summary or untyped after # TYPE ${family}, ` +
        `found ${type === '' ? 'the end of the line' : JSON.stringify(type)}`,
    );
  c.skipBlanks();
  if (!c.atEnd())
    throw new LineProblem(`expected the end of the line after # TYPE ${family} ${type}, found ${c.describeHere()}`);
  doc.types.set(family, type as MetricType);
}

/**
 * Parses a whole scrape: samples in the order written, with the # TYPE and # HELP metadata.
 * @param source names the text in errors (the URL scraped, or a file).
 * @throws PrometheusParseError at the first malformed line, naming its number and content.
 */
export function parsePrometheusExposition(text: string, source = 'metrics'): Exposition {
  const samples: Sample[] = [];
  const meta = { types: new Map<string, MetricType>(), help: new Map<string, string>() };
  const lines = text.split('\n');
  for (const [index, raw] of lines.entries()) {
    // The format says LF; a CR left by a proxy or a file saved on Windows is not worth a failure.
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const c = new Cursor(line);
    c.skipBlanks();
    if (c.atEnd()) continue;
    try {
      if (c.current === '#') parseCommentLine(c, meta);
      else samples.push(parseSampleLine(c));
    } catch (err) {
      if (err instanceof LineProblem) throw new PrometheusParseError(source, index + 1, line, err.reason);
      throw err;
    }
  }
  return { samples, types: Object.fromEntries(meta.types), help: Object.fromEntries(meta.help) };
}

/**
 * The samples of a scrape, in the order written.
 * @throws PrometheusParseError at the first malformed line, naming its number and content.
 */
export function parsePrometheusText(text: string, source = 'metrics'): Sample[] {
  return parsePrometheusExposition(text, source).samples;
}

function matches(sample: Sample, name: string, labels: Readonly<Record<string, string>>): boolean {
  if (sample.name !== name) return false;
  return Object.entries(labels).every(
    ([k, v]) => Object.prototype.hasOwnProperty.call(sample.labels, k) && sample.labels[k] === v,
  );
}

/**
 * The sum of every series named `name` whose labels include all of `labels` (all series when none
 * are given), e.g. the requests of every endpoint, or only `{ status: "500" }`. Null when no series
 * matches: "not exported" must not read as 0, or a missing counter would pass a cross-check.
 * Summing is the caller's intent only for additive series; a histogram's _bucket series are
 * cumulative and should be selected by their `le` label.
 */
export function metricValue(
  samples: readonly Sample[],
  name: string,
  labels: Readonly<Record<string, string>> = {},
): number | null {
  let sum: number | null = null;
  for (const s of samples) {
    if (matches(s, name, labels)) sum = (sum ?? 0) + s.value;
  }
  return sum;
}

/**
 * after − before for each name (summed over its series, as metricValue), e.g. the requests a server
 * counted during a load. Null for a name missing from either scrape. A negative delta of a counter
 * means the server restarted between the scrapes; it is returned as is for the caller to report,
 * not hidden.
 */
export function deltas(
  before: readonly Sample[],
  after: readonly Sample[],
  names: readonly string[],
): Record<string, number | null> {
  return Object.fromEntries(
    names.map((name) => {
      const b = metricValue(before, name);
      const a = metricValue(after, name);
      return [name, a === null || b === null ? null : a - b];
    }),
  );
}
