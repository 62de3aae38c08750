/**
 * The toolkit as a project installs it: `npm pack` here, `npm install <tarball>` into an empty project
 * outside the checkout (packages from npm's cache, the registry only for what it lacks), a scenario
 * file of the project's own — the documentation's example — run with `npx realizar-k6` against a
 * Realizar the runner starts from the tool cache, a misspelt metric refused before anything starts,
 * and tsc on the project reading the package's declarations.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Report } from '../../src/core/types.js';
import { collect, freePort, removeDir, ROOT, tempDir, waitForNoLeftovers, type CliResult } from '../support/cli.js';
import { documentedExample, projectWith } from '../support/own-scenario.js';

/** A command in `cwd`, bounded: killed after `timeoutMs`. */
async function sh(cwd: string, command: string, args: readonly string[], timeoutMs = 300_000): Promise<CliResult> {
  const child = spawn(command, args, { cwd, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  try {
    return await collect(child);
  } finally {
    clearTimeout(timer);
  }
}

const misspelt = (): string => documentedExample().replace("metric: 'latency_p95'", "metric: 'latency_p59'");

/** The documentation's tsconfig.json for load tests (docs/writing-scenarios.md). */
const TSCONFIG = {
  compilerOptions: {
    target: 'ES2020',
    module: 'ESNext',
    moduleResolution: 'bundler',
    strict: true,
    noEmit: true,
    types: ['k6'],
  },
  include: ['loadtests'],
};

describe('the package, installed into a project of its own', () => {
  let packDir = '';
  let project = '';

  before(async () => {
    packDir = await tempDir('pack');
    const pack = await sh(ROOT, 'npm', ['pack', '--pack-destination', packDir, '--json']);
    assert.equal(pack.code, 0, pack.stderr);
    const { filename } = (JSON.parse(pack.stdout) as Array<{ filename: string }>)[0]!;
    project = await projectWith('project', {
      'package.json': JSON.stringify({ name: 'my-server-load-tests', private: true, type: 'module' }),
      'loadtests/my-chat.ts': documentedExample(),
    });
    assert.ok(!project.startsWith(ROOT), 'the project is outside the checkout');
    const install = await sh(project, 'npm', [
      'install',
      path.join(packDir, filename),
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
    ]);
    assert.equal(install.code, 0, install.stderr);
  });

  after(async () => {
    await removeDir(project);
    await removeDir(packDir);
  });

  it('refuses a scenario file with a misspelt metric before anything starts, naming file and field', async () => {
    await writeFile(path.join(project, 'loadtests', 'bad-chat.ts'), misspelt());
    const port = await freePort();
    const run = await sh(project, 'npx', ['realizar-k6', 'run', './loadtests/bad-chat.ts', '--port', String(port)]);
    assert.equal(run.code, 2, run.stderr);
    assert.match(
      run.stderr,
      /loadtests\/bad-chat\.ts: at \/thresholds\/rules\/0\/metric: expected one of .*found 'latency_p59'/,
    );
    assert.doesNotMatch(run.stderr, /using k6|starting the server/, 'no tool looked for, no server started');
    assert.equal(existsSync(path.join(project, 'reports')), false, 'no run folder');
  });

  it('runs the scenario file against Realizar: report, verdicts and exit code, its files in the project', async () => {
    const port = await freePort();
    const run = await sh(project, 'npx', [
      'realizar-k6',
      'run',
      './loadtests/my-chat.ts',
      '--scale',
      '0.25',
      '--port',
      String(port),
    ]);
    const report = JSON.parse(await readFile(path.join(project, 'reports', 'latest', 'report.json'), 'utf8')) as Report;
    const sc = report.scenarios[0]!;
    assert.deepEqual(report.errors, []);
    // Every body passed the endpoint's own schema and check: no failure.
    assert.deepEqual([sc.name, sc.status, sc.totals.requests, sc.totals.failures], ['my-chat', 'completed', 10, 0]);
    assert.deepEqual(
      sc.endpoints.map((e) => [e.name, e.totals.requests]),
      [['chat', 10]],
    );
    assert.deepEqual(
      sc.verdicts.map((v) => v.id),
      ['p95.acceptable', 'p95.target', 'errors.acceptable'],
    );
    const gateFailed = sc.verdicts.some((v) => v.gating && !v.pass);
    assert.equal(run.code, gateFailed ? 1 : 0, run.stderr);
    assert.equal(report.exitCode, run.code);
    assert.match(run.stdout, /--- my-chat: Chat completions/);
    assert.match(run.stdout, /=== Outcome: (PASSED \(exit 0\)|FAILED \(exit 1\)) ===/);
    for (const f of ['report.txt', 'junit.xml', 'summary.md'])
      assert.ok(existsSync(path.join(project, 'reports', 'latest', f)), f);
    assert.ok(existsSync(path.join(project, 'dist', 'k6', 'my-chat.js')), 'the bundle, in the project');
    const installed = await readdir(path.join(project, 'node_modules', 'realizar-k6'));
    assert.ok(!installed.includes('dist') && !installed.includes('reports'), 'nothing written into node_modules');
    assert.deepEqual(await waitForNoLeftovers(`--port ${port}`), []);
  });

  it('runs a built-in scenario with the npm scripts’ options', async () => {
    const port = await freePort();
    const run = await sh(project, 'npx', ['realizar-k6', 'run', 'health', '--scale', '0.1', '--port', String(port)]);
    assert.ok(run.code === 0 || run.code === 1, run.stderr);
    assert.match(run.stdout, /--- health: Health check load test/);
    assert.ok(existsSync(path.join(project, 'dist', 'k6-runner', 'health.js')));
  });

  it('writes a k6-operator run of the scenario file: its archive with the workload, and the merge Job', async () => {
    // Nothing listens there: the tokens are estimated, and said so.
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    const out = path.join(project, 'reports', 'operator');
    const made = await sh(project, 'npx', [
      'realizar-k6',
      'operator',
      './loadtests/my-chat.ts',
      '--parallelism',
      '2',
      '--rate',
      '10',
      '--duration',
      '3',
      '--input-tokens',
      '32',
      '--base-url',
      nowhere,
    ]);
    assert.equal(made.code, 0, made.stderr);
    assert.match(made.stderr, /the prompts' tokens are estimated, not counted by a tokenizer at/);
    // What to type next is what this project can type: it has no npm script of the toolkit's.
    assert.match(made.stdout, /npx realizar-k6 report --merge \S+\/cluster\/runners {2}# the same merge, here/);
    assert.doesNotMatch(made.stdout, /npm run report/);
    const [runId] = await readdir(out);
    const files = await readdir(path.join(out, runId!));
    for (const f of ['manifests.yaml', 'merge.yaml', 'collect.yaml', 'archive.tar', 'workload-my-chat.jsonl'])
      assert.ok(files.includes(f), `${f} in ${files.join(', ')}`);
    const lines = (await readFile(path.join(out, runId!, 'workload-my-chat.jsonl'), 'utf8')).trim().split('\n');
    assert.equal(lines.length, 30, 'a line for each of the 30 requests 10 a second for 3 s');
  });

  it('gives tsc the declarations: the example checks, a misspelt metric does not', async () => {
    await writeFile(path.join(project, 'tsconfig.json'), JSON.stringify(TSCONFIG));
    const tsc = path.join(ROOT, 'node_modules', '.bin', 'tsc');
    await writeFile(path.join(project, 'loadtests', 'bad-chat.ts'), documentedExample());
    const good = await sh(project, tsc, ['-p', 'tsconfig.json']);
    assert.equal(good.code, 0, good.stdout);
    await writeFile(path.join(project, 'loadtests', 'bad-chat.ts'), misspelt());
    const bad = await sh(project, tsc, ['-p', 'tsconfig.json']);
    assert.equal(bad.code, 2, bad.stdout);
    assert.match(bad.stdout, /bad-chat\.ts\(\d+,\d+\): error TS\d+: Type '"latency_p59"' is not assignable/);
  });
});
