/**
 * Seed scenario 3: POST /generate (max_tokens 5, greedy), 5 clients share 25 requests, 60 s timeout.
 */
import { builtinScenario } from '../lib/scenario.js';
// As text: parsed only where the plan is resolved (src/k6/lib/scenario.ts builtinScenario).
import thresholds from '../../../thresholds/generate.json' with { type: 'text' };

const scenario = builtinScenario('generate', thresholds);

export const options = scenario.options;
export default scenario.run;
export const handleSummary = scenario.handleSummary;
