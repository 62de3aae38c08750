/**
 * The remote-write decoder against bodies built here the way k6's `experimental-prometheus-rw` output
 * builds them: a protobuf WriteRequest (written by the small encoder below) in a snappy block (literals
 * only, except for one hand-built stream that exercises every kind of copy). Malformed bodies must be
 * refused with the byte offset of the problem.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RemoteWriteError } from '../../src/core/errors/RemoteWriteError.js';
import { bucketUpperBound, decodeWriteRequest, snappyDecode } from '../../src/core/windows/remote-write.js';

type Bytes = number[];

/** An unsigned varint; negative numbers are written as their 64-bit two's complement, as int64 is. */
function varint(n: number | bigint): Bytes {
  let v = BigInt.asUintN(64, BigInt(n));
  const out: Bytes = [];
  for (; v >= 0x80n; v >>= 7n) out.push(Number(v & 0x7fn) | 0x80);
  out.push(Number(v));
  return out;
}
const zigzag = (n: number): bigint => BigInt.asUintN(64, (BigInt(n) << 1n) ^ (BigInt(n) >> 63n));
const key = (field: number, wire: number): Bytes => varint(field * 8 + wire);
const uint = (field: number, n: number | bigint): Bytes => [...key(field, 0), ...varint(n)];
const sint = (field: number, n: number): Bytes => [...key(field, 0), ...varint(zigzag(n))];
const f64 = (x: number): Bytes => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setFloat64(0, x, true);
  return [...b];
};
const double = (field: number, x: number): Bytes => [...key(field, 1), ...f64(x)];
const fixed32 = (field: number, n: number): Bytes => [
  ...key(field, 5),
  n & 255,
  (n >> 8) & 255,
  (n >> 16) & 255,
  n >>> 24,
];
const bytes = (field: number, content: Bytes): Bytes => [...key(field, 2), ...varint(content.length), ...content];
const str = (field: number, s: string): Bytes => bytes(field, [...new TextEncoder().encode(s)]);
const label = (name: string, value: string): Bytes => bytes(1, [...str(1, name), ...str(2, value)]);
const span = (offset: number, length: number): Bytes => [...sint(1, offset), ...uint(2, length)];

/** A snappy block of literals only (64 KiB each), which is what the decoder needs most and the simplest. */
function snappyLiterals(data: Uint8Array): Uint8Array {
  const out = varint(data.length);
  for (let i = 0; i < data.length; i += 65536) {
    const chunk = data.subarray(i, i + 65536);
    const n = chunk.length - 1;
    if (n < 60) out.push(n << 2);
    else if (n < 256) out.push(60 << 2, n);
    else out.push(61 << 2, n & 255, n >> 8);
    out.push(...chunk);
  }
  return Uint8Array.from(out);
}

const T0 = 1_760_000_000_123;
const counterSeries: Bytes = [
  ...label('__name__', 'k6_requests_ok_total'),
  ...label('scenario', 'generate'),
  ...label('endpoint', '/generate'),
  ...bytes(2, [...double(1, 20), ...uint(2, T0)]),
];
/** The histogram of the fixture; `spanExtra` goes into its first span (unknown fields to skip). */
const makeHistogram = (spanExtra: Bytes = []): Bytes => [
  ...uint(1, 13),
  ...double(3, 0.75),
  ...sint(4, 3),
  ...double(5, 2.938735877055719e-39),
  ...uint(6, 1),
  ...bytes(11, [...span(-20, 2), ...spanExtra]),
  ...bytes(11, span(3, 3)),
  ...bytes(
    12,
    [2, 1, -3, 4, -1].flatMap((d) => varint(zigzag(d))),
  ),
  ...uint(15, T0 + 333),
];
const histogramLabels = [...label('__name__', 'k6_http_req_duration_seconds'), ...label('scenario', 'generate')];
const histogramSeries: Bytes = [...histogramLabels, ...bytes(4, makeHistogram())];
const body = Uint8Array.from([...bytes(1, counterSeries), ...bytes(1, histogramSeries)]);

const expected = [
  {
    labels: { __name__: 'k6_requests_ok_total', scenario: 'generate', endpoint: '/generate' },
    samples: [{ value: 20, timestampMs: T0 }],
    histograms: [],
  },
  {
    labels: { __name__: 'k6_http_req_duration_seconds', scenario: 'generate' },
    samples: [],
    histograms: [
      {
        count: 13,
        sum: 0.75,
        schema: 3,
        zeroThreshold: 2.938735877055719e-39,
        zeroCount: 1,
        // Spans [-20, -19] and, 3 further on, [-15, -13]; deltas 2 1 -3 4 -1 make 2 3 0 4 3; the 0 is dropped.
        positive: [
          [-20, 2],
          [-19, 3],
          [-14, 4],
          [-13, 3],
        ],
        negative: [],
        timestampMs: T0 + 333,
      },
    ],
  },
];

/** The error a call is refused with; fails the test when it succeeds. */
function refusal(decode: () => unknown): RemoteWriteError {
  try {
    decode();
  } catch (err) {
    assert.ok(err instanceof RemoteWriteError, String(err));
    assert.match(err.message, new RegExp(`^remote-write body: at byte ${err.offset}: expected .+, found .+$`));
    return err;
  }
  assert.fail('accepted');
}

describe('decoding a WriteRequest', () => {
  it('reads a counter and a native histogram to their labels, samples and absolute bucket counts', () => {
    assert.deepEqual(decodeWriteRequest(snappyDecode(snappyLiterals(body))), expected);
  });

  it('skips metadata, exemplars and unknown fields of every wire type at every level', () => {
    const unknown = [...uint(99, 2n ** 64n - 1n), ...double(100, 1), ...fixed32(101, 7), ...str(102, 'x')];
    const noisy = Uint8Array.from([
      ...bytes(3, [...uint(1, 1), ...str(2, 'k6_requests_ok_total'), ...str(4, 'help')]),
      ...unknown,
      ...bytes(1, [
        ...bytes(1, [...str(1, '__name__'), ...fixed32(3, 1), ...str(2, 'k6_requests_ok_total')]),
        ...label('scenario', 'generate'),
        ...bytes(3, [...label('trace_id', 'abc'), ...double(2, 1), ...uint(3, T0)]),
        ...label('endpoint', '/generate'),
        ...bytes(2, [...uint(7, 5), ...double(1, 20), ...str(8, 'y'), ...uint(2, T0)]),
        ...unknown,
      ]),
      ...bytes(1, [
        ...histogramLabels,
        ...bytes(4, [...uint(14, 1), ...bytes(16, [...f64(0.1), ...f64(0.2)]), ...unknown, ...makeHistogram(unknown)]),
      ]),
    ]);
    assert.deepEqual(decodeWriteRequest(noisy), expected);
  });

  it('reads float histograms as absolute counts, and deltas that are not packed', () => {
    const floats = [
      ...double(2, 6.5),
      ...double(7, 0.5),
      ...bytes(8, span(0, 2)),
      ...bytes(10, [...f64(1.5), ...f64(0)]),
      ...bytes(11, span(1, 1)),
      ...double(13, 4.5),
    ];
    const ints = [...uint(1, 5), ...bytes(11, span(-1, 2)), ...sint(12, 1), ...sint(12, 3)];
    const [s] = decodeWriteRequest(Uint8Array.from(bytes(1, [...bytes(4, floats), ...bytes(4, ints)])));
    assert.deepEqual(
      s?.histograms.map((h) => [h.count, h.zeroCount, h.negative, h.positive]),
      [
        [6.5, 0.5, [[0, 1.5]], [[1, 4.5]]],
        [
          5,
          0,
          [],
          [
            [-1, 1],
            [0, 4],
          ],
        ],
      ],
    );
  });

  it('reads negative int64 timestamps, 64-bit zigzag deltas and UTF-8 label values exactly', () => {
    // 2^50 zigzags to 2^51, an 8-byte varint: past the 7 bytes that plain arithmetic reads.
    const h = [...bytes(11, span(0, 2)), ...sint(12, 2 ** 50), ...sint(12, 7 - 2 ** 50), ...uint(15, -1500)];
    const request = bytes(1, [...label('name', 'héllo ▁wörld 🙂'), ...bytes(2, uint(2, -1)), ...bytes(4, h)]);
    const [s] = decodeWriteRequest(Uint8Array.from(request));
    assert.deepEqual(s?.labels, { name: 'héllo ▁wörld 🙂' });
    assert.deepEqual(s?.samples, [{ value: 0, timestampMs: -1 }]);
    assert.deepEqual(s?.histograms[0]?.positive, [
      [0, 2 ** 50],
      [1, 7],
    ]);
    assert.equal(s?.histograms[0]?.timestampMs, -1500);
  });

  it('refuses a body cut inside a series, naming the byte where the missing bytes start', () => {
    const cut = body.subarray(0, body.length - 5);
    const start = bytes(1, counterSeries).length + 1 + varint(histogramSeries.length).length;
    const err = refusal(() => decodeWriteRequest(cut));
    assert.equal(err.offset, start);
    assert.equal(err.found, `${cut.length - start}`);
  });

  it('refuses a varint or a double that runs past the end of its message', () => {
    const varintCut = [...key(2, 0), 0x80];
    const err = refusal(() => decodeWriteRequest(Uint8Array.from(bytes(1, bytes(2, [...double(1, 1), ...varintCut])))));
    assert.equal(err.offset, 15);
    assert.equal(err.found, 'the end');
    const doubleCut = refusal(() => decodeWriteRequest(Uint8Array.from(bytes(1, bytes(2, [...key(1, 1), 0, 0, 0])))));
    assert.deepEqual([doubleCut.offset, doubleCut.expected, doubleCut.found], [5, '8 byte(s) of value', '3']);
  });

  it('refuses wire types 3, 4, 6 and 7, and a known field sent with the wrong one', () => {
    for (const wire of [3, 4, 6, 7]) {
      const err = refusal(() => decodeWriteRequest(Uint8Array.from([...bytes(1, label('a', 'b')), ...key(9, wire)])));
      assert.deepEqual([err.offset, err.found], [10, `${wire}`]);
    }
    const err = refusal(() => decodeWriteRequest(Uint8Array.from(bytes(1, bytes(2, uint(1, 3))))));
    assert.deepEqual([err.offset, err.expected, err.found], [4, 'value (field 1) as fixed64', 'varint']);
  });

  it('refuses spans whose lengths do not add up to the number of deltas', () => {
    const series = [...label('a', 'b'), ...bytes(4, [...bytes(11, span(0, 3)), ...bytes(12, [2, 2])])];
    const err = refusal(() => decodeWriteRequest(Uint8Array.from(bytes(1, series))));
    assert.deepEqual([err.offset, err.found], [2 + label('a', 'b').length, '2']);
  });
});

describe('snappy block decoding', () => {
  it('expands literals, copy-1, copy-2, copy-4 and an overlapping copy that repeats its own output', () => {
    const stream = [
      31, // the uncompressed length
      ...[28, ...new TextEncoder().encode('abcdefgh')], // literal of 8
      ...[5, 8], // copy-1: length 5 from 8 back, 'abcde'
      ...[22, 13, 0], // copy-2: length 6 from 13 back, 'abcdef'
      ...[4, 120, 121], // literal 'xy'
      ...[13, 2], // copy-1: length 7 from 2 back, overlapping: 'xyxyxyx'
      ...[11, 28, 0, 0, 0], // copy-4: length 3 from 28 back, 'abc'
    ];
    const out = snappyDecode(Uint8Array.from(stream));
    assert.equal(String.fromCharCode(...out), 'abcdefghabcdeabcdefxyxyxyxyxabc');
  });

  it('reads a literal length from the bytes after the tag and a copy-1 offset past 255', () => {
    const data = Uint8Array.from({ length: 300 }, (_, i) => i % 251);
    // The literal-only block without its length (2 bytes for 300), then a copy-1 of 4 bytes from 300 back.
    const literal = [...snappyLiterals(data)].slice(2);
    const out = snappyDecode(Uint8Array.from([...varint(304), ...literal, (1 << 5) | 1, 300 - 256]));
    assert.deepEqual([...out], [...data, 0, 1, 2, 3]);
  });

  it('refuses a copy offset of 0 or before the start of the output, naming the copy', () => {
    const zero = refusal(() => snappyDecode(Uint8Array.from([5, 0, 97, 1, 0])));
    assert.deepEqual(
      [zero.offset, zero.expected, zero.found],
      [3, 'a copy offset from 1 to 1 (the output so far)', '0'],
    );
    const before = refusal(() => snappyDecode(Uint8Array.from([5, 0, 97, 14, 2, 0])));
    assert.deepEqual([before.offset, before.found], [3, '2']);
  });

  it('refuses output longer or shorter than the declared length', () => {
    const longer = refusal(() => snappyDecode(Uint8Array.from([2, 0, 97, 1, 1])));
    assert.deepEqual([longer.offset, longer.found], [3, '5']);
    const shorter = refusal(() => snappyDecode(Uint8Array.from([5, 0, 97])));
    assert.deepEqual(
      [shorter.offset, shorter.expected, shorter.found],
      [3, '5 bytes of output (the declared length)', '1'],
    );
    const huge = refusal(() => snappyDecode(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0])));
    assert.equal(huge.offset, 0);
  });

  it('refuses a truncated body: a cut length, a cut literal, a cut copy offset', () => {
    assert.equal(refusal(() => snappyDecode(Uint8Array.from([0x80]))).offset, 1);
    const literal = refusal(() => snappyDecode(Uint8Array.from([4, 12, 97, 98])));
    assert.deepEqual([literal.offset, literal.expected, literal.found], [2, '4 byte(s) of a literal', '2']);
    assert.equal(refusal(() => snappyDecode(Uint8Array.from([5, 0, 97, 14, 1]))).offset, 4);
    const whole = snappyLiterals(body);
    const cut = refusal(() => snappyDecode(whole.subarray(0, whole.length - 1)));
    assert.deepEqual([cut.offset, cut.found], [whole.length - body.length, `${body.length - 1}`]);
  });
});

describe('native-histogram bucket bounds', () => {
  it('puts bucket 8 at schema 3 at 2 and bucket -1 at schema 0 at 0.5', () => {
    assert.equal(bucketUpperBound(3, 8), 2);
    assert.equal(bucketUpperBound(0, -1), 0.5);
    assert.equal(bucketUpperBound(3, -8), 0.5);
    assert.equal(bucketUpperBound(-1, 1), 4);
    assert.ok(Math.abs(bucketUpperBound(3, 1) - 2 ** (1 / 8)) < 1e-15);
  });

  it('grows by 2^(2^-schema) from one bucket to the next', () => {
    for (let i = -20; i < 20; i++) {
      assert.ok(Math.abs(bucketUpperBound(3, i + 1) / bucketUpperBound(3, i) - 2 ** (1 / 8)) < 1e-12);
    }
  });
});
