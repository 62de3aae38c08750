/**
 * Seed scenario 4: POST /batch/tokenize with 3 texts per request, 5 clients share 25 requests.
 */
import { SCENARIO_SHAPES } from '../../core/plan/scenario-shapes.js';
import { defineScenario } from '../lib/scenario.js';
import thresholds from '../../../thresholds/batch-tokenize.json';

const scenario = defineScenario({ ...SCENARIO_SHAPES['batch-tokenize']!, thresholds });

export const options = scenario.options;
export default scenario.run;
export const handleSummary = scenario.handleSummary;
