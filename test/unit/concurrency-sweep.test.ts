import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  concurrencyCharts,
  concurrencyLevels,
  concurrencyMarkdown,
  concurrencyStep,
  concurrencySummary,
  goodputLevel,
} from '../../src/core/commands/concurrency-sweep.js';
import type { Latency, ScenarioReport, SweepReport, SweepStep } from '../../src/core/types.js';
import { judgeStep } from '../../src/node/sweep/steps.js';
import { parseSlos } from '../../src/node/config/index.js';

const lat = (p50: number, p95 = p50 * 2): Latency => ({
  samples: 10,
  min: p50 / 2,
  avg: p50,
  p50,
  p90: p95,
  p95,
  p99: p95,
  max: p95,
});

/** A level's scenario report, as much of it as the sweep reads. */
function level(ttft: number, itl: number, tokensTotal: number, failures = 0): ScenarioReport {
  return {
    throughputRps: 12.3456,
    totals: { requests: 20, sent: 20, successes: 20 - failures, failures, dropped: 0, unsent: 0 },
    errorRatePct: (failures / 20) * 100,
    latencyMs: lat(400),
    streaming: {
      api: 'realizar',
      requests: 20,
      outputTokens: 320,
      countedFrom: 'server',
      ttftMs: lat(ttft),
      itlMs: lat(itl),
      e2eMs: lat(400),
      outputTokensPerSecond: { p50: 40, min: 30, max: 50 },
      method: '',
      windowSec: 2,
      outputTokensPerSecondTotal: tokensTotal,
    },
    generator: null,
  } as unknown as ScenarioReport;
}

describe('a sweep over concurrency', () => {
  it('doubles from 1 and ends at the highest level asked for', () => {
    assert.deepEqual(concurrencyLevels(64), [1, 2, 4, 8, 16, 32, 64]);
    assert.deepEqual(concurrencyLevels(10), [1, 2, 4, 8, 10]);
    assert.deepEqual(concurrencyLevels(1), [1]);
  });

  const config = { slos: parseSlos('--slo', 'ttft_p95<500,itl_p95<50'), errorBudgetPct: 1 };
  const judged = (n: number, ttft: number, itl: number, failures = 0): SweepStep =>
    judgeStep(concurrencyStep(n, level(ttft, itl, n * 40, failures)), config);

  it('holds a level to every objective at once and to the error budget', () => {
    assert.equal(judged(4, 100, 20).meetsSlo, true);
    assert.match(judged(8, 300, 30).reason, /ttft p95 600\.00 ms breaks ttft_p95<500ms/);
    assert.match(judged(8, 100, 30).reason, /itl p95 60\.00 ms breaks itl_p95<50ms/);
    assert.match(judged(8, 100, 20, 2).reason, /error rate 10\.00% is over the budget/);
  });

  it('names the highest level that met them, with its throughput in requests and tokens', () => {
    const steps = [judged(1, 100, 20), judged(2, 120, 20), judged(4, 400, 40), judged(8, 100, 20)];
    assert.equal(goodputLevel(steps)?.concurrency, 8);
    assert.match(
      concurrencySummary(steps, 'ttft_p95<500ms', true),
      new RegExp(
        /^Capacity within the SLO: 8 concurrent client\(s\) met ttft_p95<500ms at 12\.346 req\/s /.source +
          /and 320\.0 output tokens\/s; 1 of 4 level\(s\) did not\./.source,
      ),
    );
    assert.match(concurrencySummary([judged(1, 900, 20)], 'x', true), /No level met x/);
    assert.match(concurrencySummary(steps, 'no objective', false), /no objective was given/);
  });

  it('tabulates every level and draws each curve against concurrency on a log2 axis', () => {
    const steps = [judged(1, 100, 20), judged(2, 120, 22), judged(4, 150, 25)];
    const report = {
      endpoint: 'stream',
      slo: 'ttft_p95<500ms',
      errorBudgetPct: 1,
      summary: 'S',
      machine: 'M',
      steps,
    } as unknown as SweepReport;
    const md = concurrencyMarkdown(report);
    assert.match(
      md,
      new RegExp(
        /\| 2 \| 20 \| 0 \| 120\.00 \/ 240\.00 \| 22\.00 \/ 44\.00 /.source +
          /\| 400\.00 \/ 800\.00 \| 12\.35 \| 80\.0 \| 40\.0 \| meets \| n\/a \|/.source,
      ),
    );
    const charts = concurrencyCharts('stream', steps);
    assert.deepEqual(Object.keys(charts).sort(), [
      'e2e.svg',
      'itl.svg',
      'tokens-per-stream.svg',
      'tokens.svg',
      'ttft.svg',
    ]);
    // Levels 1, 2, 4 are evenly spaced, labelled by their value.
    const ticks = [
      ...charts['ttft.svg']!.matchAll(/<text x="([\d.]+)" y="362" text-anchor="middle">(\d+)<\/text>/g),
    ].map((m) => [Number(m[1]), m[2]]);
    assert.deepEqual(
      ticks.map((t) => t[1]),
      ['1', '2', '4'],
    );
    assert.ok(
      Math.abs(
        (ticks[1]![0] as number) - (ticks[0]![0] as number) - ((ticks[2]![0] as number) - (ticks[1]![0] as number)),
      ) < 0.02,
    );
    assert.equal((charts['tokens.svg']!.match(/<polyline/g) ?? []).length, 1);
  });

  it('keeps a level rebuilt from samples, never meeting the objectives, and says why it is partial', () => {
    const why = 'k6 was killed (SIGKILL) before writing its summary: the figures are rebuilt from its samples';
    const cut = judgeStep(concurrencyStep(2, { ...level(100, 20, 80), partial: why }), config);
    assert.equal(cut.meetsSlo, false);
    assert.match(cut.reason, /ttft p95 200\.00 ms, itl p95 40\.00 ms, error rate 0\.00%, but partial/);
    const report = {
      endpoint: 'stream',
      slo: 'ttft_p95<500ms',
      errorBudgetPct: 1,
      summary: 'S',
      machine: 'M',
      steps: [judged(1, 100, 20), cut],
    } as unknown as SweepReport;
    const md = concurrencyMarkdown(report);
    assert.match(md, /\| 2 \| 20 \| 0 \| .* \| partial \| n\/a \|/);
    assert.ok(md.includes(`- 2 client(s): ${why}`));
    assert.doesNotMatch(md, /- 1 client\(s\):/);
  });
});
