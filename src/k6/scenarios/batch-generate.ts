/**
 * Seed scenario 5: POST /batch/generate with 2 prompts per request, 3 clients share 15 requests, 60 s timeout.
 */
import { defineScenario, shapeOf } from '../lib/scenario.js';

// A function: in the runner's build only the init that resolves the plan builds the shape and reads
// the thresholds (src/k6/lib/scenario.ts), where k6 evaluates the rest of the script in every VU.
declare function require(id: string): unknown;
const scenario = defineScenario(() => ({
  ...shapeOf('batch-generate'),
  thresholds: require('../../../thresholds/batch-generate.json'),
}));

export const options = scenario.options;
export default scenario.run;
export const handleSummary = scenario.handleSummary;
