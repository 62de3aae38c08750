/**
 * The two builds of a scenario script (build/bundle.ts): dist/k6/<name>.js runs on its own and
 * prints the house report block; dist/k6-runner/<name>.js, which the runner runs, leaves that code
 * out, so every VU compiles less, and says what it needs when run without the runner. Real k6 and
 * a real Realizar.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildAll } from '../../build/index.js';
import { parseRunConfig } from '../../src/node/config/index.js';
import { resolveK6, resolveRealizar } from '../../src/node/tools/tools.js';
import { freePort, removeDir, tempDir } from '../support/cli.js';

const K6_TIMEOUT_MS = 120_000;

describe('the scenario scripts, on their own and as the runner runs them', () => {
  let k6 = '';
  let baseUrl = '';
  let server: ChildProcess | null = null;
  let built: Awaited<ReturnType<typeof buildAll>>;

  before(async () => {
    built = await buildAll();
    const { cacheDir } = parseRunConfig(['--help'], []);
    k6 = (await resolveK6({ flagPath: null, cacheDir })).path;
    const realizar = await resolveRealizar({ cacheDir });
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    server = spawn(realizar.path, ['serve', '--demo', '--host', '127.0.0.1', '--port', String(port)], {
      stdio: 'ignore',
    });
    const deadline = Date.now() + 60_000;
    while (
      !(await fetch(`${baseUrl}/health`).then(
        (r) => r.ok,
        () => false,
      ))
    ) {
      assert.ok(Date.now() < deadline, 'Realizar did not become healthy');
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  after(() => {
    server?.kill('SIGKILL');
  });

  const k6Run = (script: string, env: readonly string[]) =>
    spawnSync(
      k6,
      [
        'run',
        '--no-usage-report',
        '--address',
        '127.0.0.1:0',
        '-e',
        `BASE_URL=${baseUrl}`,
        ...env.flatMap((e) => ['-e', e]),
        script,
      ],
      {
        encoding: 'utf8',
        timeout: K6_TIMEOUT_MS,
        env: { ...process.env, K6_NO_COLOR: 'true' },
      },
    );

  it('dist/k6/health.js run by plain k6 prints the house report block', () => {
    const r = k6Run(path.join(built.bundleDir, 'health.js'), []);
    assert.equal(r.status, 0, r.stderr.slice(-3000));
    assert.match(r.stdout, /^--- health: /m);
  });

  it("the runner's build is the script less the report code, writing summary and plan to a given folder", async () => {
    const full = path.join(built.bundleDir, 'health.js');
    const lean = path.join(built.runnerBundleDir, 'health.js');
    const fullText = await readFile(full, 'utf8');
    const leanText = await readFile(lean, 'utf8');
    assert.match(fullText, /function renderScenario\(/);
    assert.doesNotMatch(leanText, /function renderScenario\(/);
    assert.doesNotMatch(leanText, /function convertScenario\(/);
    assert.ok(
      statSync(lean).size < statSync(full).size * 0.85,
      `${statSync(lean).size} bytes against ${statSync(full).size}`,
    );

    const out = await tempDir('bundles');
    try {
      const r = k6Run(lean, [`OUT_DIR=${out}`, 'GATE=acceptable', 'SCALE=1']);
      assert.equal(r.status, 0, r.stderr.slice(-3000));
      assert.doesNotMatch(r.stdout, /^--- health: /m);
      assert.ok(
        existsSync(path.join(out, 'summary.json')) && existsSync(path.join(out, 'plan.json')),
        'summary.json and plan.json written',
      );
    } finally {
      await removeDir(out);
    }
  });

  it("the runner's build without an output folder stops at once, naming -e OUT_DIR and the script to run", () => {
    const r = k6Run(path.join(built.runnerBundleDir, 'health.js'), []);
    assert.notEqual(r.status, 0);
    assert.match(
      r.stderr,
      new RegExp(
        /this build of scenario health is the runner's and needs -e OUT_DIR=<folder> /.source +
          /for its summary; run dist\/k6\/health\.js on its own/.source,
      ),
    );
    assert.doesNotMatch(r.stderr, /http_reqs/);
  });
});
