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
