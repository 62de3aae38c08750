/**
 * Seed scenario 1: GET /health under concurrent load, 10 clients share 100 requests.
 */
import { defineScenario, shapeOf } from '../lib/scenario.js';

// A function: in the runner's build only the init that resolves the plan builds the shape and reads
// the thresholds (src/k6/lib/scenario.ts), where k6 evaluates the rest of the script in every VU.
declare function require(id: string): unknown;
const scenario = defineScenario(() => ({
  ...shapeOf('health'),
  thresholds: require('../../../thresholds/health.json'),
}));

export const options = scenario.options;
export default scenario.run;
export const handleSummary = scenario.handleSummary;
