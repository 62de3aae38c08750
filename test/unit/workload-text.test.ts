import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/core/errors/ValidationError.js';
import { parseLengthSpec } from '../../src/core/workload/lengths.js';
import {
  checkPrefixFits,
  hashBlockText,
  hashIdsPrompt,
  prefixedPrompt,
  prefixGroupOf,
  prefixText,
} from '../../src/core/workload/prefix.js';
import { WORDS } from '../../src/core/workload/prompts.js';
import {
  adjustToTokens,
  CHAR_ROUNDS,
  fitToTokens,
  mixSeed,
  TokenFit,
  textForTokens,
  wordCount,
  wordText,
} from '../../src/core/workload/text.js';

/** A stand-in for a server's tokenizer: a word of more than 4 letters is 2 tokens, any other 1. */
const fakeTokenize = (text: string): number => text.split(' ').reduce((n, w) => n + (w.length > 4 ? 2 : 1), 0);

describe('deterministic text', () => {
  it('is words of the prompt-set list, the same for the same seed, and longer texts extend shorter ones', () => {
    const text = wordText(9, 40);
    assert.equal(wordCount(text), 40);
    assert.ok(text.split(' ').every((w) => WORDS.includes(w)));
    assert.equal(wordText(9, 40), text);
    assert.ok(text.startsWith(`${wordText(9, 25)} `));
    assert.notEqual(wordText(10, 40), text);
  });

  it('without a tokenizer, has the calibrated number of words for the target', () => {
    assert.equal(wordCount(textForTokens({ tokens: 300, seed: 1 })), 300);
    assert.equal(wordCount(textForTokens({ tokens: 300, seed: 1, tokensPerWord: 1.5 })), 200);
    assert.equal(wordCount(textForTokens({ tokens: 1, seed: 1, tokensPerWord: 4 })), 1);
  });

  it('adjustToTokens removes words from the end when long, adds the stream’s next ones when short', () => {
    const text = wordText(5, 100);
    const shorter = adjustToTokens(text, 150, 120, 5);
    assert.equal(wordCount(shorter), 80);
    assert.ok(text.startsWith(shorter));
    const longer = adjustToTokens(text, 100, 130, 5);
    assert.equal(wordCount(longer), 130);
    assert.ok(longer.startsWith(text));
    assert.equal(adjustToTokens(text, 120, 120, 5), text);
    assert.equal(wordCount(adjustToTokens(text, 121, 120, 5)), 99, 'at least one word of change while off');
  });

  it('converges on the tokenizer’s count in a few measurements', () => {
    for (const target of [1, 7, 50, 333, 1000, 4096]) {
      let calls = 0;
      const fitted = fitToTokens({ target, seed: target, tokenize: (t) => (calls++, fakeTokenize(t)) });
      assert.equal(fitted.tokens, fakeTokenize(fitted.text));
      assert.ok(Math.abs(fitted.tokens - target) <= 1, `target ${target}: got ${fitted.tokens}`);
      assert.ok(fitted.rounds <= 6 && calls === fitted.rounds, `target ${target}: ${fitted.rounds} rounds`);
    }
  });

  it('hits the target exactly when a word count reaches it, and starts from the calibration', () => {
    const exact = [10, 64, 500, 2048].map((target) =>
      fitToTokens({ target, seed: 3, tokensPerWord: 1.3, tokenize: fakeTokenize }),
    );
    assert.ok(
      exact.filter((f, i) => f.tokens === [10, 64, 500, 2048][i]).length >= 3,
      JSON.stringify(exact.map((f) => f.tokens)),
    );
    const calibrated = fitToTokens({ target: 1000, seed: 3, tokensPerWord: 1.35, tokenize: fakeTokenize });
    assert.ok(calibrated.rounds <= 3, `${calibrated.rounds} rounds from a good calibration`);
  });

  it('cuts inside a word when whole words cannot reach the target, so a character tokenizer is hit exactly', () => {
    const byChar = (text: string): number => text.length;
    const stream = wordText(7, 200);
    for (const target of [1, 2, 5, 16, 17, 33, 128, 500]) {
      const fitted = fitToTokens({ target, seed: 7, tokenize: byChar });
      // A text ending at a space is never sent: that one length is missed by one.
      const reachable = stream[target - 1] !== ' ';
      if (reachable) assert.equal(fitted.tokens, target, `target ${target}: ${JSON.stringify(fitted.text)}`);
      else assert.equal(Math.abs(fitted.tokens - target), 1, `target ${target}`);
      assert.ok(fitted.rounds <= 6 + CHAR_ROUNDS, `target ${target}: ${fitted.rounds} rounds`);
      assert.ok(stream.startsWith(fitted.text), 'still the start of the seed’s stream');
      assert.ok(!fitted.text.endsWith(' '), 'never ending on a space');
    }
  });

  it('TokenFit lets a caller measure each proposal itself, as a tokenizer behind the network needs', () => {
    const fit = new TokenFit({ target: 200, seed: 11 });
    const proposals: string[] = [];
    for (let text = fit.next(); text !== undefined; text = fit.next()) {
      proposals.push(text);
      fit.record(fakeTokenize(text));
    }
    const best = fit.best();
    assert.ok(proposals.includes(best.text));
    assert.ok(Math.abs(best.tokens - 200) <= 1);
    assert.equal(best.rounds, proposals.length);
    assert.deepEqual(
      best,
      fitToTokens({ target: 200, seed: 11, tokenize: fakeTokenize }),
      'the same as the synchronous fit',
    );
  });

  it('grows a text at most fourfold a step, even when the count never grows (a tokenizer that does not count)', () => {
    const fit = new TokenFit({ target: 8, seed: 3, tokensPerWord: 0.01 });
    const words: number[] = [];
    for (let text = fit.next(); text !== undefined; text = fit.next()) {
      words.push(wordCount(text));
      fit.record(1);
    }
    assert.equal(words.length, 6, 'the fit still stops after its measurements');
    for (let i = 1; i < words.length; i++) assert.ok(words[i]! <= 4 * words[i - 1]!, `step ${i}: ${words.join(', ')}`);
  });

  it('derives distinct seeds from distinct keys, and the same from the same', () => {
    const seeds = new Set<number>();
    for (let a = 0; a < 50; a++) for (let b = 0; b < 50; b++) seeds.add(mixSeed(1, a, b));
    assert.equal(seeds.size, 2500);
    assert.equal(mixSeed(1, 2, 3), mixSeed(1, 2, 3));
    assert.notEqual(mixSeed(1, 2 ** 32), mixSeed(1, 0));
  });
});

describe('shared prefixes', () => {
  const o = { prefixTokens: 50, prefixGroups: 3, seed: 8 };

  it('put request i in group i mod groups', () => {
    assert.deepEqual(
      Array.from({ length: 7 }, (_, i) => prefixGroupOf(i, 3)),
      [0, 1, 2, 0, 1, 2, 0],
    );
  });

  it('give requests of one group the same prefix text and texts of their own after it', () => {
    const a = prefixedPrompt({ index: 0, inputTokens: 80 }, o);
    const b = prefixedPrompt({ index: 3, inputTokens: 120 }, o);
    const c = prefixedPrompt({ index: 1, inputTokens: 80 }, o);
    const prefix = prefixText(0, o);
    assert.equal(wordCount(prefix), 50);
    assert.equal(a.group, 0);
    assert.equal(b.group, 0);
    assert.equal(c.group, 1);
    assert.ok(a.prompt.startsWith(`${prefix} `) && b.prompt.startsWith(`${prefix} `));
    assert.ok(!c.prompt.startsWith(prefix.split(' ').slice(0, 5).join(' ')), 'another group, another prefix');
    assert.equal(wordCount(a.prompt), 80);
    assert.equal(wordCount(b.prompt), 120);
    assert.notEqual(
      a.prompt.slice(prefix.length, prefix.length + 40),
      b.prompt.slice(prefix.length, prefix.length + 40),
    );
  });

  it('a prompt as long as the prefix is the prefix alone', () => {
    assert.equal(prefixedPrompt({ index: 4, inputTokens: 50 }, o).prompt, prefixText(1, o));
  });

  it('refuse a prefix longer than the input, naming both flags', () => {
    const names = (e: unknown): boolean =>
      e instanceof ValidationError && e.source === '--prefix-tokens' && /--input-tokens/.test(e.problems[0]!.expected);
    assert.throws(() => checkPrefixFits(600, parseLengthSpec('--input-tokens', '512')), names);
    assert.throws(() => checkPrefixFits(100, parseLengthSpec('--input-tokens', '64:1024')), names);
    assert.doesNotThrow(() => checkPrefixFits(64, parseLengthSpec('--input-tokens', '64:1024')));
    assert.doesNotThrow(() => checkPrefixFits(600, parseLengthSpec('--input-tokens', 'lognormal:1000:1')));
    assert.throws(
      () => prefixedPrompt({ index: 6, inputTokens: 30 }, o),
      (e: unknown) => names(e) && /request 7 drew 30 tokens/.test((e as ValidationError).problems[0]!.expected),
    );
  });
});

describe('Mooncake hash blocks', () => {
  const text = { seed: 4 };
  const prompt = (hashIds: number[], inputTokens: number, line = 1): string =>
    hashIdsPrompt({ ...text, hashIds, inputTokens, blockTokens: 512, source: 'trace.jsonl', line });

  it('share a block’s text exactly between requests that share its hash id', () => {
    const one = prompt([0, 1, 2], 1100);
    const two = prompt([0, 3], 700, 2);
    const three = prompt([0, 1], 1024, 3);
    const block0 = hashBlockText(0, 512, text);
    assert.equal(wordCount(one), 1100);
    assert.equal(wordCount(two), 700);
    assert.ok(one.startsWith(`${three} `), 'hash ids 0 and 1 in common: the first 1024 tokens');
    assert.ok(two.startsWith(`${block0} `) && one.startsWith(`${block0} `));
    assert.ok(!two.startsWith(three.slice(0, block0.length + 30)), 'block 3 is not block 1');
  });

  it('cut the last block to the input length, keeping the start of its full text', () => {
    assert.ok(hashBlockText(5, 512, text).startsWith(prompt([5], 100)));
    assert.equal(wordCount(prompt([5], 100)), 100);
  });

  it('give input beyond the hash ids’ blocks text of the request’s own', () => {
    const a = prompt([0], 600, 1);
    const b = prompt([0], 600, 2);
    assert.equal(wordCount(a), 600);
    assert.equal(a.slice(0, hashBlockText(0, 512, text).length), b.slice(0, hashBlockText(0, 512, text).length));
    assert.notEqual(a, b);
  });

  it('refuse more hash ids than the input length fills, naming the line and the block size', () => {
    assert.throws(
      () => prompt([0, 1, 2], 1024, 9),
      (e: unknown) =>
        e instanceof ValidationError &&
        e.source === 'trace.jsonl' &&
        e.problems[0]!.path === '/line 9/hash_ids' &&
        /at most 2 hash ids.*blocks of 512 tokens/.test(e.problems[0]!.expected) &&
        e.problems[0]!.found === '3 hash ids',
    );
  });

  it('reuse block texts from a cache when one is given', () => {
    const cache = new Map<string, string>();
    const first = hashIdsPrompt({
      ...text,
      hashIds: [7, 8],
      inputTokens: 900,
      blockTokens: 512,
      source: 't',
      line: 1,
      cache,
    });
    assert.deepEqual([...cache.keys()], ['7:512', '8:388']);
    assert.equal(
      hashIdsPrompt({ ...text, hashIds: [7, 8], inputTokens: 900, blockTokens: 512, source: 't', line: 1, cache }),
      first,
    );
  });
});
