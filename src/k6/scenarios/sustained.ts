/**
 * Seed scenario 6: sustained load, 200 requests arriving evenly over 30 s (open model), at most 10 clients.
 * Open model: requests arrive on schedule whatever the server does, so a slow server shows up as
 * latency and dropped requests instead of hiding behind fewer requests (coordinated omission).
 * The default mix sends equally to health, tokenize and generate; `--mix health` is the seed's test.
 */
import { defineScenario, shapeOf } from '../lib/scenario.js';

// A function: in the runner's build only the init that resolves the plan builds the shape and reads
// the thresholds (src/k6/lib/scenario.ts), where k6 evaluates the rest of the script in every VU.
declare function require(id: string): unknown;
const scenario = defineScenario(() => ({
  ...shapeOf('sustained'),
  thresholds: require('../../../thresholds/sustained.json'),
}));

export const options = scenario.options;
export default scenario.run;
export const handleSummary = scenario.handleSummary;
