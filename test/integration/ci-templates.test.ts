/**
 * The CI templates in ci/: the GitHub Actions workflow passes actionlint, and both templates' load
 * test steps, run as their CI would run them, turn the job red exactly when a gate fails and leave
 * the files the templates publish (summary.md, junit.xml naming the threshold).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import type { ThresholdsFile } from '../../src/core/types.js';
import { parseRunConfig } from '../../src/node/config/index.js';
import { resolveActionlint } from '../../src/node/tools/tools.js';
import { freePort, removeDir, ROOT, tempDir } from '../support/cli.js';

interface Step {
  name?: string;
  run?: string;
  uses?: string;
  if?: string;
  'continue-on-error'?: unknown;
}

async function bash(script: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  const child = spawn('bash', ['-eo', 'pipefail', '-c', script], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (b: Buffer) => (output += b.toString()));
  child.stderr.on('data', (b: Buffer) => (output += b.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(timer);
  return { code, output };
}

/** thresholds/ with a health p50 no server can meet. */
async function impossibleThresholds(): Promise<string> {
  const dir = await tempDir('ci-thresholds');
  await cp(path.join(ROOT, 'thresholds'), dir, { recursive: true });
  const file = path.join(dir, 'health.json');
  const data = JSON.parse(await readFile(file, 'utf8')) as ThresholdsFile;
  const p50 = data.rules.find((r) => r.id === 'p50')!;
  p50.acceptable = 0.001;
  p50.target = 0.001;
  await writeFile(file, JSON.stringify(data));
  return dir;
}

describe('the CI templates', () => {
  it('the GitHub Actions workflow passes actionlint', async () => {
    const { cacheDir } = parseRunConfig(['--help'], []);
    const actionlint = await resolveActionlint({ cacheDir });
    const { code, output } = await bash(`${actionlint.path} ci/github-actions.yml`, {});
    assert.equal(code, 0, output);
  });

  it('the GitHub job goes red on a crossed threshold, with the JUnit file naming it and a step summary', async () => {
    const workflow = parse(await readFile(path.join(ROOT, 'ci/github-actions.yml'), 'utf8')) as {
      jobs: Record<string, { steps: Step[] }>;
    };
    const steps = Object.values(workflow.jobs)[0]!.steps;
    const load = steps.find((s) => s.run?.includes('npm run load-test'));
    const summary = steps.find((s) => s.run?.includes('GITHUB_STEP_SUMMARY'));
    assert.ok(load && summary, 'the workflow runs the load test and writes a step summary');
    assert.equal(load['continue-on-error'], undefined, 'a failing load test fails the job');
    assert.equal(summary.if, 'always()', 'the summary is written even when the gate failed');

    const thresholds = await impossibleThresholds();
    const stepSummary = path.join(await tempDir('gh-summary'), 'summary.md');
    const options = `--thresholds-dir ${thresholds} --scale 0.1 --port ${await freePort()}`;
    try {
      // Only the steps that run the toolkit: checkout, setup and npm ci are the CI's own business.
      const red = await bash(load.run!, { REALIZAR_K6_OPTIONS: options });
      assert.equal(red.code, 1, red.output);
      assert.equal((await bash(summary.run!, { GITHUB_STEP_SUMMARY: stepSummary })).code, 0);
      assert.match(await readFile(stepSummary, 'utf8'), /p50 latency/);
      const junit = await readFile(path.join(ROOT, 'reports/latest/junit.xml'), 'utf8');
      assert.match(junit, /<testcase[^>]*name="p50\.acceptable[^"]*"[^>]*>\s*<failure/);
    } finally {
      await removeDir(thresholds);
      await removeDir(path.dirname(stepSummary));
    }
  });

  it('the GitLab job runs the same command and publishes junit.xml where the template says', async () => {
    const pipeline = parse(await readFile(path.join(ROOT, 'ci/gitlab-ci.yml'), 'utf8')) as Record<
      string,
      { script?: string[]; artifacts?: { when?: string; reports?: { junit?: string } } }
    >;
    const job = pipeline['load-test']!;
    assert.deepEqual(job.script, ['npm run load-test']);
    assert.equal(job.artifacts?.when, 'always');
    const junitPath = job.artifacts?.reports?.junit;
    assert.equal(junitPath, 'reports/latest/junit.xml');

    const thresholds = await impossibleThresholds();
    try {
      const red = await bash(job.script!.join('\n'), {
        REALIZAR_K6_OPTIONS: `--thresholds-dir ${thresholds} --scale 0.1 --port ${await freePort()}`,
      });
      assert.equal(red.code, 1, red.output);
      assert.match(await readFile(path.join(ROOT, junitPath!), 'utf8'), /<failure/);
    } finally {
      await removeDir(thresholds);
    }
  });
});
