/**
 * A split run with --no-samples, merged from its runners' one-second windows, on the folders a real run
 * left (test/fixtures/split-spike-2-windows: the spike scenario as 2 k6 processes against a server
 * answering slowly now and then and failing every 7th request). Each runner's own k6 summary is the
 * truth: counts add up to theirs exactly, the latency count is every request's, percentiles lie within
 * the runners' own (to a bucket), and k6's checks, which windows cannot give, come from the summaries.
 */
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { K6_FILES } from '../../src/core/contract.js';
import type { K6Summary } from '../../src/core/types.js';
import { SummaryFromWindows } from '../../src/core/windows/windows-summary.js';
import type { WindowPush } from '../../src/core/windows/windows.js';
import { MERGED_FILES, mergeRunners } from '../../src/node/merge/merge.js';

const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures');
const SPLIT = path.join(FIXTURES, 'split-spike-2-windows');
const RUNNERS = [1, 2].map((i) => path.join(SPLIT, `runner-${i}`));

const temps: string[] = [];
after(async () => {
  for (const t of temps) await rm(t, { recursive: true, force: true });
});

const readJson = async <T>(file: string): Promise<T> => JSON.parse(await readFile(file, 'utf8')) as T;
const summaries = (): Promise<K6Summary[]> =>
  Promise.all(RUNNERS.map((d) => readJson<K6Summary>(path.join(d, 'summary.json'))));
const stat = (s: K6Summary, key: string, name: string): number => s.metrics[key]?.values[name] ?? 0;
const sum = (all: K6Summary[], key: string, name: string): number => all.reduce((n, s) => n + stat(s, key, name), 0);

async function pushesOf(dir: string): Promise<WindowPush[]> {
  const text = await readFile(path.join(dir, K6_FILES.windows), 'utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as WindowPush);
}

describe('a split run merged from its windows', () => {
  it("counts every request once, as the runners' own summaries do, and adds up their checks", async () => {
    const truth = await summaries();
    const merged = await mergeRunners({ dirs: RUNNERS, originMs: null, ctx: { files: MERGED_FILES } });
    assert.equal(merged.partial, false, merged.report.partial ?? '');
    const s = merged.report;
    const sent = sum(truth, 'request_failed', 'passes') + sum(truth, 'request_failed', 'fails');
    assert.equal(s.totals.sent, sent);
    assert.equal(s.totals.successes, sum(truth, 'requests_ok', 'count'));
    assert.equal(s.latencyMs!.samples, sum(truth, 'http_req_duration', 'count'));
    for (const phase of s.phases) {
      const key = `request_failed{scenario:${phase.name}}`;
      assert.equal(phase.totals.sent, sum(truth, key, 'passes') + sum(truth, key, 'fails'), phase.name);
    }
    // The mean from k6's exact sums: the runners' means weighed by their counts.
    const mean =
      sum(truth, 'http_req_duration', 'count') === 0
        ? 0
        : truth.reduce((n, t) => n + stat(t, 'http_req_duration', 'avg') * stat(t, 'http_req_duration', 'count'), 0) /
          sum(truth, 'http_req_duration', 'count');
    assert.ok(Math.abs(s.latencyMs!.avg! - mean) < 1e-6 * mean, `${s.latencyMs!.avg} against ${mean}`);
    // The union's p95 lies between the runners' own, to a bucket (about 9 % wide).
    const p95s = truth.map((t) => stat(t, 'http_req_duration', 'p(95)'));
    assert.ok(
      s.latencyMs!.p95! >= Math.min(...p95s) * 0.95 && s.latencyMs!.p95! <= Math.max(...p95s) * 1.05,
      `${s.latencyMs!.p95} against the runners' ${p95s.join(', ')}`,
    );
    const checks = new Map<string, number>();
    for (const t of truth)
      for (const c of t.root_group.checks) checks.set(c.name, (checks.get(c.name) ?? 0) + c.passes);
    assert.equal(s.checks.length, checks.size);
    for (const c of s.checks) assert.equal(c.passes, checks.get(c.name), c.name);
    assert.ok(
      s.notes.some((n) => /percentiles those of all \d+ requests' windows together/.test(n)),
      s.notes.join('\n'),
    );
    assert.ok(
      (s.timeline?.seconds.reduce((n, x) => n + x.requests, 0) ?? 0) === sent,
      'the timeline holds each request',
    );
  });

  it("rebuilds one runner's own figures: counts exact, latencies to within a bucket of k6's", async () => {
    const [truth] = await summaries();
    const rebuilt = new SummaryFromWindows('http_req_duration', 1000);
    for (const p of await pushesOf(RUNNERS[0]!)) rebuilt.add(p);
    const m = rebuilt.result().summary.metrics;
    for (const key of ['request_failed', 'request_failed{scenario:spike}', 'request_failed{endpoint:generate}'])
      assert.deepEqual(
        [m[key]?.values['passes'], m[key]?.values['fails']],
        [stat(truth!, key, 'passes'), stat(truth!, key, 'fails')],
        key,
      );
    assert.equal(m['requests_ok']?.values['count'], stat(truth!, 'requests_ok', 'count'));
    assert.equal(m['http_req_duration']?.values['count'], stat(truth!, 'http_req_duration', 'count'));
    for (const name of ['med', 'max']) {
      const [got, want] = [m['http_req_duration']!.values[name]!, stat(truth!, 'http_req_duration', name)];
      assert.ok(Math.abs(got - want) / want < 0.05, `${name}: ${got} against k6's ${want}`);
    }
  });

  it('refuses a runner with samples among runners with windows, naming it and what it holds', async () => {
    const t = await mkdtemp(path.join(os.tmpdir(), 'realizar-k6-merge-windows-'));
    temps.push(t);
    const dirs = RUNNERS.map((_, i) => path.join(t, `runner-${i + 1}`));
    for (const [i, d] of dirs.entries()) await cp(RUNNERS[i]!, d, { recursive: true });
    await unlink(path.join(dirs[1]!, K6_FILES.windows));
    await cp(path.join(FIXTURES, 'split-spike-2', 'runner-2', K6_FILES.samples), path.join(dirs[1]!, K6_FILES.samples));
    await assert.rejects(
      mergeRunners({ dirs, originMs: null, ctx: { files: MERGED_FILES } }),
      /windows\.jsonl: expected k6's one-second windows, as the other runners have .*found per-request samples/s,
    );
  });
});
