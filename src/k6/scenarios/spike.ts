/**
 * Seed scenario 7: spike traffic. Baseline 2 clients x 10 requests, then a 10x spike of 20 clients x
 * 100 requests, then a recovery phase like the baseline. Each phase is an open-model window of 5 s, so
 * the spike is a 10x jump in arrival rate (2 -> 20 req/s), and the recovery phase shows whether the
 * server came back to its baseline latency and error rate.
 */
import { builtinScenario } from '../lib/scenario.js';
// As text: parsed only where the plan is resolved (src/k6/lib/scenario.ts builtinScenario).
import thresholds from '../../../thresholds/spike.json' with { type: 'text' };

const scenario = builtinScenario('spike', thresholds);

export const options = scenario.options;
export default scenario.run;
export const handleSummary = scenario.handleSummary;
