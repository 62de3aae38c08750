/**
 * --prompts and --warmup through the real runner and real k6, against the test-only fault server,
 * which records what it received: the prompt set's prompts are what is sent, in order across all
 * clients, and a warm-up's requests reach the server but no figure of the report.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { generatePromptSet, toJsonl } from '../../src/core/workload/prompts.js';
import { freePort, latestReport, removeDir, ROOT, runCli, tempDir } from '../support/cli.js';

describe('prompt sets and warm-up', () => {
  it('sends the prompt set in order and leaves the warm-up out of the figures', async () => {
    const dir = await tempDir('prompts');
    const file = path.join(dir, 'set.jsonl');
    const prompts = generatePromptSet({ count: 20, seed: 3, minWords: 2, maxWords: 12, distribution: 'uniform' });
    await writeFile(file, toJsonl(prompts));
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
      const run = await runCli([
        'generate',
        '--no-server',
        '--port',
        String(port),
        '--prompts',
        file,
        '--warmup',
        '7',
        '--server-profile',
        'none',
        '--out-dir',
        dir,
      ]);
      const { report } = await latestReport(dir);
      assert.equal(run.code, report.exitCode, run.stderr);
      const counts = (await (await fetch(`http://127.0.0.1:${port}/__counts`)).json()) as {
        load: { received: number };
        prompts: string[];
      };
      const [s] = report.scenarios;
      assert.equal(s?.totals.requests, 25, 'the warm-up is in no figure');
      assert.equal(counts.load.received, 7 + 25, 'the server saw the warm-up and the measured requests');
      const measured = counts.prompts.slice(7).sort();
      const expected = Array.from({ length: 25 }, (_, n) => prompts[n % 20]!).sort();
      assert.deepEqual(measured, expected, 'request n carried prompt n of the set');
      assert.ok(
        s?.notes.some((n) => n.startsWith('Warm-up: 7 request(s)')) &&
          s.notes.some((n) => n === 'Prompts: 20 from set.jsonl, taken in order.'),
      );
    } finally {
      server.kill('SIGTERM');
      await removeDir(dir);
    }
  });

  it('a prompt set with a bad line stops the run before anything starts, naming the line', async () => {
    const dir = await tempDir('bad-prompts');
    const file = path.join(dir, 'bad.jsonl');
    await writeFile(file, '{"prompt":"fine"}\n{"prompt":42}\n');
    try {
      const run = await runCli(['generate', '--prompts', file, '--out-dir', path.join(dir, 'out')]);
      assert.equal(run.code, 2);
      assert.match(
        run.stderr,
        /bad\.jsonl: at \/line 2: expected an object with a non-empty "prompt" string, found \{"prompt":42\}/,
      );
    } finally {
      await removeDir(dir);
    }
  });
});
