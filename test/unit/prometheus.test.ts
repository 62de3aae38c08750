/**
 * The Prometheus text parser against real scrapes of Realizar 0.8.6 and against the corners of the
 * 0.0.4 format that a real server may write: escaped label values, NaN and infinities, timestamps,
 * and malformed lines, which must be refused with their line number.
 *
 * The two fixtures are real GET /metrics answers of `realizar serve --demo` (0.8.6):
 * realizar-metrics-before.txt right after start, realizar-metrics.txt after three
 * POST /generate {"prompt":"Hello","max_tokens":5,"strategy":"greedy"} (200 each) and one with
 * "strategy":"bogus" (400 "Invalid strategy: bogus").
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { PrometheusParseError } from '../../src/core/errors/PrometheusParseError.js';
import {
  deltas,
  metricValue,
  parsePrometheusExposition,
  parsePrometheusText,
  type Sample,
} from '../../src/core/scrape/prometheus.js';

const FIXTURES = path.resolve(import.meta.dirname, '..', 'fixtures');
const realAfter = readFileSync(path.join(FIXTURES, 'realizar-metrics.txt'), 'utf8');
const realBefore = readFileSync(path.join(FIXTURES, 'realizar-metrics-before.txt'), 'utf8');

/** The error a text is refused with; fails the test when it is accepted. */
function refusal(text: string): PrometheusParseError {
  try {
    parsePrometheusText(text, 'http://127.0.0.1:8080/metrics');
  } catch (err) {
    assert.ok(err instanceof PrometheusParseError, String(err));
    return err;
  }
  assert.fail(`accepted: ${JSON.stringify(text)}`);
}

const byName = (samples: readonly Sample[]): Record<string, number> =>
  Object.fromEntries(samples.map((s) => [s.name, s.value]));

describe('parsing a real Realizar 0.8.6 scrape', () => {
  it('reads every sample line of the fixture, with its value, no labels and no timestamp', () => {
    const doc = parsePrometheusExposition(realAfter);
    const sampleLines = realAfter.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
    assert.equal(doc.samples.length, sampleLines.length);
    assert.equal(doc.samples.length, 10);
    assert.deepEqual(byName(doc.samples), {
      realizar_requests_total: 3,
      realizar_requests_successful: 3,
      realizar_requests_failed: 0,
      realizar_tokens_generated: 15,
      realizar_inference_time_seconds: 0.002654,
      realizar_requests_per_second: 1.32,
      realizar_tokens_per_second: 6.61,
      realizar_avg_latency_ms: 0.88,
      realizar_error_rate: 0,
      realizar_uptime_seconds: 2,
    });
    for (const s of doc.samples) {
      assert.deepEqual(s.labels, {}, s.name);
      assert.equal(s.timestampMs, undefined, s.name);
    }
  });

  it('reads the scrape taken right after start: the same ten series, all zero but the uptime', () => {
    const samples = parsePrometheusText(realBefore);
    assert.deepEqual(
      samples.map((s) => s.name),
      parsePrometheusText(realAfter).map((s) => s.name),
    );
    for (const s of samples) {
      if (s.name !== 'realizar_uptime_seconds') assert.equal(s.value, 0, s.name);
    }
  });

  it('reads the # TYPE and # HELP of every family', () => {
    const doc = parsePrometheusExposition(realAfter);
    assert.deepEqual(doc.types, {
      realizar_requests_total: 'counter',
      realizar_requests_successful: 'counter',
      realizar_requests_failed: 'counter',
      realizar_tokens_generated: 'counter',
      realizar_inference_time_seconds: 'counter',
      realizar_requests_per_second: 'gauge',
      realizar_tokens_per_second: 'gauge',
      realizar_avg_latency_ms: 'gauge',
      realizar_error_rate: 'gauge',
      realizar_uptime_seconds: 'counter',
    });
    assert.equal(doc.help.realizar_requests_total, 'Total number of requests');
    assert.equal(doc.help.realizar_error_rate, 'Error rate (0.0-1.0)');
    // Every sample belongs to a family that declared its type: nothing was skipped or misnamed.
    assert.deepEqual(Object.keys(doc.types).sort(), doc.samples.map((s) => s.name).sort());
  });

  it('shows which counters the requests moved: the three generations, not the rejected one', () => {
    const names = [
      'realizar_requests_total',
      'realizar_requests_successful',
      'realizar_requests_failed',
      'realizar_tokens_generated',
      'realizar_error_rate',
    ];
    const d = deltas(parsePrometheusText(realBefore), parsePrometheusText(realAfter), names);
    assert.deepEqual(d, {
      realizar_requests_total: 3,
      realizar_requests_successful: 3,
      // Realizar 0.8.6 rejects an invalid strategy before it counts a request: the 400 shows in no counter.
      realizar_requests_failed: 0,
      // 3 generations × max_tokens 5.
      realizar_tokens_generated: 15,
      realizar_error_rate: 0,
    });
    const inference = deltas(parsePrometheusText(realBefore), parsePrometheusText(realAfter), [
      'realizar_inference_time_seconds',
    ]);
    assert.ok((inference.realizar_inference_time_seconds ?? 0) > 0);
  });
});

describe('parsing the corners of the text format', () => {
  it('unescapes \\\\, \\" and \\n in label values and keeps everything else verbatim', () => {
    const [s] = parsePrometheusText(
      String.raw`http_requests_total{path="C:\\tmp\\x",msg="say \"hi\"\nbye",empty="",braces="{a=b, c}"} 7` + '\n',
    );
    assert.deepEqual(s, {
      name: 'http_requests_total',
      labels: { path: 'C:\\tmp\\x', msg: 'say "hi"\nbye', empty: '', braces: '{a=b, c}' },
      value: 7,
    });
  });

  it('accepts blanks around labels, a trailing comma and an empty label set', () => {
    const samples = parsePrometheusText(['a { x = "1" , y="2", } 1', 'b{} 2', '\ta_b:c\t3'].join('\n'));
    assert.deepEqual(samples, [
      { name: 'a', labels: { x: '1', y: '2' }, value: 1 },
      { name: 'b', labels: {}, value: 2 },
      { name: 'a_b:c', labels: {}, value: 3 },
    ]);
  });

  it('reads NaN, +Inf, -Inf, exponents, signs and timestamps', () => {
    const samples = parsePrometheusText(
      [
        'm{k="nan"} NaN',
        'm{k="pinf"} +Inf',
        'm{k="ninf"} -Inf',
        'm{k="inf"} Inf',
        'm{k="exp"} 1.5e3',
        'm{k="neg"} -0.25',
        'm{k="ts"} 4 1700000000123',
        'm{k="negts"} 5 -1',
      ].join('\n'),
    );
    const v = Object.fromEntries(samples.map((s) => [s.labels.k, s]));
    assert.ok(Number.isNaN(v.nan?.value));
    assert.equal(v.pinf?.value, Infinity);
    assert.equal(v.ninf?.value, -Infinity);
    assert.equal(v.inf?.value, Infinity);
    assert.equal(v.exp?.value, 1500);
    assert.equal(v.neg?.value, -0.25);
    assert.equal(v.ts?.timestampMs, 1700000000123);
    assert.equal(v.negts?.timestampMs, -1);
    assert.equal(v.exp?.timestampMs, undefined);
  });

  it('reads a histogram as flat samples, le="+Inf" being a label like any other', () => {
    const doc = parsePrometheusExposition(
      [
        '# HELP latency_seconds Request latency.',
        '# TYPE latency_seconds histogram',
        'latency_seconds_bucket{le="0.1"} 3',
        'latency_seconds_bucket{le="+Inf"} 5',
        'latency_seconds_sum 0.9',
        'latency_seconds_count 5',
      ].join('\n'),
    );
    assert.equal(doc.types.latency_seconds, 'histogram');
    assert.equal(metricValue(doc.samples, 'latency_seconds_bucket', { le: '+Inf' }), 5);
    assert.equal(metricValue(doc.samples, 'latency_seconds_count'), 5);
  });

  it('ignores blank lines, plain comments and CRLF line ends, and unescapes # HELP text', () => {
    const doc = parsePrometheusExposition(
      ['', '# a plain comment', '   ', '# HELP up Is it up?\\nYes \\\\ no', '# TYPE up gauge', 'up 1', '', ''].join(
        '\r\n',
      ),
    );
    assert.deepEqual(doc.samples, [{ name: 'up', labels: {}, value: 1 }]);
    assert.equal(doc.help.up, 'Is it up?\nYes \\ no');
    assert.deepEqual(parsePrometheusText(''), []);
  });

  it('keeps a label named __proto__ as a label', () => {
    const [s] = parsePrometheusText('m{__proto__="x"} 1');
    assert.deepEqual(Object.keys(s?.labels ?? {}), ['__proto__']);
    // An object literal's __proto__ sets the prototype; fromEntries makes it a real key.
    assert.equal(
      metricValue(parsePrometheusText('m{__proto__="x"} 1'), 'm', Object.fromEntries([['__proto__', 'x']])),
      1,
    );
    assert.equal(
      metricValue(parsePrometheusText('m{__proto__="x"} 1'), 'm', Object.fromEntries([['__proto__', 'y']])),
      null,
    );
  });
});

describe('refusing malformed lines', () => {
  it('names the line number, the line and the source', () => {
    const err = refusal(['# TYPE up gauge', 'up 1', 'broken{job="a" 1', 'up 2'].join('\n'));
    assert.equal(err.line, 3);
    assert.equal(err.content, 'broken{job="a" 1');
    assert.equal(err.source, 'http://127.0.0.1:8080/metrics');
    assert.match(err.message, /^http:\/\/127\.0\.0\.1:8080\/metrics: line 3: /);
    assert.ok(err.message.includes(JSON.stringify('broken{job="a" 1')), err.message);
  });

  it('counts blank and comment lines in the line number', () => {
    assert.equal(refusal(['', '# HELP x y', '', 'x'].join('\n')).line, 4);
  });

  const cases: [string, string, RegExp][] = [
    ['a metric without a value', 'up', /expected a value after up/],
    ['a value that is not a number', 'up one', /expected a number.*found "one"/],
    ['a hexadecimal value', 'up 0x1', /expected a number/],
    ['a name starting with a digit', '1up 1', /expected a metric name/],
    ['an unterminated label value', 'up{job="a} 1', /closing "/],
    ['a label without quotes', 'up{job=a} 1', /quoted value for label job/],
    ['an unknown escape', String.raw`up{job="a\tb"} 1`, /expected \\\\, \\" or \\n/],
    ['a duplicated label', 'up{a="1",a="2"} 1', /label a appears twice/],
    ['a missing comma between labels', 'up{a="1" b="2"} 1', /expected , or \}/],
    ['a fractional timestamp', 'up 1 1.5', /timestamp in whole milliseconds/],
    ['a token after the timestamp', 'up 1 2 3', /end of the line after the timestamp/],
    ['no blank before the value', 'up{a="1"}1', /expected a blank before the value/],
    ['an unknown # TYPE', '# TYPE up meter', /expected counter, gauge, histogram, summary or untyped/],
    ['a # TYPE without a type', '# TYPE up', /found the end of the line/],
    ['a # HELP without a name', '# HELP', /expected a metric name after # HELP/],
  ];
  for (const [what, line, reason] of cases) {
    it(`refuses ${what}`, () => {
      const err = refusal(`ok 1\n${line}\n`);
      assert.equal(err.line, 2);
      assert.equal(err.content, line);
      assert.match(err.reason, reason);
    });
  }
});

describe('values and deltas across scrapes', () => {
  const before = parsePrometheusText(
    [
      'requests_total{endpoint="generate",status="200"} 10',
      'requests_total{endpoint="tokenize",status="200"} 5',
      'requests_total{endpoint="generate",status="500"} 1',
      'restarts 4',
    ].join('\n'),
  );
  const after = parsePrometheusText(
    [
      'requests_total{endpoint="generate",status="200"} 110',
      'requests_total{endpoint="tokenize",status="200"} 55',
      'requests_total{endpoint="generate",status="500"} 3',
      'restarts 1',
      'only_after 9',
    ].join('\n'),
  );

  it('sums the series that carry every label asked for', () => {
    assert.equal(metricValue(after, 'requests_total'), 168);
    assert.equal(metricValue(after, 'requests_total', { endpoint: 'generate' }), 113);
    assert.equal(metricValue(after, 'requests_total', { endpoint: 'generate', status: '500' }), 3);
  });

  it('answers null, not 0, when no series matches', () => {
    assert.equal(metricValue(after, 'absent'), null);
    assert.equal(metricValue(after, 'requests_total', { endpoint: 'batch' }), null);
  });

  it('gives after minus before per name, null when either scrape lacks it, negative after a reset', () => {
    assert.deepEqual(deltas(before, after, ['requests_total', 'only_after', 'absent', 'restarts']), {
      requests_total: 152,
      only_after: null,
      absent: null,
      restarts: -3,
    });
  });
});
