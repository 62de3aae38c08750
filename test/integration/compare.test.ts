/**
 * npm run compare on real reports: an injected 30 % p95 regression is flagged (exit 1), an
 * unchanged run passes (exit 0), --save-baseline keeps a run, bad input is exit 2.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Report } from '../../src/core/types.js';
import { removeDir, ROOT, tempDir } from '../support/cli.js';

const FIXTURE = path.join(ROOT, 'test/fixtures/reports/realizar-all.json');

async function compare(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/compare.ts'), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, stderr };
}

async function withP95Growth(dir: string, factor: number): Promise<string> {
  const report = JSON.parse(await readFile(FIXTURE, 'utf8')) as Report;
  for (const s of report.scenarios) if (s.latencyMs) s.latencyMs.p95 *= factor;
  const file = path.join(dir, `p95x${factor}.json`);
  await writeFile(file, JSON.stringify(report));
  return file;
}

describe('npm run compare', () => {
  it('flags an injected 30% p95 regression in every scenario and exits 1', async () => {
    const dir = await tempDir('compare');
    try {
      const r = await compare([FIXTURE, await withP95Growth(dir, 1.3)]);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stdout, /\| health \| p95 \| 18\.07 ms \| 23\.49 ms \| \+30\.00% \| .*regression \|/);
      assert.match(r.stdout, /7 regressions/);
    } finally {
      await removeDir(dir);
    }
  });

  it('passes an unchanged run, and a 30% growth under a 40% allowance', async () => {
    const dir = await tempDir('compare');
    try {
      assert.equal((await compare([FIXTURE, FIXTURE])).code, 0);
      const r = await compare([FIXTURE, await withP95Growth(dir, 1.3), '--p95-growth', '40']);
      assert.equal(r.code, 0, r.stdout);
      assert.match(r.stdout, /no regression/);
    } finally {
      await removeDir(dir);
    }
  });

  it('--save-baseline keeps a run as the baseline, which compare then reads', async () => {
    const dir = await tempDir('baseline');
    const baseline = path.join(dir, 'baselines', 'main.json');
    try {
      const saved = await compare(['--save-baseline', FIXTURE, '--baseline-file', baseline]);
      assert.equal(saved.code, 0, saved.stderr);
      assert.match(saved.stdout, /saved run 2026-11-27T23-49-30Z-all as the baseline/);
      assert.deepEqual(JSON.parse(await readFile(baseline, 'utf8')), JSON.parse(await readFile(FIXTURE, 'utf8')));
      assert.equal((await compare([baseline, FIXTURE])).code, 0);
    } finally {
      await removeDir(dir);
    }
  });

  it('compares medians of repeated runs and says when a change is inside the run-to-run spread', async () => {
    const dir = await tempDir('runs');
    try {
      const base = JSON.parse(await readFile(FIXTURE, 'utf8')) as Report;
      const health = base.scenarios.find((s) => s.name === 'health')!;
      const withP95 = (p95: number, repeat: number) => ({
        ...health,
        repeat,
        latencyMs: { ...health.latencyMs!, p95 },
      });
      const baselineFile = path.join(dir, 'baseline.json');
      const currentFile = path.join(dir, 'current.json');
      await writeFile(
        baselineFile,
        JSON.stringify({ ...base, scenarios: [withP95(10, 1), withP95(20, 2), withP95(30, 3)] }),
      );
      await writeFile(
        currentFile,
        JSON.stringify({ ...base, scenarios: [withP95(25, 1), withP95(26, 2), withP95(27, 3)] }),
      );
      const r = await compare([baselineFile, currentFile]);
      assert.equal(r.code, 1, 'a 30% growth of the median is a regression');
      assert.match(r.stdout, /3 run\(s\)\) vs current .* \(3 run\(s\)\)/);
      assert.match(r.stdout, /spread/i);
    } finally {
      await removeDir(dir);
    }
  });

  it('a report that is not there, or not a report, is exit 2 naming the file', async () => {
    const missing = await compare(['/nonexistent/report.json']);
    assert.equal(missing.code, 2);
    assert.match(
      missing.stderr,
      /\/nonexistent\/report\.json: expected a report\.json written by realizar-k6, found no such file/,
    );
    const notReport = await compare([path.join(ROOT, 'package.json'), FIXTURE]);
    assert.equal(notReport.code, 2);
    assert.match(notReport.stderr, /package\.json: at \/reportVersion: expected a value \(required\)/);
  });
});
