/**
 * One report from the runners of a split run (npm run report -- --merge), on the folders real split
 * runs left (test/fixtures/split-spike-4 and split-spike-2: the spike scenario as 4 and 2 k6
 * processes against a server answering slowly now and then and failing every 7th request): counts
 * are the sums over the whole plan, percentiles those of every request's samples together, phases
 * and the endpoint mix exact; and every way runners can fail to belong together is refused, or
 * marked partial, never added up in silence.
 */
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, truncate, stat, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { K6_FILES } from '../../src/core/contract.js';
import { ValidationError } from '../../src/core/errors/ValidationError.js';
import { phaseShare, parseSegment, parseSequence, tupleOf } from '../../src/core/merge/segments.js';
import { K6_METRICS } from '../../src/core/rules/metric-table.js';
import type { K6Summary, Report, RunnerRecord, ScenarioPlan } from '../../src/core/types.js';
import { mergedReport } from '../../src/node/merge/merge-report.js';
import { MERGED_FILES, mergeRunners } from '../../src/node/merge/merge.js';
import { resolveRunnerFolders } from '../../src/node/merge/runner-folders.js';
import { rebuildReport } from '../../src/node/commands/rebuild.js';
import { pct, samplesTruth, type SamplesTruth } from '../support/split-truth.js';

const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures');
const SPLIT4 = path.join(FIXTURES, 'split-spike-4');
const SPLIT2 = path.join(FIXTURES, 'split-spike-2');
const runnersOf = (dir: string, n: number): string[] =>
  Array.from({ length: n }, (_, i) => path.join(dir, `runner-${i + 1}`));

const temps: string[] = [];
after(async () => {
  for (const t of temps) await rm(t, { recursive: true, force: true });
});
async function temp(): Promise<string> {
  const t = await mkdtemp(path.join(os.tmpdir(), 'realizar-k6-merge-'));
  temps.push(t);
  return t;
}

const truthOf = (dirs: readonly string[]): Promise<SamplesTruth> => samplesTruth(dirs);
const p = (values: number[], percent: number): number => pct(values, percent)!;
const readJson = async <T>(file: string): Promise<T> => JSON.parse(await readFile(file, 'utf8')) as T;
const report = async (paths: string[]): Promise<Report> =>
  (await mergedReport(paths, async (s) => `test-${s}-merged`)).report;

describe('a merge of the runners of a split run', () => {
  for (const [dir, n] of [
    [SPLIT4, 4],
    [SPLIT2, 2],
  ] as const) {
    it(`of ${n} runners counts every request once, its percentiles those of all their samples together`, async () => {
      const dirs = runnersOf(dir, n);
      const plan = await readJson<ScenarioPlan>(path.join(dirs[0]!, K6_FILES.plan));
      const truth = await truthOf(dirs);
      const r = await report(dirs);
      const s = r.scenarios[0]!;

      const planned = plan.phases.reduce((a, ph) => a + ph.requests, 0);
      let summed = 0;
      for (const d of dirs) {
        const m = (await readJson<K6Summary>(path.join(d, K6_FILES.summary))).metrics[K6_METRICS.requestFailed]!;
        summed += (m.values['passes'] ?? 0) + (m.values['fails'] ?? 0);
      }
      assert.equal(s.totals.requests, planned, 'planned: the whole plan');
      assert.equal(s.totals.sent, summed, "sent: the sum of the runners' own k6 summaries");
      assert.equal(s.totals.sent, truth.sent);
      assert.equal(s.totals.failures, truth.failed + s.totals.dropped + s.totals.unsent);
      assert.equal(s.totals.unsent, planned - truth.sent - s.totals.dropped);

      const lat = s.latencyMs!;
      assert.equal(lat.samples, truth.latencies.length);
      for (const [stat, pct] of [
        ['p50', 50],
        ['p90', 90],
        ['p95', 95],
        ['p99', 99],
      ] as const)
        assert.equal(lat[stat], p(truth.latencies, pct), `${stat} of all ${truth.latencies.length} requests`);
      assert.equal(lat.max, Math.max(...truth.latencies));
      assert.equal(lat.min, Math.min(...truth.latencies));

      for (const phase of s.phases) {
        const values = truth.byPhase.get(phase.name) ?? [];
        assert.equal(phase.totals.sent, values.length, `phase ${phase.name}`);
        assert.equal(phase.plannedRequests, plan.phases.find((x) => x.name === phase.name)!.requests);
        if (values.length > 0) assert.equal(phase.latencyMs!.p95, p(values, 95), `phase ${phase.name} p95`);
      }
      for (const e of s.endpoints) {
        assert.deepEqual(
          { sent: e.totals.sent, failed: e.totals.failures },
          truth.byEndpoint.get(e.name),
          `endpoint ${e.name}`,
        );
      }
      assert.equal(
        s.endpoints.reduce((a, e) => a + e.totals.sent, 0),
        truth.sent,
        'the mix covers every request',
      );
      assert.equal(s.k6ExitCode, null, "no runner's own threshold judgement stands for the whole");
      assert.equal(r.rebuilt?.partial, false);
      assert.equal(s.partial, undefined);
      const errorRate = s.verdicts.find((v) => v.id === 'spike.errors.acceptable');
      assert.ok(errorRate, s.verdicts.map((v) => v.id).join(', '));
      assert.equal(errorRate.measured, s.phases.find((x) => x.name === 'spike')!.errorRatePct);
    });
  }

  it('says what each runner planned (k6 striping), sent and failed, the shares adding up to the plan', async () => {
    const dirs = runnersOf(SPLIT4, 4);
    const s = (await report(dirs)).scenarios[0]!;
    const plan = await readJson<ScenarioPlan>(path.join(dirs[0]!, K6_FILES.plan));
    const seq = parseSequence('0,1/4,1/2,3/4,1')!;
    let total = 0;
    for (const [i, seg] of ['0:1/4', '1/4:1/2', '1/2:3/4', '3/4:1'].entries()) {
      const planned = plan.phases.reduce((a, ph) => a + phaseShare(tupleOf(parseSegment(seg), seq)!, ph).requests, 0);
      total += planned;
      const line = s.notes.find((n) => n.startsWith(`Runner ${seg} (`));
      assert.ok(line?.includes(`${planned} planned`), `${seg}: ${line}`);
      assert.ok(line?.includes(path.join('split-spike-4', `runner-${i + 1}`)), line);
    }
    assert.equal(total, s.totals.requests);
  });

  it('takes a folder of runner folders, or a file in one, for the runners in it', async () => {
    assert.deepEqual(await resolveRunnerFolders([SPLIT4]), runnersOf(SPLIT4, 4));
    assert.deepEqual(
      await resolveRunnerFolders([path.join(SPLIT2, 'runner-2', K6_FILES.samples), path.join(SPLIT2, 'runner-1')]),
      [path.join(SPLIT2, 'runner-2'), path.join(SPLIT2, 'runner-1')],
    );
    const r = await report([SPLIT2]);
    assert.equal(r.scenarios[0]!.totals.sent, (await truthOf(runnersOf(SPLIT2, 2))).sent);
  });

  it('of a split run that never wrote its report is rebuilt by npm run report as the run merged it', async () => {
    const run = await temp();
    await cp(SPLIT4, path.join(run, 'k6', 'spike'), { recursive: true });
    const { report: r } = await rebuildReport(run);
    const merged = await report(runnersOf(SPLIT4, 4));
    assert.deepEqual(r.scenarios[0]!.totals, merged.scenarios[0]!.totals);
    assert.deepEqual(r.scenarios[0]!.latencyMs, merged.scenarios[0]!.latencyMs);
    assert.equal(r.exitCode, 2, 'a run that wrote no report of its own never passes');
  });
});

describe('runners that do not make one whole', () => {
  it('a runner missing: its share counts as never sent, the report is partial and the run an error', async () => {
    const dirs = runnersOf(SPLIT4, 4);
    const whole = (await report(dirs)).scenarios[0]!;
    const r = await report([dirs[0]!, dirs[1]!, dirs[3]!]);
    const s = r.scenarios[0]!;
    const third = await truthOf([dirs[2]!]);
    assert.equal(r.exitCode, 2);
    assert.equal(r.rebuilt?.partial, true);
    assert.equal(s.status, 'error');
    assert.match(
      s.partial ?? '',
      /segment 1\/2:3\/4 of 0,1\/4,1\/2,3\/4,1 has no runner .*: its 12 planned requests count as never sent/,
    );
    assert.equal(s.totals.requests, whole.totals.requests, 'planned: still the whole plan');
    assert.equal(s.totals.sent, whole.totals.sent - third.sent);
    assert.equal(s.totals.unsent, whole.totals.unsent + third.sent);
  });

  it('a runner that crashed: its partial samples used, its segment the one left over, the report says so', async () => {
    const dirs = runnersOf(SPLIT4, 4);
    const crashed = path.join(await temp(), 'runner-3');
    await cp(dirs[2]!, crashed, { recursive: true });
    // What a k6 killed mid-run leaves: no summary, plan or runner.json, its gzip stream cut short.
    for (const f of [K6_FILES.summary, K6_FILES.plan, K6_FILES.runner]) await unlink(path.join(crashed, f));
    const samples = path.join(crashed, K6_FILES.samples);
    await truncate(samples, Math.floor((await stat(samples)).size * 0.6));
    const kept = await truthOf([crashed]);
    const r = await report([dirs[0]!, dirs[1]!, crashed, dirs[3]!]);
    const s = r.scenarios[0]!;
    assert.equal(r.exitCode, 2);
    assert.equal(r.rebuilt?.partial, true);
    assert.match(
      s.partial ?? '',
      new RegExp(
        `runner 1/2:3/4 ended before its summary .*: its ${kept.sent} requests are read from the samples it had ` +
          `written, the last ones before it stopped possibly lost`,
      ),
    );
    assert.ok(s.notes.some((n) => n.startsWith('Runner 1/2:3/4 (') && n.includes('the one no other runner holds')));
    assert.ok(kept.sent < 12, `a cut file keeps fewer than the 12 planned (${kept.sent})`);
    const all = await truthOf([dirs[0]!, dirs[1]!, crashed, dirs[3]!]);
    assert.equal(s.totals.sent, all.sent);
    assert.equal(s.latencyMs!.p95, p(all.latencies, 95));
  });

  it('runners of different runs are refused, naming the folder and both runs', async () => {
    const other = path.join(await temp(), 'runner-2');
    await cp(runnersOf(SPLIT4, 4)[1]!, other, { recursive: true });
    const record = await readJson<RunnerRecord>(path.join(other, K6_FILES.runner));
    await writeFile(path.join(other, K6_FILES.runner), JSON.stringify({ ...record, runId: 'another-run' }));
    const dirs = runnersOf(SPLIT4, 4);
    await assert.rejects(report([dirs[0]!, other, dirs[2]!, dirs[3]!]), (err: unknown) => {
      assert.ok(err instanceof ValidationError);
      assert.equal(err.exitCode, 2);
      assert.equal(err.source, other);
      assert.match(
        err.message,
        new RegExp(
          String.raw`at \/runId: expected run '2026-12-06T07-45-37Z-spike', as in .*runner-1: ` +
            `runners of different runs cannot be merged, found 'another-run'`,
        ),
      );
      return true;
    });
    // Two real runs, split differently.
    await assert.rejects(
      report([path.join(SPLIT2, 'runner-1'), path.join(SPLIT4, 'runner-2')]),
      /runners of different runs/,
    );
  });

  it('runners of different scenarios are refused, naming the folder and both scenarios', async () => {
    const health = path.join(FIXTURES, 'realizar-health');
    await assert.rejects(report([path.join(SPLIT4, 'runner-1'), health]), (err: unknown) => {
      assert.ok(err instanceof ValidationError);
      assert.match(
        err.message,
        new RegExp(
          String.raw`realizar-health: at \/scenario: expected scenario 'spike', as in .*runner-1: ` +
            `one merge is one scenario of one run, found 'health'`,
        ),
      );
      return true;
    });
  });

  it('runners whose plans differ are refused at the first difference, even under one run id', async () => {
    const other = path.join(await temp(), 'runner-4');
    await cp(runnersOf(SPLIT4, 4)[3]!, other, { recursive: true });
    const plan = await readJson<ScenarioPlan>(path.join(other, K6_FILES.plan));
    plan.phases[1]!.requests += 1;
    await writeFile(path.join(other, K6_FILES.plan), JSON.stringify(plan));
    const dirs = runnersOf(SPLIT4, 4);
    await assert.rejects(
      report([dirs[0]!, dirs[1]!, dirs[2]!, other]),
      /at \/plan\/phases\/1\/requests: expected the plan of .*runner-1 \(\d+\): runners of one run share one plan/,
    );
  });

  it('runners that sent more than their share: the plan is not what k6 ran, so the report is no whole', async () => {
    const copy = await temp();
    await cp(SPLIT2, copy, { recursive: true });
    for (const d of runnersOf(copy, 2)) {
      const plan = await readJson<ScenarioPlan>(path.join(d, K6_FILES.plan));
      plan.phases[1]!.requests -= 4;
      await writeFile(path.join(d, K6_FILES.plan), JSON.stringify(plan));
    }
    const r = await report(runnersOf(copy, 2));
    assert.equal(r.exitCode, 2);
    assert.match(
      r.scenarios[0]!.partial ?? '',
      /runner 0:1\/2 sent \d+ requests where its share of the plan is \d+: k6 ran other options than the plan says/,
    );
  });

  it('the same share given twice is refused', async () => {
    const copy = path.join(await temp(), 'copy-of-runner-2');
    await cp(runnersOf(SPLIT4, 4)[1]!, copy, { recursive: true });
    await assert.rejects(
      report([SPLIT4, copy]),
      /at \/executionSegment: expected a segment no other folder holds \(.*runner-2 holds 1\/4:1\/2 too/,
    );
  });

  it('folders that say nothing of a split (no runner.json) cannot be told apart and are refused', async () => {
    await assert.rejects(
      report([path.join(FIXTURES, 'fault-spike-samples'), path.join(FIXTURES, 'fault-spike-dropped')]),
      /no execution segment in any of them/,
    );
  });

  it('a runner without per-request samples cannot join: percentiles over all need every request', async () => {
    const bare = path.join(await temp(), 'runner-1');
    await cp(runnersOf(SPLIT2, 2)[0]!, bare, { recursive: true });
    await unlink(path.join(bare, K6_FILES.samples));
    await assert.rejects(
      mergeRunners({ dirs: [bare, runnersOf(SPLIT2, 2)[1]!], originMs: null, ctx: { files: MERGED_FILES } }),
      /samples\.csv\.gz: expected the runner's per-request samples/,
    );
  });

  it('a path that is not a runner folder is refused, naming it', async () => {
    const empty = await temp();
    await assert.rejects(report([empty]), (err: unknown) => {
      assert.ok(err instanceof ValidationError);
      assert.equal(err.source, empty);
      return true;
    });
  });
});
