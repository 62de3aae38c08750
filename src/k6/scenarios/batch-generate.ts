/**
 * Seed scenario 5: POST /batch/generate with 2 prompts per request, 3 clients share 15 requests, 60 s timeout.
 */
import { builtinScenario } from '../lib/scenario.js';
// As text: parsed only where the plan is resolved (src/k6/lib/scenario.ts builtinScenario).
import thresholds from '../../../thresholds/batch-generate.json' with { type: 'text' };

const scenario = builtinScenario('batch-generate', thresholds);

export const options = scenario.options;
export default scenario.run;
export const handleSummary = scenario.handleSummary;
