/**
 * Secrets never leak: a run made with dummy tokens in its environment must not print or store them
 * anywhere — terminal output, logs, reports, raw summaries.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { filesUnder, freePort, removeDir, runCli, tempDir } from '../support/cli.js';

describe('secrets', () => {
  it('tokens in the environment appear in no output, log or report of a run', async () => {
    const secrets = { K6_CLOUD_TOKEN: 'dummy-cloud-token-5b1f0c', OPENAI_API_KEY: 'sk-dummy-openai-key-8e2d41' };
    const out = await tempDir('secrets');
    try {
      const run = await runCli(['spike', '--scale', '0.1', '--port', String(await freePort()), '--out-dir', out], {
        env: secrets,
      });
      assert.ok([0, 1].includes(run.code ?? -1), run.stderr);
      const files = await filesUnder(out);
      assert.ok(
        files.some((f) => f.endsWith('report.json')) &&
          files.some((f) => f.endsWith('k6.log')) &&
          files.some((f) => f.endsWith('server.log')),
      );
      for (const [name, value] of Object.entries(secrets)) {
        assert.ok(!run.stdout.includes(value) && !run.stderr.includes(value), `${name} in the terminal output`);
        for (const f of files) assert.ok(!(await readFile(f, 'utf8')).includes(value), `${name} in ${f}`);
      }
    } finally {
      await removeDir(out);
    }
  });
});
