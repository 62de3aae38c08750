/**
 * Seed scenario 5: POST /batch/generate with 2 prompts per request, 3 clients share 15 requests, 60 s timeout.
 */
import { SCENARIO_SHAPES } from '../../core/plan/scenario-shapes.js';
import { defineScenario } from '../lib/scenario.js';
import thresholds from '../../../thresholds/batch-generate.json';

const scenario = defineScenario({ ...SCENARIO_SHAPES['batch-generate']!, thresholds });

export const options = scenario.options;
export default scenario.run;
export const handleSummary = scenario.handleSummary;
