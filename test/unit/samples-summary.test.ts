/**
 * A report rebuilt from k6's per-request samples (what a killed k6 leaves) must say what k6's own
 * summary of the same run says: the fixture holds both, from one real k6 run (test/fixtures/README.md).
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { convertScenario } from '../../src/core/summary/convert.js';
import type { K6Summary, ScenarioPlan } from '../../src/core/types.js';
import { findPlanLine } from '../../src/core/plan/plan-line.js';
import { percentile } from '../../src/core/stats.js';
import { metricsToRead, SummaryFromSamples, type MetricSample } from '../../src/core/summary/samples-summary.js';
import { sampleParser, scanSamples } from '../../src/node/watch/samples.js';

const FIXTURE = path.join(import.meta.dirname, '..', 'fixtures', 'fault-spike-samples');
const ctx = { k6ExitCode: null, status: 'completed' as const, error: null, files: { summary: null, plan: null } };

async function fixture(): Promise<{
  plan: ScenarioPlan;
  summary: K6Summary;
  samples: MetricSample[];
  truncated: boolean;
}> {
  const plan = JSON.parse(await readFile(path.join(FIXTURE, 'plan.json'), 'utf8')) as ScenarioPlan;
  const summary = JSON.parse(await readFile(path.join(FIXTURE, 'summary.json'), 'utf8')) as K6Summary;
  const samples: MetricSample[] = [];
  const read = await scanSamples(path.join(FIXTURE, 'samples.csv.gz'), metricsToRead(plan.latencyMetric), (s) =>
    samples.push(s),
  );
  return { plan, summary, samples, truncated: read!.truncated };
}

describe('a summary rebuilt from per-request samples', () => {
  it("gives k6's own summary's totals, breakdowns and checks, and latencies within the CSV's rounding", async () => {
    const { plan, summary, samples, truncated } = await fixture();
    assert.equal(truncated, false, 'k6 closed this file');
    const fromK6 = convertScenario(plan, summary, ctx);
    const acc = new SummaryFromSamples(plan.latencyMetric);
    for (const s of samples) acc.add(s);
    const fromSamples = convertScenario(plan, acc.result().summary, ctx);
    assert.ok(fromK6.totals.requests > 0);
    assert.deepEqual(fromSamples.totals, fromK6.totals);
    assert.deepEqual(
      fromSamples.phases.map((p) => [p.name, p.totals]),
      fromK6.phases.map((p) => [p.name, p.totals]),
    );
    assert.deepEqual(
      fromSamples.endpoints.map((e) => [e.name, e.totals]),
      fromK6.endpoints.map((e) => [e.name, e.totals]),
    );
    assert.deepEqual(fromSamples.checks, fromK6.checks);
    for (const stat of ['min', 'p50', 'p90', 'p95', 'p99', 'max'] as const) {
      assert.ok(
        Math.abs(fromSamples.latencyMs![stat] - fromK6.latencyMs![stat]) < 0.001,
        `${stat}: ${fromSamples.latencyMs![stat]} vs ${fromK6.latencyMs![stat]}`,
      );
    }
    assert.deepEqual(
      fromSamples.verdicts.map((v) => [v.id, v.pass]),
      fromK6.verdicts.map((v) => [v.id, v.pass]),
      'the same verdicts, k6 judgements aside',
    );
  });

  it('reads a file k6 never closed as far as it goes, and says it was cut short', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'realizar-k6-unit-samples-'));
    try {
      const whole = await readFile(path.join(FIXTURE, 'samples.csv.gz'));
      const text = gunzipSync(whole).toString('utf8');
      const lines = text.split('\n');
      // A stream without its end: the first half of the rows, the last one cut mid-line, no gzip trailer.
      const half = `${lines.slice(0, Math.floor(lines.length / 2)).join('\n')}\nrequest_failed,17`;
      const cut = gzipSync(half).subarray(0, -8);
      await writeFile(path.join(dir, 'samples.csv.gz'), cut);
      const samples: MetricSample[] = [];
      const read = await scanSamples(path.join(dir, 'samples.csv.gz'), new Set(['request_failed']), (s) =>
        samples.push(s),
      );
      assert.equal(read?.truncated, true);
      const expected = lines
        .slice(1, Math.floor(lines.length / 2))
        .filter((l) => l.startsWith('request_failed,')).length;
      assert.ok(expected > 0);
      assert.equal(samples.length, expected, 'every whole row of the wanted metric, not the cut one');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('computes percentiles as k6 does: linear interpolation between the closest ranks', () => {
    assert.equal(percentile([10], 95), 10);
    assert.equal(percentile([1, 2, 3, 4], 50), 2.5);
    assert.equal(percentile([0, 10], 95), 9.5);
  });
  it("counts a conversation's turns apart, as k6's summary keys them, from the turn in k6's extra_tags", () => {
    const header =
      'metric_name,timestamp,metric_value,check,error,error_code,expected_response,group,method,name,' +
      'proto,scenario,service,status,subproto,tls_version,url,extra_tags,metadata';
    const parse = sampleParser(header, new Set(['requests_ok']));
    const line = (t: number, turn: string): string =>
      `requests_ok,${1767225600 + t},1,,,,,,,,,steady,,,,,,endpoint=generate&turn=${turn},`;
    const acc = new SummaryFromSamples();
    for (const [t, turn] of [
      [0, '1'],
      [1, '2'],
      [2, '1'],
    ] as const)
      acc.add(parse(line(t, turn))!);
    const m = acc.result().summary.metrics;
    assert.equal(parse(line(0, '2'))!.turn, '2');
    assert.deepEqual(
      [
        m['requests_ok']?.values['count'],
        m['requests_ok{turn:1}']?.values['count'],
        m['requests_ok{turn:2}']?.values['count'],
      ],
      [3, 2, 1],
    );
  });
});

describe('the plan k6 logs at start', () => {
  it("is read back from k6's output, and matches the plan.json it wrote at the end", async () => {
    const log = await readFile(path.join(FIXTURE, 'k6.log'), 'utf8');
    const plan = JSON.parse(await readFile(path.join(FIXTURE, 'plan.json'), 'utf8')) as unknown;
    assert.deepEqual(findPlanLine(log), plan);
  });

  it('is null when no line carries it', () => {
    assert.equal(findPlanLine('time="2026-01-01T00:00:00Z" level=info msg="something else" source=console\n'), null);
  });
});
