/**
 * Seed scenario 2: POST /tokenize, 5 clients share 50 requests.
 */
import { builtinScenario } from '../lib/scenario.js';
// As text: parsed only where the plan is resolved (src/k6/lib/scenario.ts builtinScenario).
import thresholds from '../../../thresholds/tokenize.json' with { type: 'text' };

const scenario = builtinScenario('tokenize', thresholds);

export const options = scenario.options;
export default scenario.run;
export const handleSummary = scenario.handleSummary;
