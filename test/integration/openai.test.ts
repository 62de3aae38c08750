/**
 * The OpenAI-compatible profile (--api openai): the same scenarios sent to /v1 — against Realizar's
 * own /v1 API, and against the test-only fault server where a bearer token must be seen and a
 * stream must carry a role-only first chunk and several deltas per network chunk.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { CHROMIUM_PATHS } from '../../src/node/k6/k6.js';
import { spawn } from 'node:child_process';
import path from 'node:path';
import {
  faultServerCmd,
  filesUnder,
  freePort,
  latestReport,
  removeDir,
  ROOT,
  runCli,
  tempDir,
} from '../support/cli.js';

async function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  const out = await tempDir('openai');
  try {
    const r = await runCli([...args, '--api', 'openai', '--no-dashboard', '--out-dir', out], { env });
    const { report } = await latestReport(out);
    assert.equal(r.code, report.exitCode, r.stderr);
    // Read before the folder goes: the secrets check looks into every file the run wrote.
    const texts = (await filesUnder(out)).map((f) => ({ file: f, text: readFileSync(f, 'utf8') }));
    return { r, report, texts };
  } finally {
    await removeDir(out);
  }
}

describe('the OpenAI-compatible profile', () => {
  for (const [scenario, scale] of [
    ['generate', '0.2'],
    ['sustained', '0.1'],
    ['spike', '0.1'],
  ] as const) {
    it(`runs ${scenario} against Realizar's own /v1 API`, async () => {
      const { report } = await run([scenario, '--scale', scale, '--port', String(await freePort())]);
      const [s] = report.scenarios;
      assert.equal(s?.status, 'completed', s?.error ?? '');
      assert.equal(s?.totals.successes, s?.totals.requests, 'Realizar answered every /v1 request as the schema says');
      assert.ok(
        s?.notes.some((n) => n.startsWith("Sent to the OpenAI-compatible API, model 'default': ")) &&
          s.notes.some((n) => n.includes('POST /v1/completions')),
      );
      if (scenario !== 'generate')
        assert.ok(
          s?.notes.some((n) => n.includes('tokenize left out of the mix')),
          'the API has no tokenizer',
        );
    });
  }

  it('sends OPENAI_API_KEY as a bearer token and never shows it', async () => {
    const key = 'sk-dummy-key-4f2a9e';
    const port = await freePort();
    const server = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'test/support/fault-server.ts'), '--port', String(port)],
      {
        cwd: ROOT,
        stdio: 'ignore',
      },
    );
    try {
      const { r, report, texts } = await run(['generate', '--no-server', '--port', String(port)], {
        OPENAI_API_KEY: key,
      });
      const counts = (await (await fetch(`http://127.0.0.1:${port}/__counts`)).json()) as {
        load: { received: number; bearer: number };
      };
      assert.equal(report.scenarios[0]?.totals.successes, 25);
      assert.deepEqual([counts.load.received, counts.load.bearer], [25, 25], 'every request carried the bearer token');
      assert.ok(!r.stdout.includes(key) && !r.stderr.includes(key));
      assert.ok(texts.length > 5);
      for (const { file, text } of texts) assert.ok(!text.includes(key), file);
    } finally {
      server.kill('SIGTERM');
    }
  });

  it('times a chat stream: a role-only first chunk is no token, and usage gives the count', async (t) => {
    if (!CHROMIUM_PATHS.some((p) => existsSync(p)))
      return t.skip('Chromium is not installed (apt-get install chromium)');
    // Test-only fault server: role-only delta at 20 ms, 2 deltas 60 ms later, 3 more 30 ms after; usage says 7.
    const { report } = await run([
      'stream',
      '--scale',
      '0.2',
      '--port',
      String(await freePort()),
      '--server-cmd',
      faultServerCmd("--stream-chunks '20:0,60:2,30:3' --stream-done 7"),
    ]);
    const st = report.scenarios[0]!.streaming!;
    assert.equal(st.api, 'openai');
    assert.equal(report.scenarios[0]!.totals.successes, 5, report.scenarios[0]!.error ?? '');
    assert.equal(st.outputTokens, 7 * 5);
    assert.equal(st.itlMs?.samples, 4 * 5);
    assert.ok(st.ttftMs!.min >= 80, `ttft min ${st.ttftMs!.min} ms`);
  });
});
