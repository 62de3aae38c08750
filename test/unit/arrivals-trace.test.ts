import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseTimeScale, parseTraceLimit, traceSchedule, type TraceRecord } from '../../src/core/arrivals/trace.js';
import { ValidationError } from '../../src/core/errors/ValidationError.js';
import { parseAzureTimestamp as parseOrNot } from '../../src/core/data/azure.js';

/** The reader's parser: undefined for text that is no such time (the reader names the line). */
const parseAzureTimestamp = (text: string): number => {
  const ms = parseOrNot(text);
  if (ms === undefined) throw new ValidationError('TIMESTAMP', [{ path: '', expected: 'a time', found: text }]);
  return ms;
};

const records = (...timestamps: Array<number | undefined>): TraceRecord[] =>
  timestamps.map((timestampMs, i) => (timestampMs === undefined ? { line: i + 1 } : { line: i + 1, timestampMs }));
const all = { source: 'trace.jsonl', timeScale: 1, limit: null };

/** A ValidationError from `source` whose problems are at these paths. */
const refusal = (source: string, paths: string[], expected?: RegExp) => (err: unknown) =>
  err instanceof ValidationError &&
  err.source === source &&
  err.exitCode === 2 &&
  assert.deepEqual(
    err.problems.map((p) => p.path),
    paths,
  ) === undefined &&
  (expected === undefined || err.problems.every((p) => expected.test(p.expected)));

describe('a trace replayed as a schedule', () => {
  it('puts the first record at 0 and the others at their distance from it', () => {
    assert.deepEqual(traceSchedule(records(27_000, 27_000, 27_500, 30_000), all), [0, 0, 500, 3000]);
  });

  it('divides the recorded gaps by --time-scale', () => {
    assert.deepEqual(traceSchedule(records(1000, 1500, 3000), { ...all, timeScale: 10 }), [0, 50, 200]);
    assert.deepEqual(traceSchedule(records(0, 100), { ...all, timeScale: 0.5 }), [0, 200]);
  });

  it('takes only the first --trace-limit records, and does not judge the rest', () => {
    assert.deepEqual(traceSchedule(records(0, 10, 20, 5, undefined), { ...all, limit: 3 }), [0, 10, 20]);
    assert.deepEqual(traceSchedule(records(0, 10), { ...all, limit: 50 }), [0, 10]);
  });

  it('refuses a record without a timestamp, naming the file and the line', () => {
    assert.throws(
      () => traceSchedule(records(0, undefined, 20), all),
      refusal('trace.jsonl', ['/line 2'], /timestamp/),
    );
  });

  it('refuses timestamps that go backwards, naming each line and the one before it', () => {
    assert.throws(
      () => traceSchedule(records(100, 200, 150, 300, 250), all),
      (err: unknown) =>
        refusal('trace.jsonl', ['/line 3', '/line 5'])(err) &&
        /line 2's \(200 ms\)/.test((err as ValidationError).problems[0]!.expected) &&
        (err as ValidationError).problems[0]!.found === '150 ms',
    );
  });

  it('refuses an empty trace', () => {
    assert.throws(() => traceSchedule([], all), refusal('trace.jsonl', ['']));
  });

  it('names at most five problems of a bad file', () => {
    assert.throws(
      () => traceSchedule(records(...Array.from({ length: 9 }, () => undefined)), { ...all, source: 'azure.csv' }),
      refusal('azure.csv', ['/line 1', '/line 2', '/line 3', '/line 4', '/line 5']),
    );
  });
});

describe('--time-scale and --trace-limit', () => {
  it('read a positive number and a whole number of at least 1', () => {
    assert.equal(parseTimeScale('--time-scale', '10'), 10);
    assert.equal(parseTimeScale('--time-scale', '0.25'), 0.25);
    assert.equal(parseTraceLimit('--trace-limit', '1'), 1);
    assert.equal(parseTraceLimit('--trace-limit', '5000'), 5000);
  });

  for (const bad of ['0', '-2', 'fast', '', 'Infinity', '1e999']) {
    it(`--time-scale refuses '${bad}', naming the flag`, () => {
      assert.throws(() => parseTimeScale('--time-scale', bad), refusal('--time-scale', [''], /greater than 0/));
    });
  }

  for (const bad of ['0', '-1', '2.5', 'all', '']) {
    it(`--trace-limit refuses '${bad}', naming the flag`, () => {
      assert.throws(() => parseTraceLimit('--trace-limit', bad), refusal('--trace-limit', [''], /whole number/));
    });
  }
});

describe("Azure's TIMESTAMP", () => {
  it('reads the space form with 7 fractional digits, as UTC', () => {
    assert.equal(parseAzureTimestamp('2023-11-16 18:15:46.6805900'), Date.UTC(2023, 10, 16, 18, 15, 46) + 680.59);
  });

  it('keeps sub-millisecond distances between records (to a microsecond: epoch ms in a double)', () => {
    const a = parseAzureTimestamp('2023-11-16 18:15:46.6805900');
    const b = parseAzureTimestamp('2023-11-16 18:15:46.6806150');
    assert.ok(Math.abs(b - a - 0.025) < 1e-3, `${b - a}`);
  });

  it('reads fewer digits, none, the T form and a trailing Z', () => {
    const base = Date.UTC(2024, 4, 10, 0, 0, 1);
    assert.equal(parseAzureTimestamp('2024-05-10 00:00:01'), base);
    assert.equal(parseAzureTimestamp('2024-05-10 00:00:01.5'), base + 500);
    assert.equal(parseAzureTimestamp('2024-05-10T00:00:01.125Z'), base + 125);
    assert.equal(parseAzureTimestamp(' 2024-05-10 00:00:01.000 '), base, 'surrounding blanks, as a CSV cell may have');
  });

  it('counts across midnight, month ends and a leap day', () => {
    assert.equal(
      parseAzureTimestamp('2024-03-01 00:00:00') - parseAzureTimestamp('2024-02-28 23:59:59.5'),
      86_400_000 + 500,
    );
  });

  for (const bad of [
    '',
    'yesterday',
    '2023-11-16',
    '2023-13-01 00:00:00',
    '2023-02-30 00:00:00',
    '2023-11-16 24:00:00',
    '2023-11-16 18:61:00',
    '1700000000',
  ]) {
    it(`refuses '${bad}'`, () => {
      assert.equal(parseOrNot(bad), undefined);
    });
  }
});
