import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/core/errors/ValidationError.js';
import {
  groupConversations,
  recordTurn,
  startConversation,
  turnMessages,
} from '../../src/core/workload/conversation.js';
import { readDataset } from '../../src/core/data/dataset.js';
import { parseLengthSpec } from '../../src/core/workload/lengths.js';
import { hashBlockText } from '../../src/core/workload/prefix.js';
import { syntheticItems, withPrompts, type SyntheticOptions } from '../../src/core/workload/synthetic.js';
import { mixSeed, wordCount } from '../../src/core/workload/text.js';

const DIR = path.join(import.meta.dirname, '..', 'fixtures', 'workloads');
const fixture = (name: string): string => readFileSync(path.join(DIR, name), 'utf8');

describe('a conversation', () => {
  it('sends the system prefix, every earlier turn with the reply actually received, then the new message', () => {
    const start = startConversation('c1', 'You are terse.');
    assert.deepEqual(turnMessages(start, 'Hi'), [
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'Hi' },
    ]);
    const after1 = recordTurn(start, 'Hi', 'Hello (as the server said it)');
    const after2 = recordTurn(after1, 'Weather?', 'Sunny, per the server');
    assert.deepEqual(turnMessages(after2, 'Thanks'), [
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello (as the server said it)' },
      { role: 'user', content: 'Weather?' },
      { role: 'assistant', content: 'Sunny, per the server' },
      { role: 'user', content: 'Thanks' },
    ]);
    assert.equal(after2.turns, 2);
    assert.deepEqual(start.history, [], 'a recorded turn leaves the earlier state as it was');
    assert.deepEqual(turnMessages(startConversation('c2'), 'Hi'), [{ role: 'user', content: 'Hi' }]);
  });

  it('driven by a dataset’s turns, holds the server’s replies and not the dataset’s', () => {
    const { items } = readDataset(fixture('sharegpt.json'), 'sharegpt.json', { turns: true });
    const [conversation] = groupConversations(items);
    assert.equal(conversation!.id, 'conv-a');
    let state = startConversation(conversation!.id);
    const sent: number[] = [];
    for (const turn of conversation!.turns) {
      const messages = turnMessages(state, turn.prompt!);
      sent.push(messages.length);
      const reply = `reply ${state.turns + 1} to ${messages.length} messages`; // the stand-in server's answer
      state = recordTurn(state, turn.prompt!, reply);
    }
    assert.deepEqual(sent, [1, 3]);
    assert.deepEqual(
      state.history.map((m) => m.content),
      ['How do I boil an egg?', 'reply 1 to 1 messages', 'And a soft one?', 'reply 2 to 3 messages'],
    );
  });

  it('groups a file’s turns by conversation in turn order, leaving single requests out', () => {
    const { items } = readDataset(fixture('workload.jsonl'), 'workload.jsonl');
    const conversations = groupConversations([...items].reverse());
    assert.deepEqual(
      conversations.map((c) => [c.id, c.turns.map((t) => t.turn)]),
      [['trip', [1, 2, 4]]],
    );
  });
});

describe('generated workloads', () => {
  const base: SyntheticOptions = { count: 40, seed: 7, input: parseLengthSpec('--input-tokens', '40:120') };

  it('draw each request’s input length from the spec and give it a prompt of that length', () => {
    const items = syntheticItems(base);
    assert.equal(items.length, 40);
    for (const item of items) {
      assert.ok(item.inputTokens! >= 40 && item.inputTokens! <= 120);
      assert.equal(wordCount(item.prompt!), item.inputTokens);
      assert.equal(item.outputTokens, undefined);
    }
    assert.equal(
      new Set(items.map((i) => i.prompt!.split(' ').slice(0, 8).join(' '))).size,
      40,
      'no two share a start',
    );
  });

  it('share a prefix within each group, and draw output lengths without changing the prompts', () => {
    const prefixed = syntheticItems({ ...base, prefix: { tokens: 30, groups: 4 } });
    const starts = prefixed.map((i) => i.prompt!.split(' ').slice(0, 30).join(' '));
    assert.equal(new Set(starts).size, 4);
    prefixed.forEach((item, i) => assert.equal(item.prefixGroup, i % 4));
    assert.equal(starts[0], starts[4]);
    const withOutput = syntheticItems({
      ...base,
      prefix: { tokens: 30, groups: 4 },
      output: parseLengthSpec('--output-tokens', '16'),
    });
    assert.deepEqual(
      withOutput.map((i) => i.prompt),
      prefixed.map((i) => i.prompt),
    );
    assert.ok(withOutput.every((i) => i.outputTokens === 16));
  });

  it('with turns, make conversations whose first turn opens with the group’s prefix', () => {
    const items = syntheticItems({ ...base, count: 10, turns: 4, prefix: { tokens: 30, groups: 2 } });
    assert.deepEqual(
      items.map((i) => `${i.conversationId}/${i.turn}/${i.prefixGroup}`),
      ['c1/1/0', 'c1/2/0', 'c1/3/0', 'c1/4/0', 'c2/1/1', 'c2/2/1', 'c2/3/1', 'c2/4/1', 'c3/1/0', 'c3/2/0'],
    );
    const prefixOf = (k: number): string => items[k]!.prompt!.split(' ').slice(0, 30).join(' ');
    assert.equal(prefixOf(0), prefixOf(8));
    assert.notEqual(prefixOf(0), prefixOf(4));
    assert.notEqual(prefixOf(1), prefixOf(0), 'later turns carry the prefix in their history, not again');
  });

  it('are byte-identical for the same options and seed, in the same order, and differ for another seed', () => {
    const tokenize = (text: string): number => text.split(' ').reduce((n, w) => n + (w.length > 4 ? 2 : 1), 0);
    const options: SyntheticOptions = {
      ...base,
      input: parseLengthSpec('--input-tokens', 'lognormal:100:0.6:400'),
      output: parseLengthSpec('--output-tokens', '8:64'),
      prefix: { tokens: 20, groups: 3 },
      turns: 3,
      tokenize,
    };
    const once = JSON.stringify(syntheticItems(options));
    assert.equal(JSON.stringify(syntheticItems(options)), once);
    assert.notEqual(JSON.stringify(syntheticItems({ ...options, seed: 8 })), once);
    const { items: trace } = readDataset(fixture('mooncake.jsonl'), 'm');
    const prompts = JSON.stringify(withPrompts(trace, { seed: 1, source: 'm' }));
    assert.equal(JSON.stringify(withPrompts(trace, { seed: 1, source: 'm' })), prompts);
  });

  it('refuse a prefix that a fixed input length cannot hold, and a bad number of turns', () => {
    assert.throws(
      () =>
        syntheticItems({ ...base, input: parseLengthSpec('--input-tokens', '16'), prefix: { tokens: 32, groups: 2 } }),
      (e: unknown) =>
        e instanceof ValidationError &&
        e.source === '--prefix-tokens' &&
        /--input-tokens \(16 tokens\)/.test(e.problems[0]!.expected),
    );
    assert.throws(
      () => syntheticItems({ ...base, turns: 0 }),
      (e: unknown) => e instanceof ValidationError && e.source === '--turns',
    );
  });
});

describe('trace items', () => {
  it('get prompts of their input length, blocks shared by hash id, and dataset items stay as they are', () => {
    const { items } = readDataset(fixture('mooncake.jsonl'), 'm.jsonl');
    const cache = new Map<string, string>();
    const withText = withPrompts(items, { seed: 5, source: 'm.jsonl', cache });
    withText.forEach((item) => assert.equal(wordCount(item.prompt!), item.inputTokens));
    const block0 = hashBlockText(0, 512, { seed: mixSeed(5, 12) });
    assert.ok(withText.slice(0, 3).every((i) => i.prompt!.startsWith(`${block0} `)));
    assert.ok(withText[0]!.prompt!.startsWith(withText[2]!.prompt!));
    const azure = withPrompts(readDataset(fixture('azure.csv'), 'a.csv').items, { seed: 5, source: 'a.csv' });
    assert.deepEqual(
      azure.map((i) => wordCount(i.prompt!)),
      [4808, 3180, 110, 7],
    );
    const dataset = readDataset(fixture('workload.jsonl'), 'w').items;
    assert.deepEqual(withPrompts(dataset, { seed: 5, source: 'w' }), dataset);
  });

  it('refuse hash ids that do not fit the block size', () => {
    const { items } = readDataset(fixture('mooncake.jsonl'), 'm.jsonl');
    assert.throws(
      () => withPrompts(items, { seed: 5, source: 'm.jsonl', blockTokens: 1024 }),
      (e: unknown) =>
        e instanceof ValidationError && e.source === 'm.jsonl' && e.problems[0]!.path === '/line 1/hash_ids',
    );
  });
});
