/**
 * Seed scenario 4: POST /batch/tokenize with 3 texts per request, 5 clients share 25 requests.
 */
import { builtinScenario } from '../lib/scenario.js';
// As text: parsed only where the plan is resolved (src/k6/lib/scenario.ts builtinScenario).
import thresholds from '../../../thresholds/batch-tokenize.json' with { type: 'text' };

const scenario = builtinScenario('batch-tokenize', thresholds);

export const options = scenario.options;
export default scenario.run;
export const handleSummary = scenario.handleSummary;
