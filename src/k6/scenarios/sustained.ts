/**
 * Seed scenario 6: sustained load, 200 requests arriving evenly over 30 s (open model), at most 10 clients.
 * Open model: requests arrive on schedule whatever the server does, so a slow server shows up as
 * latency and dropped requests instead of hiding behind fewer requests (coordinated omission).
 * The default mix sends equally to health, tokenize and generate; `--mix health` is the seed's test.
 */
import { builtinScenario } from '../lib/scenario.js';
// As text: parsed only where the plan is resolved (src/k6/lib/scenario.ts builtinScenario).
import thresholds from '../../../thresholds/sustained.json' with { type: 'text' };

const scenario = builtinScenario('sustained', thresholds);

export const options = scenario.options;
export default scenario.run;
export const handleSummary = scenario.handleSummary;
