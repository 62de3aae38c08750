import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DOCUMENTED, readDocFiles, withUsageBlocks } from '../../build/docs.js';
import {
  parseCloudConfig,
  parseOperatorConfig,
  parseRunConfig,
  parseSweepConfig,
} from '../../src/node/config/index.js';
import { parseCompareArgs } from '../../src/node/commands/compare.js';
import { parseFlags, usageText, type Command } from '../../src/node/flags/declare.js';

const scenarios = ['health', 'generate', 'sustained', 'spike', 'stream'];

describe("one declaration of every command's flags", () => {
  it("the docs show each command's options once, exactly as --help prints them (npm run docs)", async () => {
    const docs = await readDocFiles();
    const current = withUsageBlocks(docs);
    for (const [file, text] of docs) assert.equal(current.get(file), text, `${file} has a stale options block`);
    for (const [name, command] of Object.entries(DOCUMENTED)) {
      const holders = [...docs].filter(([, text]) => text.includes(usageText(command))).map(([file]) => file);
      assert.equal(holders.length, 1, `${name}: in one file of the docs, found in ${holders.join(', ')}`);
    }
  });

  it('every command reads every flag it declares (a declared flag nobody reads is caught)', () => {
    // Each builder calls done(), which throws on a declared flag it never read.
    assert.doesNotThrow(() => parseRunConfig(['--help'], scenarios, {}, '/w'));
    assert.doesNotThrow(() => parseSweepConfig(['--help'], {}, '/w'));
    assert.doesNotThrow(() => parseCloudConfig(['--help'], scenarios, {}, '/w'));
    assert.doesNotThrow(() => parseOperatorConfig(['--help'], scenarios, {}, '/w'));
    assert.doesNotThrow(() => parseCompareArgs(['--help'], '/w'));
  });

  it('a new flag is one entry: declared, it parses and shows in the usage; unread, it is reported', () => {
    const command: Command = {
      usage: ['x'],
      positionals: { min: 0, max: 0, what: 'options only' },
      groups: [{ title: 'options', flags: [{ name: '--colour', arg: 'C', help: 'the colour' }] }],
    };
    const f = parseFlags(command, ['--colour', 'red']);
    assert.match(usageText(command), /--colour C\s+the colour/);
    assert.throws(() => f.done(), /declared but never read: --colour/);
    assert.equal(f.text('--colour'), 'red');
    assert.doesNotThrow(() => f.done());
    assert.throws(() => parseFlags(command, ['--color', 'red']), /--color: expected a known option \(--colour\)/);
  });

  it('--clients is another spelling of --concurrency, and giving both is an error', () => {
    assert.equal(parseRunConfig(['stream', '--clients', '8'], scenarios, {}, '/w').shape?.clients, 8);
    assert.equal(
      parseRunConfig(['stream', '--concurrency', '32', '--requests', '320'], scenarios, {}, '/w').shape?.requests,
      320,
    );
    assert.throws(
      () => parseRunConfig(['stream', '--clients', '8', '--concurrency', '4'], scenarios, {}, '/w'),
      /--clients and --concurrency are the same flag/,
    );
  });
});

describe('REALIZAR_K6_OPTIONS', () => {
  const withEnv = (text: string) => () => parseRunConfig(['spike'], scenarios, { REALIZAR_K6_OPTIONS: text }, '/w');

  it('adds options to the command line', () => {
    const c = withEnv('--scale 0.5 --gate target')();
    assert.deepEqual([c.scale, c.gate], [0.5, 'target']);
  });

  it('refuses a scenario name after a switch (--no-server spike)', () => {
    assert.throws(withEnv('--no-server spike'), /REALIZAR_K6_OPTIONS: expected options only .*found 'spike'/);
  });

  it('refuses a second value after a flag (--mix health health)', () => {
    assert.throws(withEnv('--mix health health'), /REALIZAR_K6_OPTIONS: expected options only .*found 'health'/);
  });

  it('refuses a flag given both there and on the command line', () => {
    assert.throws(
      () =>
        parseRunConfig(['spike', '--gate', 'target'], scenarios, { REALIZAR_K6_OPTIONS: '--gate acceptable' }, '/w'),
      /--gate: expected the flag once, found it in the command line and in REALIZAR_K6_OPTIONS/,
    );
  });
});

describe('choosing the server', () => {
  it('--server llamacpp picks the OpenAI-compatible API and its own metrics profile', () => {
    const c = parseRunConfig(['stream', '--server', 'llamacpp'], scenarios, {}, '/w');
    assert.deepEqual([c.server, c.api, c.serverProfile], ['llamacpp', 'openai', 'llamacpp']);
  });

  it('--server realizar-model picks the OpenAI-compatible API; the default stays the demo', () => {
    assert.equal(parseRunConfig(['stream', '--server', 'realizar-model'], scenarios, {}, '/w').api, 'openai');
    const demo = parseRunConfig(['stream'], scenarios, {}, '/w');
    assert.deepEqual([demo.server, demo.api], ['realizar', 'realizar']);
  });

  it('with --no-server, --server names the make already running there: its API, counters and request fields', () => {
    const c = parseRunConfig(['stream', '--no-server', '--server', 'llamacpp', '--port', '9000'], scenarios, {}, '/w');
    assert.deepEqual([c.manageServer, c.server, c.api, c.serverProfile], [false, 'llamacpp', 'openai', 'llamacpp']);
    assert.equal(parseRunConfig(['stream', '--no-server'], scenarios, {}, '/w').server, null);
  });

  it('refuses what cannot go together, naming the flag', () => {
    assert.throws(
      () => parseRunConfig(['stream', '--server', 'vllm'], scenarios, {}, '/w'),
      /--server: expected 'realizar', 'realizar-model' or 'llamacpp', found 'vllm'/,
    );
    assert.throws(
      () => parseRunConfig(['stream', '--server', 'llamacpp', '--api', 'realizar'], scenarios, {}, '/w'),
      /--api: expected openai with --server llamacpp/,
    );
    assert.throws(
      () => parseRunConfig(['stream', '--server', 'llamacpp', '--server-cmd', 'x'], scenarios, {}, '/w'),
      /--server: expected either --server or --server-cmd/,
    );
    assert.throws(
      () => parseRunConfig(['stream', '--model-file', 'm.gguf'], scenarios, {}, '/w'),
      /--model-file: expected --server realizar-model or --server llamacpp beside it/,
    );
    assert.throws(
      () => parseRunConfig(['stream', '--server', 'llamacpp', '--model-file', 'nope.gguf'], scenarios, {}, '/w'),
      /--model-file: expected a GGUF model file, found 'nope.gguf, which does not exist'/,
    );
  });
});
