import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/core/errors/ValidationError.js';
import { parseAzureTimestamp, readAzureTrace } from '../../src/core/data/azure.js';
import { FAILED_IN_TRACE, readBurstGptTrace } from '../../src/core/data/burstgpt.js';
import { detectFormat, parseDatasetFormat, readDataset } from '../../src/core/data/dataset.js';
import { readMooncakeTrace } from '../../src/core/data/mooncake.js';
import { readShareGpt, SKIP_REASONS } from '../../src/core/data/sharegpt.js';
import { readWorkloadJsonl } from '../../src/core/data/workload-jsonl.js';
import { validateWorkloadLine } from '../../src/generated/file-validators.cjs';

const DIR = path.join(import.meta.dirname, '..', 'fixtures', 'workloads');
const fixture = (name: string): string => readFileSync(path.join(DIR, name), 'utf8');

/** The error's problems as "path: expected" lines, to compare whole. */
function problemsOf(read: () => unknown, source: string): { path: string; expected: string; found: string }[] {
  try {
    read();
  } catch (e) {
    assert.ok(e instanceof ValidationError, String(e));
    assert.equal(e.source, source);
    assert.equal(e.exitCode, 2);
    return e.problems.map((p) => ({ ...p }));
  }
  assert.fail('expected a ValidationError');
}

describe('workload JSONL', () => {
  it('reads prompts, chat requests and a conversation’s turns, with their line numbers', () => {
    const { items, skipped } = readWorkloadJsonl(fixture('workload.jsonl'), 'workload.jsonl');
    assert.deepEqual(skipped, { count: 0, reasons: {} });
    assert.deepEqual(items[0], { line: 1, prompt: 'Name three rivers of Europe.', outputTokens: 32, timestampMs: 0 });
    assert.deepEqual(items[1], {
      line: 2,
      messages: [
        { role: 'system', content: 'Answer briefly.' },
        { role: 'user', content: 'What is a tokenizer?' },
      ],
      timestampMs: 120.5,
    });
    assert.deepEqual(
      items.map((i) => [i.line, i.conversationId, i.turn]),
      [
        [1, undefined, undefined],
        [2, undefined, undefined],
        [4, 'trip', 1],
        [5, 'trip', 2],
        [6, undefined, undefined],
        [7, 'trip', 4],
      ],
    );
  });

  it('names every bad line with its field, what it needs and what it holds: ten, and a count of the rest', () => {
    const problems = problemsOf(() => readWorkloadJsonl(fixture('workload-bad.jsonl'), 'bad.jsonl'), 'bad.jsonl');
    assert.deepEqual(
      problems.map((p) => p.path),
      [
        '/line 2',
        '/line 3',
        '/line 4/prompt',
        '/line 5/output_tokens',
        '/line 6/output_token',
        '/line 7',
        '/line 8/messages/0/role',
        '/line 9/conversation_id',
        '/line 11/turn',
        '/line 12',
        '',
      ],
    );
    assert.deepEqual(problems[10], { path: '', expected: 'no further problems', found: '2 more' });
    assert.deepEqual(problems[3], { path: '/line 5/output_tokens', expected: 'a whole number ≥ 1', found: "'many'" });
  });

  const badLines: [string, string, RegExp][] = [
    ['{"prompt": "x"', '/line 1', /a JSON object/],
    ['"just a string"', '/line 1', /a JSON object/],
    ['{"text": "x"}', '/line 1', /a "prompt" string or a "messages" list/],
    ['{"prompt": 5}', '/line 1/prompt', /a non-empty string/],
    ['{"prompt": "x", "output_tokens": 0}', '/line 1/output_tokens', /whole number ≥ 1/],
    ['{"prompt": "x", "output_tokens": 2.5}', '/line 1/output_tokens', /whole number ≥ 1/],
    ['{"prompt": "x", "conversation_id": 7}', '/line 1/conversation_id', /non-empty string/],
    ['{"prompt": "x", "conversation_id": "c", "turn": 0}', '/line 1/turn', /whole number ≥ 1/],
    ['{"prompt": "x", "timestamp": "soon"}', '/line 1/timestamp', /number of ms ≥ 0/],
    ['{"messages": "hi"}', '/line 1/messages', /non-empty list/],
    ['{"messages": [{"role": "user"}]}', '/line 1/messages/0/content', /a string/],
    ['{"messages": [{"role": "user", "content": "x", "name": "n"}]}', '/line 1/messages/0/name', /no such field/],
    [
      '{"messages": [{"role": "user", "content": "x"}], "conversation_id": "c"}',
      '/line 1/conversation_id',
      /no such field/,
    ],
  ];
  for (const [line, at, expected] of badLines)
    it(`refuses the line ${line}`, () => {
      const [first] = problemsOf(() => readWorkloadJsonl(line, 'one.jsonl'), 'one.jsonl');
      assert.equal(first!.path, at);
      assert.match(first!.expected, expected);
    });

  it('refuses timestamps on some lines only, and turns that do not rise', () => {
    const [t] = problemsOf(() => readWorkloadJsonl('{"prompt": "a", "timestamp": 1}\n{"prompt": "b"}\n', 'x'), 'x');
    assert.deepEqual(t, {
      path: '/line 2/timestamp',
      expected: 'a "timestamp", as on line 1 (on every line or on none)',
      found: 'nothing',
    });
    const [turn] = problemsOf(
      () =>
        readWorkloadJsonl(
          '{"prompt": "a", "conversation_id": "c", "turn": 3}\n{"prompt": "b", "conversation_id": "c", "turn": 3}\n',
          'x',
        ),
      'x',
    );
    assert.equal(turn!.path, '/line 2/turn');
    assert.match(turn!.expected, /a turn after 3 \(turn 3 of conversation 'c' is on line 1\)/);
  });

  it('refuses an empty file', () => {
    for (const name of ['empty.jsonl', 'blank.jsonl'])
      assert.equal(problemsOf(() => readWorkloadJsonl(fixture(name), name), name)[0]!.found, 'an empty file');
  });

  it('accepts and refuses the same lines as the JSON Schema’s generated validator', () => {
    const lines = [
      ...fixture('workload.jsonl').split('\n'),
      ...fixture('workload-bad.jsonl').split('\n'),
      ...badLines.map((b) => b[0]),
    ];
    let compared = 0;
    for (const line of lines) {
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        continue;
      }
      const byHand = (() => {
        try {
          readWorkloadJsonl(line, 'x');
          return true;
        } catch {
          return false;
        }
      })();
      assert.equal(byHand, validateWorkloadLine(value), `${line}: read ${byHand}, schema ${!byHand}`);
      compared++;
    }
    assert.ok(compared >= 25, `${compared} lines compared`);
  });
});

describe('ShareGPT', () => {
  it('makes one request per conversation: the first human message, the gpt reply’s characters / 4', () => {
    const { items, skipped } = readShareGpt(fixture('sharegpt.json'), 'sharegpt.json');
    assert.deepEqual(items, [
      { line: 1, prompt: 'How do I boil an egg?', outputTokens: 18 },
      { line: 2, prompt: 'Capital of France?', outputTokens: 2 },
      { line: 6, prompt: "Translate 'cat' to German.", outputTokens: 2 },
    ]);
    assert.deepEqual(skipped, {
      count: 3,
      reasons: { [SKIP_REASONS.noHuman]: 1, [SKIP_REASONS.noReply]: 1, [SKIP_REASONS.emptyReply]: 1 },
    });
  });

  it('with turns, makes each human message a turn of its conversation', () => {
    const { items, skipped } = readShareGpt(fixture('sharegpt.json'), 'sharegpt.json', { turns: true });
    assert.deepEqual(
      items.map((i) => [i.conversationId, i.turn, i.prompt, i.outputTokens]),
      [
        ['conv-a', 1, 'How do I boil an egg?', 18],
        ['conv-a', 2, 'And a soft one?', 3],
        ['conv-b', 1, 'Capital of France?', 2],
        ['no-reply', 1, 'Anyone there?', undefined],
        ['#5', 1, 'Tell me a joke.', undefined],
        ['#6', 1, "Translate 'cat' to German.", 2],
        ['#6', 2, 'Plural?', undefined],
      ],
    );
    assert.deepEqual(skipped, { count: 1, reasons: { [SKIP_REASONS.noHuman]: 1 } });
  });

  it('names every malformed entry by its index and field', () => {
    const problems = problemsOf(() => readShareGpt(fixture('sharegpt-bad.json'), 'bad.json'), 'bad.json');
    assert.deepEqual(
      problems.map((p) => [p.path, p.found]),
      [
        ['/1', "'just a string'"],
        ['/2/conversations', 'nothing'],
        ['/3/conversations/0/from', "'robot'"],
        ['/4/conversations/0/value', '42'],
        ['/5/id', 'an array of 3'],
      ],
    );
  });

  it('refuses a file that is empty, not JSON, not a list, an empty list, or all left out', () => {
    const found = (text: string): string => problemsOf(() => readShareGpt(text, 's.json'), 's.json')[0]!.found;
    assert.equal(found(''), 'an empty file');
    assert.match(found('[\n{"conversations": []},\n oops]'), /^text that is not JSON.*oops/);
    assert.equal(found('{"conversations": []}'), '{"conversations":[]}');
    assert.equal(found('[]'), 'an empty list');
    assert.equal(found('[{"conversations": [{"from": "gpt", "value": "hi"}]}]'), 'none (1 with no human message)');
  });

  it('with turns, refuses two conversations with one id', () => {
    const text = JSON.stringify([
      { id: 'x', conversations: [{ from: 'human', value: 'a' }] },
      { id: 'x', conversations: [{ from: 'human', value: 'b' }] },
    ]);
    assert.deepEqual(problemsOf(() => readShareGpt(text, 's', { turns: true }), 's')[0], {
      path: '/1/id',
      expected: 'an id of its own (entry 0 has it too)',
      found: "'x'",
    });
  });
});

describe('Mooncake traces', () => {
  it('read lengths, timestamps and hash ids, ignoring other fields', () => {
    const { items } = readMooncakeTrace(fixture('mooncake.jsonl'), 'trace.jsonl');
    assert.deepEqual(items, [
      { line: 1, inputTokens: 1100, outputTokens: 12, timestampMs: 0, hashIds: [0, 1, 2] },
      { line: 2, inputTokens: 700, outputTokens: 40, timestampMs: 340, hashIds: [0, 3] },
      { line: 3, inputTokens: 1024, outputTokens: 5, timestampMs: 1275, hashIds: [0, 1] },
      { line: 4, inputTokens: 90, outputTokens: 30, timestampMs: 2000, hashIds: [4] },
    ]);
  });

  it('name every bad line with its field', () => {
    assert.deepEqual(
      problemsOf(() => readMooncakeTrace(fixture('mooncake-bad.jsonl'), 'bad.jsonl'), 'bad.jsonl').map((p) => [
        p.path,
        p.found,
      ]),
      [
        ['/line 2/input_length', 'nothing'],
        ['/line 3/input_length', "'600'"],
        ['/line 4/output_length', '-1'],
        ['/line 5/hash_ids/1', "'one'"],
        ['/line 6/timestamp', 'nothing'],
        ['/line 7/timestamp', '-5'],
        ['/line 8/hash_ids', '7'],
        ['/line 9', `'{"timestamp": 70, "input_length'`],
      ],
    );
    assert.equal(problemsOf(() => readMooncakeTrace('', 'e'), 'e')[0]!.found, 'an empty file');
  });
});

describe('Azure LLM inference traces', () => {
  it('parse TIMESTAMP to ms since the epoch, 100 ns ticks and offsets included', () => {
    const base = Date.UTC(2023, 10, 16, 18, 15, 46);
    assert.ok(Math.abs(parseAzureTimestamp('2023-11-16 18:15:46.6805900')! - (base + 680.59)) < 1e-3);
    assert.equal(parseAzureTimestamp('2023-11-16 18:15:46'), base);
    assert.equal(parseAzureTimestamp('2023-11-16T18:15:46Z'), base);
    assert.ok(
      Math.abs(parseAzureTimestamp('2024-05-10 00:00:00.009930+00:00')! - (Date.UTC(2024, 4, 10) + 9.93)) < 1e-6,
    );
    assert.equal(parseAzureTimestamp('2023-11-16 20:15:46+02:00'), base);
    for (const bad of [
      'yesterday',
      '2023-02-30 00:00:00',
      '2023-11-16 24:00:00',
      '2023-11-16 18:15',
      '16/11/2023 18:15:46',
      '',
    ])
      assert.equal(parseAzureTimestamp(bad), undefined, bad);
  });

  it('read the three columns by name in any order, ignore the others, and time rows from the earliest', () => {
    const { items } = readAzureTrace(fixture('azure.csv'), 'azure.csv');
    assert.deepEqual(
      items.map((i) => [i.line, i.inputTokens, i.outputTokens]),
      [
        [2, 4808, 10],
        [3, 3180, 1],
        [5, 110, 290],
        [6, 7, 0],
      ],
    );
    const times = items.map((i) => i.timestampMs!);
    [0, 4314.579, 4317.41, 319.41].forEach((t, k) =>
      assert.ok(Math.abs(times[k]! - t) < 1e-6, `row ${k}: ${times[k]} ms`),
    );
  });

  it('name every bad row with its column', () => {
    assert.deepEqual(
      problemsOf(() => readAzureTrace(fixture('azure-bad.csv'), 'bad.csv'), 'bad.csv').map((p) => p.path),
      [
        '/line 3/TIMESTAMP',
        '/line 4/ContextTokens',
        '/line 5/GeneratedTokens',
        '/line 6/TIMESTAMP',
        '/line 7',
        '/line 8',
      ],
    );
  });

  it('refuse a header without the columns, a header alone and an empty file', () => {
    const [missing] = problemsOf(() => readAzureTrace(fixture('azure-no-columns.csv'), 'a.csv'), 'a.csv');
    assert.match(missing!.expected, /missing: TIMESTAMP, ContextTokens, GeneratedTokens/);
    const [alone] = problemsOf(() => readAzureTrace('TIMESTAMP,ContextTokens,GeneratedTokens\n', 'a.csv'), 'a.csv');
    assert.equal(alone!.found, 'the header alone');
    assert.equal(problemsOf(() => readAzureTrace('\n', 'a.csv'), 'a.csv')[0]!.found, 'an empty file');
  });
});

describe('a BurstGPT trace', () => {
  it('reads its three columns by name, times rows from the earliest, and leaves out the failed, counted', () => {
    const { items, skipped } = readBurstGptTrace(fixture('burstgpt.csv'), 'burstgpt.csv');
    assert.deepEqual(
      items.map((i) => [i.line, i.inputTokens, i.outputTokens, i.timestampMs]),
      [
        [2, 472, 18, 0],
        [4, 300, 120, 40500],
        [6, 80, 25, 7000],
        [7, 2048, 256, 113000],
      ],
    );
    assert.deepEqual(skipped, { count: 1, reasons: { [FAILED_IN_TRACE]: 1 } });
  });

  it('names every bad row with its column, and refuses a trace with nothing served', () => {
    assert.deepEqual(
      problemsOf(() => readBurstGptTrace(fixture('burstgpt-bad.csv'), 'bad.csv'), 'bad.csv').map((p) => p.path),
      ['/line 3/Timestamp', '/line 4/Request tokens', '/line 5/Response tokens', '/line 6/Timestamp', '/line 7'],
    );
    const failed = 'Timestamp,Model,Request tokens,Response tokens\n1,ChatGPT,5,0\n';
    assert.equal(problemsOf(() => readBurstGptTrace(failed, 'f.csv'), 'f.csv')[0]!.found, '1 failed');
    const [missing] = problemsOf(() => readBurstGptTrace('Timestamp,Model\n1,x\n', 'm.csv'), 'm.csv');
    assert.match(missing!.expected, /missing: Request tokens, Response tokens/);
  });
});

describe('dataset format', () => {
  it('is told by the content, and reading by it gives what the format’s reader gives', () => {
    const cases = [
      ['workload.jsonl', 'workload'],
      ['sharegpt.json', 'sharegpt'],
      ['mooncake.jsonl', 'mooncake'],
      ['azure.csv', 'azure'],
      ['burstgpt.csv', 'burstgpt'],
    ] as const;
    for (const [name, format] of cases) {
      assert.equal(detectFormat(fixture(name), name), format);
      assert.equal(readDataset(fixture(name), name).format, format);
    }
    assert.deepEqual(
      readDataset(fixture('mooncake.jsonl'), 'm').items,
      readMooncakeTrace(fixture('mooncake.jsonl'), 'm').items,
    );
    assert.equal(readDataset(fixture('sharegpt.json'), 's', { turns: true }).items.length, 7);
  });

  it('is the one asked for when given', () => {
    const [problem] = problemsOf(
      () => readDataset(fixture('workload.jsonl'), 'w.jsonl', { format: 'mooncake' }),
      'w.jsonl',
    );
    assert.equal(problem!.path, '/line 1/input_length');
  });

  it('is an error when unknown or the file empty, listing the formats read', () => {
    for (const name of ['unknown.txt', 'unknown.jsonl', 'azure-no-columns.csv', 'empty.jsonl', 'blank.jsonl']) {
      const [problem] = problemsOf(() => readDataset(fixture(name), name), name);
      assert.match(problem!.expected, /workload JSONL .*ShareGPT .*Mooncake .*Azure .*BurstGPT/, name);
    }
    assert.match(
      problemsOf(() => detectFormat('{"prompt":\n "split"}', 'p'), 'p')[0]!.expected,
      /a whole JSON object on the first line/,
    );
  });

  it('named by a flag is one of the five', () => {
    assert.equal(parseDatasetFormat('--dataset-format', 'azure'), 'azure');
    const [problem] = problemsOf(() => parseDatasetFormat('--dataset-format', 'csv'), '--dataset-format');
    assert.deepEqual(problem, {
      path: '',
      expected: 'one of workload, sharegpt, mooncake, azure, burstgpt',
      found: "'csv'",
    });
  });
});
