/**
 * The workload commands of docs/workloads.md on llama.cpp's llama-server and the tiny model, scaled
 * down to fit a test (the tiny model takes seconds per prompt on two shared cores): token lengths
 * hit in the server's own tokens and its own counters agreeing with what the report says was sent,
 * shared prefixes with its prompt cache on, and conversations over the chat stream.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { ScenarioReport } from '../../src/core/types.js';
import { cacheDirFrom } from '../../src/node/config/index.js';
import { CHROMIUM_PATHS } from '../../src/node/k6/k6.js';
import { llamaServerCachePath } from '../../src/node/tools/llamacpp.js';
import { freePort, latestReport, removeDir, runCli, tempDir } from '../support/cli.js';

const ready = existsSync(llamaServerCachePath(cacheDirFrom(process.env))) && CHROMIUM_PATHS.some((p) => existsSync(p));
const NOT_READY = 'llama-server is not in the tool cache (npm run setup) or Chromium is not installed';

async function stream(args: string[]): Promise<ScenarioReport> {
  const out = await tempDir('workload-llamacpp');
  try {
    const argv = ['stream', '--server', 'llamacpp', ...args, '--timeout', '120', '--port', String(await freePort())];
    const r = await runCli([...argv, '--no-dashboard', '--out-dir', out], { timeoutMs: 170_000 });
    const { report } = await latestReport(out);
    assert.equal(r.code, report.exitCode, r.stderr.slice(-3000));
    const s = report.scenarios[0]!;
    assert.equal(s.totals.successes, s.totals.requests, `${s.error ?? ''} ${JSON.stringify(s.checks)}`);
    return s;
  } finally {
    await removeDir(out);
  }
}

/** The server's own counter of `metric`, and whether it agreed with what k6 read from its answers. */
function counter(s: ScenarioReport, metric: string): { server: number | null; k6: number; agree: boolean } {
  const c = s.prometheus?.crossCheck.find((x) => x.serverMetric === metric);
  assert.ok(c !== undefined, `${metric} was compared`);
  return { server: c.serverDelta, k6: c.k6Count, agree: c.agree };
}

describe("workloads on llama.cpp's server", () => {
  it('hits the input length in its tokens and forces the output length; its counters agree', async (t) => {
    if (!ready) return t.skip(NOT_READY);
    const s = await stream(['--input-tokens', '64', '--output-tokens', '8', '--concurrency', '2', '--requests', '4']);
    const w = s.workload!;
    assert.match(w.tokenizer, /POST \/tokenize: exact/);
    assert.deepEqual([w.inputTokens.asked!.min, w.inputTokens.asked!.max, w.inputTokens.asked!.samples], [64, 64, 4]);
    assert.deepEqual([w.outputTokens.received!.min, w.outputTokens.received!.max], [8, 8], 'ignore_eos');
    // The chat template and BOS around each prompt: the server's own framing, the same for each.
    const extra = w.inputTokens.extra!;
    assert.ok(extra.min > 0 && extra.max - extra.min <= 1, JSON.stringify(extra));
    const prompt = counter(s, 'llamacpp:prompt_tokens_total');
    assert.ok(prompt.agree, JSON.stringify(prompt));
    assert.equal(prompt.k6, w.inputTokens.received!.total);
    assert.ok(counter(s, 'llamacpp:tokens_predicted_total').agree);
    assert.match(w.promptCache, /^off \(the default/);
  });

  it('shares prefixes, and with its prompt cache on takes them from the cache', async (t) => {
    if (!ready) return t.skip(NOT_READY);
    const s = await stream(
      ['--input-tokens', '96', '--output-tokens', '4', '--prefix-tokens', '64', '--prefix-groups', '2'].concat([
        '--prompt-cache',
        'on',
        '--concurrency',
        '2',
        '--requests',
        '6',
      ]),
    );
    const w = s.workload!;
    assert.match(w.prefix ?? '', /64 tokens shared by 2 group/);
    assert.match(w.promptCache, /--prompt-cache on.*"cache_prompt":true/);
    const c = w.cache!;
    assert.ok(c.hits >= 2, `${c.hits} of ${c.requests} requests hit the cache`);
    assert.ok(c.cachedTokens!.max >= 64, 'a hit takes at least the shared prefix from the cache');
    assert.ok(c.ttftHitMs !== null && c.ttftHitMs.samples === c.hits);
    assert.ok(counter(s, 'llamacpp:prompt_tokens_cached_total').agree);
    assert.ok(counter(s, 'llamacpp:prompt_tokens_total').agree);
  });

  it('holds conversations over the chat stream, each turn carrying the history', async (t) => {
    if (!ready) return t.skip(NOT_READY);
    const s = await stream(
      ['--api', 'openai', '--turns', '4', '--think-time', '1', '--concurrency', '2', '--requests', '8'].concat([
        '--input-tokens',
        '16',
        '--output-tokens',
        '4',
      ]),
    );
    const w = s.workload!;
    assert.deepEqual(w.conversations, { started: 2, completed: 2, cut: 0 });
    const turns = w.byTurn!;
    assert.deepEqual(
      turns.map((x) => x.requests),
      [2, 2, 2, 2],
    );
    // Each turn adds the last reply (4 tokens), the new message (16) and their template around them.
    for (let k = 1; k < 4; k++) assert.ok(turns[k]!.inputTokens!.p50! >= turns[k - 1]!.inputTokens!.p50! + 20);
    assert.ok(turns.every((x) => x.ttftMs !== null && x.itlMs !== null));
  });
});
