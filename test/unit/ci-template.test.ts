import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { K6_VERSION } from '../../src/node/tools/versions.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

describe('the GitHub Actions template', () => {
  it('installs the released k6 with setup-k6-action, pinned to the k6 this toolkit is tested with', async () => {
    const workflow = parse(await readFile(path.join(ROOT, 'ci', 'github-actions.yml'), 'utf8')) as {
      jobs: Record<string, { steps: Array<{ uses?: string; with?: Record<string, string> }> }>;
    };
    const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);
    const setup = steps.find((s) => s.uses?.startsWith('grafana/setup-k6-action@'));
    assert.ok(setup, 'a grafana/setup-k6-action step');
    assert.equal(`v${setup.with?.['k6-version']}`, K6_VERSION);
    assert.equal(
      steps.some((s) => s.uses?.startsWith('actions/setup-go@')),
      false,
      'no Go toolchain: nothing is built from Go source',
    );
  });
});

describe('the set-up step of each CI template', () => {
  it('makes ready only the server its load test starts: Realizar, not llama-server or the tiny model', async () => {
    const github = parse(await readFile(path.join(ROOT, 'ci', 'github-actions.yml'), 'utf8')) as {
      jobs: Record<string, { steps: Array<{ run?: string }> }>;
    };
    const gitlab = parse(await readFile(path.join(ROOT, 'ci', 'gitlab-ci.yml'), 'utf8')) as Record<
      string,
      { before_script?: string[] }
    >;
    const commands = [
      ...Object.values(github.jobs).flatMap((j) => j.steps.map((s) => s.run ?? '')),
      ...(gitlab['load-test']?.before_script ?? []),
    ].filter((c) => c.includes('npm run setup'));
    assert.equal(commands.length, 2, 'one set-up step in each template');
    for (const c of commands) assert.equal(c.trim(), 'npm run setup -- --servers realizar');
  });
});
