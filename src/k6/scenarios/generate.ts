/**
 * Seed scenario 3: POST /generate (max_tokens 5, greedy), 5 clients share 25 requests, 60 s timeout.
 */
import { defineScenario, shapeOf } from '../lib/scenario.js';

// A function: in the runner's build only the init that resolves the plan builds the shape and reads
// the thresholds (src/k6/lib/scenario.ts), where k6 evaluates the rest of the script in every VU.
declare function require(id: string): unknown;
const scenario = defineScenario(() => ({
  ...shapeOf('generate'),
  thresholds: require('../../../thresholds/generate.json'),
}));

export const options = scenario.options;
export default scenario.run;
export const handleSummary = scenario.handleSummary;
