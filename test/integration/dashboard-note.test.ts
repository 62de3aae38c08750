/**
 * Every scenario of a run has k6's dashboard, or a line in the report saying why it has none: a
 * run shorter than two dashboard periods (the seed's health run lasts a few hundredths of a
 * second), or --no-dashboard. An open run gets a period from its planned length, so even a 3 s run
 * has its graphs. Real k6 against a real Realizar.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { ScenarioReport } from '../../src/core/types.js';
import { freePort, latestReport, removeDir, runCli, tempDir } from '../support/cli.js';

async function scenarioOf(args: string[]): Promise<{ s: ScenarioReport; text: string }> {
  const out = await tempDir('dashboard-note');
  try {
    const run = await runCli([...args, '--port', String(await freePort()), '--out-dir', out]);
    const { report, text } = await latestReport(out);
    assert.equal(run.code, report.exitCode, run.stderr);
    return { s: report.scenarios[0]!, text };
  } finally {
    await removeDir(out);
  }
}

const noteOf = (s: ScenarioReport): string | undefined => s.notes.find((n) => n.startsWith('No k6 dashboard'));

describe("k6's dashboard, or the reason there is none", () => {
  it('the seed health run asked for one has it or says why, naming its length and the period', async () => {
    const { s, text } = await scenarioOf(['health', '--dashboard']);
    const note = noteOf(s);
    assert.ok((s.files.dashboard == null) === (note !== undefined), `dashboard ${s.files.dashboard}, note ${note}`);
    if (note !== undefined) {
      assert.match(
        note,
        /the run lasted \d+\.\d\d s, and k6 exports one only after two snapshots, one per \d+ (ms|s) period/,
      );
      assert.ok(text.includes(note), 'the note is in report.txt');
    }
  });

  it('by default has none, and says what it would cost and how to have one', async () => {
    const { s, text } = await scenarioOf(['health', '--scale', '0.1']);
    assert.equal(s.files.dashboard, null);
    assert.match(noteOf(s) ?? '', /off by default, for k6 takes every sample twice .* --dashboard exports/);
    assert.ok(text.includes(noteOf(s)!), 'the note is in report.txt');
    const explicit = await scenarioOf(['health', '--scale', '0.1', '--no-dashboard']);
    assert.equal(explicit.s.files.dashboard, null, '--no-dashboard spells the default');
  });

  it('refuses --dashboard beside --no-dashboard before anything starts', async () => {
    const run = await runCli(['health', '--dashboard', '--no-dashboard', '--port', String(await freePort())]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--dashboard.*either --dashboard or --no-dashboard \(the default\), not both/);
  });

  it('a 3 s open run gets a period short enough for a dashboard, and no note', async () => {
    const out = await tempDir('dashboard-open');
    try {
      const run = await runCli([
        'sustained',
        '--mix',
        'health',
        '--rate',
        '100',
        '--duration',
        '3',
        '--dashboard',
        '--port',
        String(await freePort()),
        '--out-dir',
        out,
      ]);
      const { report, dir } = await latestReport(out);
      assert.equal(run.code, report.exitCode, run.stderr);
      const s = report.scenarios[0]!;
      assert.equal(s.files.dashboard, 'k6/sustained/dashboard.html');
      assert.ok(existsSync(path.join(dir, s.files.dashboard)));
      assert.equal(noteOf(s), undefined);
    } finally {
      await removeDir(out);
    }
  });
});
