import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/core/errors/ValidationError.js';
import {
  describeLengthSpec,
  formatLengthSpec,
  lengthBounds,
  MAX_LENGTH_TOKENS,
  parseLengthSpec,
  sampleLengths,
} from '../../src/core/workload/lengths.js';

const N = 100_000;
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describe('length specs', () => {
  it('a fixed N gives N every time', () => {
    const spec = parseLengthSpec('--input-tokens', '128');
    assert.deepEqual(spec, { kind: 'fixed', tokens: 128 });
    assert.deepEqual(new Set(sampleLengths(spec, 1, 1000)), new Set([128]));
  });

  it('MIN:MAX draws every whole count in the range about equally often, and nothing outside it', () => {
    const spec = parseLengthSpec('--input-tokens', '10:19');
    const draws = sampleLengths(spec, 7, N);
    const counts = new Map<number, number>();
    for (const d of draws) counts.set(d, (counts.get(d) ?? 0) + 1);
    assert.deepEqual(
      [...counts.keys()].sort((a, b) => a - b),
      [10, 11, 12, 13, 14, 15, 16, 17, 18, 19],
    );
    for (const [n, c] of counts) assert.ok(Math.abs(c / N - 0.1) < 0.01, `${n} drawn ${c} times of ${N}`);
    assert.ok(Math.abs(mean(draws) - 14.5) < 0.05);
  });

  it('lognormal:MEAN:SPREAD has mean MEAN, median MEAN·e^(−σ²/2) and σ as the σ of ln tokens', () => {
    const draws = sampleLengths(parseLengthSpec('--input-tokens', 'lognormal:200:0.5'), 3, N);
    assert.ok(Math.abs(mean(draws) / 200 - 1) < 0.02, `mean ${mean(draws)}`);
    const expectedMedian = 200 * Math.exp(-0.125);
    assert.ok(
      Math.abs(median(draws) / expectedMedian - 1) < 0.02,
      `median ${median(draws)}, expected about ${expectedMedian}`,
    );
    const logs = draws.map(Math.log);
    const m = mean(logs);
    const sd = Math.sqrt(mean(logs.map((l) => (l - m) ** 2)));
    assert.ok(Math.abs(sd - 0.5) < 0.02, `σ of ln ${sd}`);
  });

  it('a log-normal draw is at least 1 and at most MAX', () => {
    const draws = sampleLengths(parseLengthSpec('--output-tokens', 'lognormal:3:2.5:40'), 5, N);
    assert.equal(Math.min(...draws), 1);
    assert.equal(Math.max(...draws), 40);
    assert.ok(draws.every((d) => Number.isInteger(d)));
  });

  it('the same spec and seed give the same sequence; another seed another', () => {
    for (const text of ['10:500', 'lognormal:300:1', 'lognormal:300:1:900']) {
      const spec = parseLengthSpec('--input-tokens', text);
      assert.deepEqual(sampleLengths(spec, 42, 500), sampleLengths(spec, 42, 500), text);
      assert.notDeepEqual(sampleLengths(spec, 42, 500), sampleLengths(spec, 43, 500), text);
    }
  });

  it('formats back to the text it was parsed from, and describes itself for a report', () => {
    for (const text of ['64', '32:256', 'lognormal:200:0.5', 'lognormal:200.5:1:4096'])
      assert.equal(formatLengthSpec(parseLengthSpec('--input-tokens', text)), text);
    assert.equal(describeLengthSpec(parseLengthSpec('--x', '32:256')), 'uniform 32–256 tokens');
    assert.equal(
      describeLengthSpec(parseLengthSpec('--x', 'lognormal:200:0.5:900')),
      'log-normal, mean 200 tokens, σ 0.5, at most 900',
    );
    assert.deepEqual(lengthBounds(parseLengthSpec('--x', 'lognormal:200:0.5')), { min: 1, max: MAX_LENGTH_TOKENS });
  });

  const bad: [string, RegExp][] = [
    ['', /N, MIN:MAX or lognormal:MEAN:SPREAD\[:MAX\]/],
    ['abc', /N, MIN:MAX or lognormal/],
    ['0', /N a whole number of tokens from 1/],
    ['-5', /N, MIN:MAX or lognormal/],
    ['12.5', /N, MIN:MAX or lognormal/],
    ['99999999', /N a whole number of tokens from 1 to 2000000/],
    ['300:200', /MIN:MAX with MIN ≤ MAX/],
    ['0:10', /MIN a whole number/],
    ['10:', /MAX a whole number/],
    ['1:2:3', /N, MIN:MAX or lognormal/],
    ['lognormal:200', /lognormal:MEAN:SPREAD or lognormal:MEAN:SPREAD:MAX/],
    ['lognormal:0.5:1', /MEAN \(mean tokens\) a number from 1/],
    ['lognormal:x:1', /MEAN \(mean tokens\)/],
    ['lognormal:200:-1', /SPREAD \(σ of ln tokens\) a number from 0 to 3/],
    ['lognormal:200:4', /SPREAD/],
    ['lognormal:200:1:100', /MAX at least MEAN/],
    ['lognormal:200:1:1.5', /MAX a whole number/],
    ['normal:200:1', /N, MIN:MAX or lognormal/],
  ];
  for (const [text, expected] of bad)
    it(`refuses '${text}', naming the flag, the forms expected and the text found`, () => {
      assert.throws(
        () => parseLengthSpec('--input-tokens', text),
        (e: unknown) =>
          e instanceof ValidationError &&
          e.source === '--input-tokens' &&
          e.exitCode === 2 &&
          expected.test(e.problems[0]!.expected) &&
          e.problems[0]!.found === `'${text}'`,
      );
    });
});
