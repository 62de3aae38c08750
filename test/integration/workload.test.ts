/**
 * Shaped workloads through the runner, against servers that answer fast: Realizar's demo (its own
 * tokenizer counts the prompts), and a test-only chat server whose every reply is different, to show
 * that a conversation's later turns carry the replies the server actually sent. And bad input
 * refused before any server or k6 starts. llama-server's runs are in workload-llamacpp.test.ts.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Report } from '../../src/core/types.js';
import { CHROMIUM_PATHS } from '../../src/node/k6/k6.js';
import { freePort, latestReport, removeDir, ROOT, runCli, tempDir } from '../support/cli.js';
import { projectWith, scenarioSource } from '../support/own-scenario.js';

const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'workloads');
const haveChromium = CHROMIUM_PATHS.some((p) => existsSync(p));

async function run(args: string[]): Promise<{ report: Report; text: string; lines: string[] }> {
  const out = await tempDir('workload');
  try {
    const r = await runCli([...args, '--port', String(await freePort()), '--no-dashboard', '--out-dir', out], {
      timeoutMs: 120_000,
    });
    const { report, text, dir } = await latestReport(out);
    assert.equal(r.code, report.exitCode, r.stderr.slice(-3000));
    const file = (await readdir(dir)).find((f) => f.startsWith('workload-'));
    const lines = file === undefined ? [] : (await readFile(path.join(dir, file), 'utf8')).trim().split('\n');
    return { report, text, lines };
  } finally {
    await removeDir(out);
  }
}

/** Every request body the chat server received, in order, as sent. */
async function chatServerRun(args: string[]): Promise<{ report: Report; bodies: string[] }> {
  const out = await tempDir('workload-chat');
  const record = path.join(out, 'bodies.jsonl');
  try {
    const server = path.join(ROOT, 'test/support/chat-server.ts');
    const cmd = `${process.execPath} --import tsx ${server} --port {port} --record ${record}`;
    const { report } = await run([...args, '--server-cmd', cmd, '--api', 'openai', '--server-profile', 'none']);
    return { report, bodies: (await readFile(record, 'utf8')).trim().split('\n') };
  } finally {
    await removeDir(out);
  }
}

/**
 * A scenario file of one's own: one closed phase on the chat server's endpoint, with `body` or `prompted`;
 * streamed, its responses read by the stream runner.
 */
async function ownChatScenario(bodyField: string, streamed = false): Promise<string> {
  const dir = await projectWith('workload', {
    'loadtests/own-chat.ts': scenarioSource(
      `description: 'own chat', mix: [{ endpoint: 'chat', weight: 1 }], endpoints: [chat],${streamed ? ' stream,' : ''}
         phases: [{ name: 'talk', model: 'closed', clients: 3, requests: 9, timeoutSec: 30 }],
         thresholds: { rules: [{ id: 'errors', metric: 'error_rate', acceptable: 1, source: 'test' }] },`,
      `${streamed ? "import { stream } from 'realizar-k6/k6/stream';" : ''}
       const chat = defineEndpoint({ name: 'chat', method: 'POST', path: '/v1/chat/completions', ${bodyField},
           schema: { type: 'object', required: ['choices'],
                     properties: { choices: { type: 'array', minItems: 1 } } } });`,
    ),
  });
  return path.join(dir, 'loadtests', 'own-chat.ts');
}

/** Every request body the chat server received, in order, with its messages as role:content. */
async function conversationRun(scenario: string): Promise<{ report: Report; sent: string[][] }> {
  const { report, bodies } = await chatServerRun(
    [scenario, '--turns', '3', '--think-time', '0.2', '--input-tokens', '12'].concat([
      '--concurrency',
      '2',
      '--requests',
      '6',
    ]),
  );
  const sent = bodies.map((b) =>
    (JSON.parse(b) as { messages: Array<{ role: string; content: string }> }).messages.map(
      (m) => `${m.role}:${m.role === 'assistant' ? m.content : m.content.split(' ').length}`,
    ),
  );
  return { report, sent };
}

/** Each conversation's turns, in order: the second carries the first's reply, the third both. */
function assertHistories(sent: string[][], replies: (k: number) => string): void {
  assert.equal(sent.length, 6);
  const byLength = [...sent].sort((a, b) => a.length - b.length);
  assert.deepEqual(
    byLength.map((m) => m.length),
    [1, 1, 3, 3, 5, 5],
    'turn k carries 2(k-1) earlier messages and its own',
  );
  for (const m of sent) {
    for (let i = 1; i < m.length; i += 2) assert.match(m[i]!, /^assistant:reply-\d+$/);
    // Each reply in a history is one the server sent before this request (reply-N to request N).
    const me = sent.indexOf(m);
    for (let i = 1; i < m.length; i += 2) assert.ok(Number(m[i]!.split('-')[1]) < me, replies(me));
  }
}

describe('shaped workloads against fast servers', () => {
  it("counts prompts with Realizar's own tokenizer and reads what its native answers say they received", async () => {
    const { report, text, lines } = await run(
      ['generate', '--input-tokens', '48', '--output-tokens', '6'].concat(['--concurrency', '2', '--requests', '6']),
    );
    const s = report.scenarios[0]!;
    assert.equal(s.totals.successes, 6, s.error ?? '');
    const w = s.workload!;
    assert.equal(lines.length, 6);
    assert.match(w.tokenizer, /the server's own POST \/tokenize: exact/);
    assert.deepEqual([w.outputTokens.asked!.min, w.outputTokens.received!.max], [6, 6]);
    assert.equal(w.inputTokens.asked!.samples, 6);
    assert.ok(w.inputTokens.received !== null, 'token_ids less num_generated: the prompt as Realizar counted it');
    assert.match(text, /^Workload: generated from seed 1; input 48 tokens; output 6 tokens/m);
  });

  it('holds each conversation on one client, its turns carrying the replies the server sent', async () => {
    const { report, sent } = await conversationRun('generate');
    const s = report.scenarios[0]!;
    assert.equal(s.totals.successes, 6, s.error ?? '');
    assertHistories(sent, (me) => `request ${me}`);
    assert.deepEqual(s.workload!.conversations, { started: 2, completed: 2, cut: 0 });
    assert.deepEqual(
      s.workload!.byTurn!.map((t) => [t.turn, t.requests]),
      [
        ['1', 2],
        ['2', 2],
        ['3', 2],
      ],
    );
    assert.ok(s.workload!.byTurn![2]!.inputTokens!.p50! > s.workload!.byTurn![0]!.inputTokens!.p50!);
  });

  it('does the same in streams, with the replies as they streamed', async (t) => {
    if (!haveChromium) return t.skip('Chromium is not installed');
    const { report, sent } = await conversationRun('stream');
    const s = report.scenarios[0]!;
    assert.equal(s.totals.successes, 6, s.error ?? '');
    assertHistories(sent, (me) => `stream ${me}`);
    assert.deepEqual(s.workload!.conversations, { started: 2, completed: 2, cut: 0 });
    assert.ok(s.workload!.byTurn!.every((x) => x.ttftMs !== null && x.ttftMs.samples === 2));
  });
});

describe("a scenario file's own endpoint and the workload", () => {
  const PROMPTED = 'prompted: (input, n) => ({ messages: input.messages, max_tokens: input.maxTokens, user: `${n}` })';

  it('takes the workload’s lines with `prompted`: its conversations carry the replies the server sent', async () => {
    const file = await ownChatScenario(PROMPTED);
    try {
      const { report, sent } = await conversationRun(file);
      const s = report.scenarios[0]!;
      assert.equal(s.totals.successes, 6, s.error ?? '');
      assertHistories(sent, (me) => `request ${me}`);
      assert.deepEqual(s.workload!.conversations, { started: 2, completed: 2, cut: 0 });
      assert.equal(s.workload!.inputTokens.received!.samples, 6, "the chat answers' usage, read as received");
    } finally {
      await removeDir(path.dirname(path.dirname(file)));
    }
  });

  it('does the same in streams, read by the stream runner', async (t) => {
    if (!haveChromium) return t.skip('Chromium is not installed');
    const file = await ownChatScenario(PROMPTED.replace('user:', 'stream: true, user:'), true);
    try {
      const { report, sent } = await conversationRun(file);
      const s = report.scenarios[0]!;
      assert.equal(s.totals.successes, 6, s.error ?? '');
      assertHistories(sent, (me) => `stream ${me}`);
      assert.deepEqual(s.workload!.conversations, { started: 2, completed: 2, cut: 0 });
      assert.equal(s.streaming!.ttftMs!.samples, 6);
    } finally {
      await removeDir(path.dirname(path.dirname(file)));
    }
  });

  it('gives `body` each request’s number over every client, and is said not to take a workload', async () => {
    const file = await ownChatScenario(`body: (n) => ({ messages: [{ role: 'user', content: 'n' + n }] })`);
    try {
      const { report, bodies } = await chatServerRun([file, '--input-tokens', '12']);
      const s = report.scenarios[0]!;
      assert.equal(s.totals.successes, 9, s.error ?? '');
      const ns = bodies.map((b) => (JSON.parse(b) as { messages: Array<{ content: string }> }).messages[0]!.content);
      assert.deepEqual([...ns].sort(), ['n0', 'n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7', 'n8']);
      assert.equal(s.workload, null);
      assert.ok(
        s.notes.some((n) => /was not sent: no endpoint of this scenario takes prompts/.test(n)),
        s.notes.join('\n'),
      );
    } finally {
      await removeDir(path.dirname(path.dirname(file)));
    }
  });
});

describe('bad workload input', () => {
  /** Refused with exit 2 before anything starts: no run folder is made, no server started. */
  async function refused(args: string[]): Promise<string> {
    const out = await tempDir('workload-bad');
    try {
      const r = await runCli([...args, '--port', String(await freePort()), '--out-dir', out], { timeoutMs: 60_000 });
      assert.equal(r.code, 2, r.stderr);
      assert.deepEqual(await readdir(out).catch(() => []), [], 'nothing was run');
      return r.stderr;
    } finally {
      await removeDir(out);
    }
  }

  it('a model file that is not a GGUF model, named', async () => {
    const stderr = await refused(['stream', '--server', 'llamacpp', '--model-file', '/etc/passwd']);
    assert.match(
      stderr,
      /--model-file: expected a GGUF model file \(the magic "GGUF" at byte 0\), found '\/etc\/passwd: "root"'/,
    );
  });

  it("a dataset's bad line, named with its line and field", async () => {
    const stderr = await refused(['generate', '--dataset', path.join(FIXTURES, 'workload-bad.jsonl')]);
    assert.match(
      stderr,
      /workload-bad\.jsonl: at \/line 2: expected .*at \/line 5\/output_tokens: expected a whole number/,
    );
  });

  it('an empty dataset, an unknown format, a length spec that does not parse, a prefix past the input', async () => {
    assert.match(await refused(['generate', '--dataset', path.join(FIXTURES, 'empty.jsonl')]), /an empty file/);
    assert.match(
      await refused(['generate', '--dataset', path.join(FIXTURES, 'unknown.txt')]),
      /expected a workload JSONL/,
    );
    assert.match(
      await refused(['generate', '--output-tokens', '64:8']),
      /--output-tokens: expected MIN:MAX with MIN ≤ MAX/,
    );
    assert.match(
      await refused(['generate', '--input-tokens', '256', '--prefix-tokens', '512']),
      /--prefix-tokens: expected a prefix no longer than --input-tokens/,
    );
  });
});
