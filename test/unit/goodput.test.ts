import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/core/errors/ValidationError.js';
import {
  checkGoodputFor,
  goodputMiss,
  goodputSummary,
  goodputText,
  isGood,
  meanItlMs,
  meetsBound,
  parseGoodput,
} from '../../src/core/rules/goodput.js';

const objectives = parseGoodput('--goodput', 'ttft<500,itl<50,e2e<5000');
const fine = { failed: false, ttft: 120, itl: 20, e2e: 900 };

describe('a goodput spec (--goodput)', () => {
  it('reads objectives in ms, strict or inclusive, with blanks and a unit allowed', () => {
    assert.deepEqual(parseGoodput('--goodput', ' ttft < 500 ms, itl<=50.5 ,e2e<5e3'), [
      { metric: 'ttft', boundMs: 500, inclusive: false, text: 'ttft<500ms' },
      { metric: 'itl', boundMs: 50.5, inclusive: true, text: 'itl<=50.5ms' },
      { metric: 'e2e', boundMs: 5000, inclusive: false, text: 'e2e<5000ms' },
    ]);
    assert.deepEqual(parseGoodput('--goodput', 'latency<200'), [
      { metric: 'latency', boundMs: 200, inclusive: false, text: 'latency<200ms' },
    ]);
    assert.equal(goodputText(objectives), 'ttft<500ms, itl<50ms, e2e<5000ms');
  });

  const bad: Array<[string, RegExp]> = [
    ['', /a metric, '<' or '<='/],
    ['ttft', /a metric, '<' or '<='/],
    ['ttft>500', /a metric, '<' or '<='/],
    ['tpot<50', /a metric ttft, itl or e2e \(streams\) or latency \(request endpoints\)/],
    ['p95<500', /a metric ttft, itl or e2e/],
    ['ttft<', /greater than 0/],
    ['ttft<0', /greater than 0/],
    ['ttft<-5', /greater than 0/],
    ['ttft<abc', /greater than 0/],
    ['ttft<5s', /greater than 0/],
    ['ttft<1e999', /greater than 0/],
    ['ttft<500,', /a metric, '<' or '<='/],
  ];
  for (const [spec, expected] of bad) {
    it(`refuses '${spec}', naming the flag, the item and what is allowed`, () => {
      assert.throws(
        () => parseGoodput('--goodput', spec),
        (err: unknown) =>
          err instanceof ValidationError &&
          err.source === '--goodput' &&
          err.exitCode === 2 &&
          expected.test(err.problems[0]!.expected),
      );
    });
  }

  it('refuses a metric bounded twice, and names every bad item at once', () => {
    assert.throws(
      () => parseGoodput('--goodput', 'ttft<500,itl<x,ttft<=300'),
      (err: unknown) =>
        err instanceof ValidationError &&
        err.problems.length === 2 &&
        err.problems[0]!.found === "'itl<x'" &&
        err.problems[1]!.found === "'ttft<=300'" &&
        /each metric once \(ttft is bounded twice\)/.test(err.problems[1]!.expected),
    );
  });

  it('fits the endpoint: stream figures for streams, latency for requests', () => {
    checkGoodputFor('--goodput', objectives, true);
    checkGoodputFor('--goodput', parseGoodput('--goodput', 'latency<100'), false);
    assert.throws(
      () => checkGoodputFor('--goodput', parseGoodput('--goodput', 'latency<100,ttft<50'), true),
      (err: unknown) =>
        err instanceof ValidationError && err.problems.length === 1 && err.problems[0]!.found === "'latency<100ms'",
    );
    assert.throws(
      () => checkGoodputFor('--goodput', objectives, false),
      (err: unknown) =>
        err instanceof ValidationError &&
        err.problems.length === 3 &&
        /latency for a request endpoint/.test(err.problems[0]!.expected),
    );
  });
});

describe('a good request', () => {
  it('meets every objective', () => {
    assert.equal(isGood(objectives, fine), true);
    assert.equal(goodputMiss(objectives, fine), null);
  });

  it('is not good when it breaks any one objective, which is named', () => {
    assert.equal(isGood(objectives, { ...fine, ttft: 501 }), false);
    assert.equal(isGood(objectives, { ...fine, itl: 50 }), false, 'a strict bound: equal breaks it');
    assert.equal(goodputMiss(objectives, { ...fine, e2e: 6000 }), 'e2e 6000.00 ms breaks e2e<5000ms');
  });

  it("meets an inclusive bound with a figure equal to it (the sweep's comparison is the same function)", () => {
    assert.equal(isGood(parseGoodput('--goodput', 'itl<=50'), { failed: false, itl: 50 }), true);
    assert.equal(meetsBound({ boundMs: 50, inclusive: false }, 50), false);
    assert.equal(meetsBound({ boundMs: 50, inclusive: true }, 50), true);
  });

  it('is not good when a figure an objective needs is missing', () => {
    assert.equal(isGood(objectives, { failed: false, ttft: 100, e2e: 200 }), false);
    assert.equal(isGood(objectives, { ...fine, itl: null }), false);
    assert.equal(
      goodputMiss(objectives, { failed: false, ttft: 100, itl: NaN, e2e: 200 }),
      'no itl measured for itl<50ms',
    );
  });

  it('is never a failed request, however fast', () => {
    assert.equal(isGood(objectives, { ...fine, failed: true }), false);
    assert.equal(isGood([], { failed: true }), false);
    assert.equal(goodputMiss(objectives, { ...fine, failed: true }), 'failed');
  });

  it('with no objective, is every request that did not fail', () => {
    assert.equal(isGood([], { failed: false }), true);
  });

  it("has a stream's inter-token latency as its mean gap between tokens", () => {
    assert.equal(meanItlMs(100, 1000, 10), 100);
    assert.equal(meanItlMs(100, 100, 1), null);
  });
});

describe('the goodput of a window', () => {
  it('counts good requests among all, per second, with their output tokens per second', () => {
    const summary = goodputSummary({
      objectives,
      durationSec: 4,
      requests: [
        { ...fine, outputTokens: 10 },
        { ...fine, outputTokens: 30 },
        { ...fine, ttft: 900, outputTokens: 40 },
        { failed: true, outputTokens: 0 },
        { ...fine, outputTokens: 2 },
      ],
    });
    assert.deepEqual(summary, { good: 3, total: 5, share: 3 / 5, rate: 3 / 4, tokensPerSec: 42 / 4 });
  });

  it('has no token rate when a good request has no token count, as for tokenize', () => {
    const requests = [
      { failed: false, latency: 10 },
      { failed: false, latency: 900 },
    ];
    assert.deepEqual(
      goodputSummary({ objectives: parseGoodput('--goodput', 'latency<100'), durationSec: 2, requests }),
      {
        good: 1,
        total: 2,
        share: 0.5,
        rate: 0.5,
        tokensPerSec: null,
      },
    );
  });

  it('has no share without requests and no rates without a window', () => {
    assert.deepEqual(goodputSummary({ objectives, durationSec: 0, requests: [] }), {
      good: 0,
      total: 0,
      share: null,
      rate: null,
      tokensPerSec: null,
    });
  });
});
