/**
 * Decoder for the Prometheus remote-write requests that k6's `experimental-prometheus-rw` output sends:
 * a snappy *block* (not framed) around a protobuf `prometheus.WriteRequest`. Pure (no Node, no k6), so
 * the bytes are read by hand: k6 never sends anything this small reader does not need.
 */
import { RemoteWriteError } from '../errors/RemoteWriteError.js';

/** Snappy block format: varint uncompressed length, then literal / copy-1 / copy-2 / copy-4 elements. */
export function snappyDecode(input: Uint8Array): Uint8Array {
  const c = cursor(input);
  const declared = varint(c, 'uint');
  // A copy-2 element (3 bytes) yields at most 64 bytes, the best any element does; checking that first
  // keeps a corrupt length from allocating gigabytes before the elements prove it wrong.
  const most = Math.min(2 ** 32 - 1, Math.ceil(((c.end - c.pos) * 64) / 3));
  if (declared > most) throw new RemoteWriteError(0, `a length of at most ${most} for these bytes`, `${declared}`);
  const out = new Uint8Array(declared);
  let o = 0;
  while (c.pos < c.end) {
    const at = c.pos;
    const tag = input[c.pos++]!;
    const type = tag & 3;
    let len = (tag >>> 2) + 1;
    let from = 0;
    if (type === 0) {
      // A literal longer than 60 bytes keeps its length minus one in the 1-4 bytes after the tag.
      if (len > 60) len = littleEndian(input, take(c, len - 60, 'a literal length'), len - 60) + 1;
      from = take(c, len, 'a literal');
    } else if (type === 1) {
      len = 4 + ((tag >>> 2) & 7);
      from = o - (((tag >>> 5) << 8) | input[take(c, 1, 'a copy-1 offset')]!);
    } else {
      const n = type === 2 ? 2 : 4;
      from = o - littleEndian(input, take(c, n, `a copy-${n} offset`), n);
    }
    if (type !== 0 && (from === o || from < 0)) {
      throw new RemoteWriteError(at, `a copy offset from 1 to ${o} (the output so far)`, `${o - from}`);
    }
    if (o + len > declared) {
      throw new RemoteWriteError(at, `at most ${declared} bytes of output (the declared length)`, `${o + len}`);
    }
    if (type === 0) out.set(input.subarray(from, from + len), o);
    // Byte by byte, not copyWithin: an overlapping copy (offset < length) repeats the bytes it just wrote.
    else for (let i = 0; i < len; i++) out[o + i] = out[from + i]!;
    o += len;
  }
  if (o !== declared) throw new RemoteWriteError(c.pos, `${declared} bytes of output (the declared length)`, `${o}`);
  return out;
}

function littleEndian(bytes: Uint8Array, at: number, n: number): number {
  let v = 0;
  for (let i = n - 1; i >= 0; i--) v = v * 256 + bytes[at + i]!;
  return v;
}

export interface RwHistogram {
  count: number;
  sum: number;
  schema: number;
  zeroThreshold: number;
  zeroCount: number;
  /** Populated buckets as [bucket index, count] (absolute counts, decoded from spans + deltas), ascending index. */
  positive: Array<[number, number]>;
  negative: Array<[number, number]>;
  timestampMs: number;
}
export interface RwSeries {
  labels: Record<string, string>;
  samples: Array<{ value: number; timestampMs: number }>;
  histograms: RwHistogram[];
}

/** Bytes of one message: offsets stay absolute in the whole body, so every error points into the body. */
type Cursor = { bytes: Uint8Array; view: DataView; pos: number; end: number };
const cursor = (b: Uint8Array): Cursor => ({
  bytes: b,
  view: new DataView(b.buffer, b.byteOffset),
  pos: 0,
  end: b.length,
});
type Tag = { field: number; wire: number; at: number };
type Kind = 'uint' | 'int' | 'zigzag' | 'double';
const WIRE_NAMES = ['varint', 'fixed64', 'length-delimited', 'start-group', 'end-group', 'fixed32'];

/**
 * A WriteRequest's time series (metadata ignored). `body` is the protobuf, i.e. the request body after
 * `snappyDecode`; error offsets count bytes of it.
 */
export function decodeWriteRequest(body: Uint8Array): RwSeries[] {
  const series: RwSeries[] = [];
  fields(cursor(body), (c, t) => {
    if (t.field !== 1) return false;
    series.push(decodeSeries(message(c, t, 'timeseries')));
    return true;
  });
  return series;
}

function decodeSeries(c: Cursor): RwSeries {
  const s: RwSeries = { labels: {}, samples: [], histograms: [] };
  fields(c, (c, t) => {
    if (t.field === 1) {
      const label = ['', ''];
      fields(message(c, t, 'labels'), (l, lt) => {
        if (lt.field <= 2) label[lt.field - 1] = utf8(message(l, lt, lt.field === 1 ? 'name' : 'value'));
        return lt.field <= 2;
      });
      const [name = '', value] = label;
      // defineProperty so that a label called __proto__ is a label, not the object's prototype.
      Object.defineProperty(s.labels, name, { value, enumerable: true, writable: true, configurable: true });
    } else if (t.field === 2) {
      const sample = { value: 0, timestampMs: 0 };
      fields(message(c, t, 'samples'), (m, st) => scalar(m, st, SAMPLE, sample));
      s.samples.push(sample);
    } else if (t.field === 4) s.histograms.push(decodeHistogram(message(c, t, 'histograms'), t.at));
    return t.field === 1 || t.field === 2 || t.field === 4;
  });
  return s;
}

/** One side (positive or negative) of a histogram as sent: spans plus either int deltas or float counts. */
type Side = { spans: Array<{ offset: number; length: number }>; deltas: number[]; counts: number[] };
/** Scalar fields by number: [property, proto name, encoding]. */
type Scalars<T> = Partial<Record<number, [keyof T, string, Kind]>>;
const SAMPLE: Scalars<RwSeries['samples'][number]> = {
  1: ['value', 'value', 'double'],
  2: ['timestampMs', 'timestamp', 'int'],
};
const SPAN: Scalars<Side['spans'][number]> = { 1: ['offset', 'offset', 'zigzag'], 2: ['length', 'length', 'uint'] };
/** The oneof pairs (count_int | count_float, zero_count_int | zero_count_float) land in one property. */
const HISTOGRAM: Scalars<Omit<RwHistogram, 'positive' | 'negative'>> = {
  1: ['count', 'count_int', 'uint'],
  2: ['count', 'count_float', 'double'],
  3: ['sum', 'sum', 'double'],
  4: ['schema', 'schema', 'zigzag'],
  5: ['zeroThreshold', 'zero_threshold', 'double'],
  6: ['zeroCount', 'zero_count_int', 'uint'],
  7: ['zeroCount', 'zero_count_float', 'double'],
  15: ['timestampMs', 'timestamp', 'int'],
};

function decodeHistogram(c: Cursor, at: number): RwHistogram {
  const h = { count: 0, sum: 0, schema: 0, zeroThreshold: 0, zeroCount: 0, timestampMs: 0 };
  const neg: Side = { spans: [], deltas: [], counts: [] };
  const pos: Side = { spans: [], deltas: [], counts: [] };
  fields(c, (c, t) => {
    if (t.field < 8 || t.field > 13) return scalar(c, t, HISTOGRAM, h);
    // Fields 8-10 are the negative side, 11-13 the same three for the positive side.
    const side = t.field >= 11 ? pos : neg;
    const kind = (t.field - 8) % 3;
    if (kind === 0) {
      const span = { offset: 0, length: 0 };
      fields(message(c, t, 'spans'), (m, st) => scalar(m, st, SPAN, span));
      side.spans.push(span);
    } else if (kind === 1) repeated(c, t, 'deltas', 'zigzag', side.deltas);
    else repeated(c, t, 'counts', 'double', side.counts);
    return true;
  });
  return { ...h, positive: buckets(pos, 'positive', at), negative: buckets(neg, 'negative', at) };
}

function buckets(side: Side, name: string, at: number): Array<[number, number]> {
  // Float histograms send absolute counts; integer ones send each bucket as a delta from the one before.
  const absolute = side.counts.length > 0;
  const values = absolute ? side.counts : side.deltas;
  const total = side.spans.reduce((n, span) => n + span.length, 0);
  if (values.length !== total) {
    throw new RemoteWriteError(at, `${total} ${name} bucket counts (the spans' lengths)`, `${values.length}`);
  }
  const out: Array<[number, number]> = [];
  let index = 0;
  let k = 0;
  let count = 0;
  for (const [i, { offset, length }] of side.spans.entries()) {
    // Only the first offset may go down (it is absolute); a later negative gap would revisit buckets.
    if (i > 0 && offset < 0) throw new RemoteWriteError(at, `a ${name} span offset >= 0 after the first`, `${offset}`);
    index += offset;
    for (let j = 0; j < length; j++, index++, k++) {
      count = absolute ? values[k]! : count + values[k]!;
      if (count !== 0) out.push([index, count]);
    }
  }
  return out;
}

/**
 * The upper bound of native-histogram bucket `index` at `schema`: 2^(index * 2^-schema); bucket i covers
 * (bound(i-1), bound(i)]. Exponential schemas only (-4 to 8): custom-bucket histograms (schema -53) carry
 * their bounds in custom_values, which k6 does not send.
 */
export function bucketUpperBound(schema: number, index: number): number {
  if (schema <= 0) return 2 ** (index * 2 ** -schema);
  // Split off the whole power of two so bounds at powers of two come out exact, as Prometheus' ldexp does.
  const whole = Math.floor(index / 2 ** schema);
  return 2 ** whole * 2 ** ((index - whole * 2 ** schema) / 2 ** schema);
}

/** Reads every field of a message; `read` returns false for a field it does not know, which is skipped. */
function fields(c: Cursor, read: (c: Cursor, t: Tag) => boolean): void {
  while (c.pos < c.end) {
    const at = c.pos;
    const key = varint(c, 'uint');
    const t: Tag = { field: Math.floor(key / 8), wire: key % 8, at };
    if (![0, 1, 2, 5].includes(t.wire)) throw new RemoteWriteError(at, 'wire type 0, 1, 2 or 5', `${t.wire}`);
    if (t.field === 0) throw new RemoteWriteError(at, 'a field number of at least 1', 'field 0');
    if (!read(c, t)) skip(c, t);
  }
}

function expectWire(t: Tag, wire: number, name: string): void {
  if (t.wire !== wire) {
    throw new RemoteWriteError(t.at, `${name} (field ${t.field}) as ${WIRE_NAMES[wire]}`, `${WIRE_NAMES[t.wire]}`);
  }
}

/** A varint of up to 10 bytes as a number: exact for counts, timestamps and deltas below 2^53. */
function varint(c: Cursor, kind: Kind): number {
  const at = c.pos;
  let v = 0;
  let high = 0n;
  for (let i = 0; ; i++) {
    if (i === 10) throw new RemoteWriteError(c.pos, `a varint of at most 10 bytes at ${at}`, 'an eleventh byte');
    if (c.pos >= c.end) throw new RemoteWriteError(c.pos, `the rest of the varint at ${at}`, 'the end');
    const b = c.bytes[c.pos++]!;
    // Plain arithmetic is exact up to 7 bytes (49 bits), which covers every tag, length and millisecond
    // timestamp; only the bits above (negative int64, huge zigzag) need BigInt to get the sign right.
    if (i < 7) v += (b & 0x7f) * 2 ** (7 * i);
    else high |= BigInt(b & 0x7f) << BigInt(7 * i);
    if (b < 0x80) break;
  }
  if (high === 0n) return kind !== 'zigzag' ? v : v % 2 === 0 ? v / 2 : -(v + 1) / 2;
  const big = BigInt.asUintN(64, high | BigInt(v));
  if (kind === 'zigzag') return Number((big >> 1n) ^ -(big & 1n));
  return Number(kind === 'int' ? BigInt.asIntN(64, big) : big);
}

/** A known scalar field into its property; false for a field number the table does not have. */
function scalar<T>(c: Cursor, t: Tag, table: Scalars<T>, into: T): boolean {
  const known = table[t.field];
  if (!known) return false;
  const [property, name, kind] = known;
  (into[property] as number) = value(c, kind, name, t);
  return true;
}

/** A varint or a little-endian double; with its tag given, the tag's wire type is checked first. */
function value(c: Cursor, kind: Kind, name: string, t?: Tag): number {
  if (t) expectWire(t, kind === 'double' ? 1 : 0, name);
  return kind === 'double' ? c.view.getFloat64(take(c, 8, name), true) : varint(c, kind);
}

/** Moves past `n` bytes that must be there; returns where they start. */
function take(c: Cursor, n: number, name: string): number {
  if (c.pos + n > c.end) throw new RemoteWriteError(c.pos, `${n} byte(s) of ${name}`, `${c.end - c.pos}`);
  return (c.pos += n) - n;
}

/** The bytes of a length-delimited field as their own cursor; the outer cursor moves past them. */
function message(c: Cursor, t: Tag, name: string): Cursor {
  expectWire(t, 2, name);
  const len = varint(c, 'uint');
  return { ...c, pos: take(c, len, `${name} (field ${t.field})`), end: c.pos };
}

/** A repeated scalar: proto3 writers pack it into one length-delimited field, but parsers must take both. */
function repeated(c: Cursor, t: Tag, name: string, kind: Kind, into: number[]): void {
  if (t.wire !== 2) return void into.push(value(c, kind, name, t));
  const r = message(c, t, name);
  while (r.pos < r.end) into.push(value(r, kind, name));
}

function skip(c: Cursor, t: Tag): void {
  if (t.wire === 0) varint(c, 'uint');
  else if (t.wire === 2) message(c, t, 'an unknown field');
  else take(c, t.wire === 1 ? 8 : 4, `field ${t.field}`);
}

/** UTF-8 by hand: the pure zone's lib has no TextDecoder. A malformed sequence becomes U+FFFD. */
function utf8(c: Cursor): string {
  let s = '';
  for (let i = c.pos; i < c.end;) {
    const x = c.bytes[i]!;
    const n = x < 0x80 ? 1 : x < 0xc2 ? 0 : x < 0xe0 ? 2 : x < 0xf0 ? 3 : x < 0xf5 ? 4 : 0;
    let cp = x & [0, 0x7f, 0x1f, 0x0f, 0x07][n]!;
    let ok = n > 0 && i + n <= c.end;
    for (let j = 1; ok && j < n; j++) {
      ok = (c.bytes[i + j]! & 0xc0) === 0x80;
      cp = (cp << 6) | (c.bytes[i + j]! & 63);
    }
    // Overlong forms, surrogates and code points past U+10FFFF are not UTF-8 either.
    ok &&= cp >= [0, 0, 0x80, 0x800, 0x10000][n]! && cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff);
    s += ok ? String.fromCodePoint(cp) : '\ufffd';
    i += ok ? n : 1;
  }
  return s;
}
