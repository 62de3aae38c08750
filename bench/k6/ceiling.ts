/**
 * Benchmark only: the health scenario's own request path (defineScenario, its checks and schema
 * validation, its thresholds and observers) with many more requests, to find how fast the load
 * generator can go. BENCH_VUS is set per bundle by bench/run.ts (esbuild define); SCALE sets the
 * number of requests, as it does for the scenarios.
 */
import { defineScenario } from '../../src/k6/lib/scenario.js';
import thresholds from '../../thresholds/health.json';

declare const BENCH_VUS: number;

const scenario = defineScenario({
  name: 'health',
  description: `generator ceiling: GET /health, ${BENCH_VUS} clients`,
  thresholds,
  mixable: false,
  mix: [{ endpoint: 'health', weight: 1 }],
  phases: [{ name: 'health', model: 'closed', clients: BENCH_VUS, requests: 1_000_000, timeoutSec: 30 }],
});

export const options = scenario.options;
export default scenario.run;
export const handleSummary = scenario.handleSummary;
