/**
 * Seed scenario 7: spike traffic. Baseline 2 clients x 10 requests, then a 10x spike of 20 clients x
 * 100 requests, then a recovery phase like the baseline. Each phase is an open-model window of 5 s, so
 * the spike is a 10x jump in arrival rate (2 -> 20 req/s), and the recovery phase shows whether the
 * server came back to its baseline latency and error rate.
 */
import { defineScenario, shapeOf } from '../lib/scenario.js';

// A function: in the runner's build only the init that resolves the plan builds the shape and reads
// the thresholds (src/k6/lib/scenario.ts), where k6 evaluates the rest of the script in every VU.
declare function require(id: string): unknown;
const scenario = defineScenario(() => ({ ...shapeOf('spike'), thresholds: require('../../../thresholds/spike.json') }));

export const options = scenario.options;
export default scenario.run;
export const handleSummary = scenario.handleSummary;
