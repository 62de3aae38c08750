/**
 * Seed scenario 3: POST /generate (max_tokens 5, greedy), 5 clients share 25 requests, 60 s timeout.
 */
import { SCENARIO_SHAPES } from '../../core/plan/scenario-shapes.js';
import { defineScenario } from '../lib/scenario.js';
import thresholds from '../../../thresholds/generate.json';

const scenario = defineScenario({ ...SCENARIO_SHAPES['generate']!, thresholds });

export const options = scenario.options;
export default scenario.run;
export const handleSummary = scenario.handleSummary;
