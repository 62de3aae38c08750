import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ScenarioReport } from '../../src/core/types.js';
import { renderScenario, renderSeedBlock } from '../../src/core/report/render.js';

/** The seed's "Example Output" (load-testing.md, Metrics Collected), verbatim. */
const SEED_EXAMPLE = `=== Load Test Results ===
Total requests: 100
Successes: 98
Failures: 2
Duration: 12.34s
Throughput: 7.94 req/s
Error rate: 2.00%

Latency Percentiles:
  p50: 89.23ms
  p95: 156.78ms
  p99: 234.56ms
  max: 287ms`;

function scenario(over: Partial<ScenarioReport> = {}): ScenarioReport {
  return {
    name: 'health',
    description: 'example',
    status: 'completed',
    error: null,
    k6ExitCode: 0,
    durationSec: 12.34,
    totals: { requests: 100, sent: 100, successes: 98, failures: 2, dropped: 0, unsent: 0 },
    throughputRps: 98 / 12.34,
    errorRatePct: 2,
    successRatePct: 98,
    latencyMs: { samples: 100, min: 10, avg: 100, p50: 89.23, p90: 140, p95: 156.78, p99: 234.56, max: 287.2 },
    endpoints: [],
    phases: [],
    checks: [],
    verdicts: [],
    notes: [],
    files: { summary: null, plan: null },
    ...over,
  };
}

describe('the text report', () => {
  it("prints the seed's example block with the same labels, order and units", () => {
    assert.equal(renderSeedBlock(scenario()).join('\n'), SEED_EXAMPLE);
  });

  it('says when nothing was sent instead of printing zero latencies', () => {
    const text = renderSeedBlock(scenario({ latencyMs: null, errorRatePct: null })).join('\n');
    assert.match(text, /Error rate: n\/a/);
    assert.match(text, /\(no request was sent\)/);
    assert.doesNotMatch(text, /p50: 0\.00ms/);
  });

  it('shows how many failures were dropped or never sent', () => {
    const text = renderScenario(
      scenario({ totals: { requests: 100, sent: 90, successes: 88, failures: 12, dropped: 7, unsent: 3 } }),
    );
    assert.match(text, /\(of the failures: 7 dropped, 3 never sent\)/);
  });

  it('marks each verdict PASS or FAIL and which tier gates', () => {
    const text = renderScenario(
      scenario({
        verdicts: [
          {
            id: 'p95.acceptable',
            tier: 'acceptable',
            metric: 'p95 latency',
            scope: 'all',
            op: '<',
            bound: 500,
            measured: 156.78,
            unit: 'ms',
            pass: true,
            gating: true,
            source: 's',
            k6Threshold: null,
            k6Ok: null,
          },
          {
            id: 'p95.target',
            tier: 'target',
            metric: 'p95 latency',
            scope: 'all',
            op: '<',
            bound: 100,
            measured: 156.78,
            unit: 'ms',
            pass: false,
            gating: false,
            source: 's',
            k6Threshold: null,
            k6Ok: null,
          },
        ],
      }),
    );
    assert.match(text, /p95 latency\s+all\s+acceptable \(gate\)\s+< 500 ms\s+156\.78 ms\s+PASS/);
    assert.match(text, /p95 latency\s+all\s+target\s+< 100 ms\s+156\.78 ms\s+FAIL/);
  });
});
