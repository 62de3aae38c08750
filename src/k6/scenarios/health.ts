/**
 * Seed scenario 1: GET /health under concurrent load, 10 clients share 100 requests.
 */
import { builtinScenario } from '../lib/scenario.js';
// As text: parsed only where the plan is resolved (src/k6/lib/scenario.ts builtinScenario).
import thresholds from '../../../thresholds/health.json' with { type: 'text' };

const scenario = builtinScenario('health', thresholds);

export const options = scenario.options;
export default scenario.run;
export const handleSummary = scenario.handleSummary;
