/**
 * What k6 left, read the one way a run and a sweep both read it: k6's summary when it wrote one,
 * else its per-request samples against the plan it logged, marked partial; a sweep step read from
 * its samples is kept with its figures, marked partial, and its problem ends the sweep.
 */
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { concurrencyStep } from '../../src/core/commands/concurrency-sweep.js';
import { K6RunError } from '../../src/node/errors/K6RunError.js';
import { k6Status, readK6Result } from '../../src/node/run/k6-result.js';
import { judgeStep } from '../../src/node/sweep/steps.js';
import { readStep } from '../../src/node/sweep/step-result.js';

const FIXTURE = path.join(import.meta.dirname, '..', 'fixtures', 'fault-spike-samples');
const KILLED = { code: null, signal: 'SIGKILL', tail: '' };
const EXITED_0 = { code: 0, signal: null };
const ctx = { files: { summary: null, plan: null } };
const LEVEL = 'the level of 2 client(s)';
function read(outDir: string, exit: { code: number | null; signal: string | null }) {
  return readK6Result({ name: 'spike', outDir, originMs: null, exit, ctx });
}

/** A k6 folder holding the fixture's files named in `files`. */
async function folder(root: string, name: string, files: readonly string[]): Promise<string> {
  const dir = path.join(root, name);
  await mkdir(dir);
  for (const f of files) await copyFile(path.join(FIXTURE, f), path.join(dir, f));
  return dir;
}

describe('reading what k6 left', () => {
  let root = '';
  let whole = '';
  let killed = '';
  let empty = '';
  before(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'realizar-k6-unit-k6-result-'));
    whole = await folder(root, 'whole', ['summary.json', 'plan.json', 'samples.csv.gz', 'k6.log']);
    killed = await folder(root, 'killed', ['samples.csv.gz', 'k6.log']);
    empty = await folder(root, 'empty', []);
  });
  after(() => rm(root, { recursive: true, force: true }));

  it('takes a k6 that exited 0 or crossed a threshold as having run its course', () => {
    assert.equal(k6Status({ code: 0, signal: null }), 'completed');
    assert.equal(k6Status({ code: 99, signal: null }), 'completed');
    assert.equal(k6Status({ code: 107, signal: null }), 'error');
    assert.equal(k6Status(KILLED), 'error');
    assert.equal(k6Status({ code: 0, signal: null }, true), 'interrupted');
  });

  it("reads k6's summary when it wrote one: complete, no error", async () => {
    const out = await read(whole, EXITED_0);
    assert.equal(out.partial, false);
    assert.equal(out.measured, true);
    assert.equal(out.report.status, 'completed');
    assert.equal(out.report.error, null);
    assert.ok(out.report.totals.requests > 0);
  });

  it('rebuilds a killed k6 from its samples, with the same totals, marked partial and in error', async () => {
    const complete = await read(whole, EXITED_0);
    const out = await read(killed, KILLED);
    assert.equal(out.partial, true);
    assert.equal(out.measured, true);
    assert.equal(out.report.status, 'error');
    assert.match(out.report.error ?? '', /k6 exited with .*SIGKILL/);
    assert.match(out.report.partial ?? '', /k6 was killed \(SIGKILL\) before writing its summary/);
    assert.deepEqual(out.report.totals, complete.report.totals);
  });

  it('says nothing was measured when k6 left neither a summary nor samples', async () => {
    const out = await read(empty, KILLED);
    assert.equal(out.measured, false);
    assert.equal(out.report.status, 'error');
  });

  it('keeps a sweep level whose k6 was killed, partial, never meeting the SLO, and ends the sweep', async () => {
    const { report, problem } = await readStep({ name: 'spike', what: LEVEL, outDir: killed, exit: KILLED });
    assert.ok(problem instanceof K6RunError);
    assert.match(problem.message, /k6 wrote no summary for the level of 2 client\(s\)/);
    const step = concurrencyStep(2, report);
    assert.match(step.partial ?? '', /rebuilt from the \d+ per-request samples/);
    assert.ok(step.requests > 0);
    const judged = judgeStep(step, { slos: [], errorBudgetPct: 100 });
    assert.equal(judged.meetsSlo, false);
    assert.match(judged.reason, /partial/);
  });

  it('reads a complete sweep level without a problem, and fails a level of which nothing could be read', async () => {
    const { report, problem } = await readStep({ name: 'spike', what: LEVEL, outDir: whole, exit: EXITED_0 });
    assert.equal(problem, null);
    assert.equal(report.partial ?? null, null);
    await assert.rejects(readStep({ name: 'spike', what: LEVEL, outDir: empty, exit: KILLED }), K6RunError);
  });
});
