/**
 * Seed scenario 2: POST /tokenize, 5 clients share 50 requests.
 */
import { SCENARIO_SHAPES } from '../../core/plan/scenario-shapes.js';
import { defineScenario } from '../lib/scenario.js';
import thresholds from '../../../thresholds/tokenize.json';

const scenario = defineScenario({ ...SCENARIO_SHAPES['tokenize']!, thresholds });

export const options = scenario.options;
export default scenario.run;
export const handleSummary = scenario.handleSummary;
