/**
 * Seed scenario 1: GET /health under concurrent load, 10 clients share 100 requests.
 */
import { SCENARIO_SHAPES } from '../../core/plan/scenario-shapes.js';
import { defineScenario } from '../lib/scenario.js';
import thresholds from '../../../thresholds/health.json';

const scenario = defineScenario({ ...SCENARIO_SHAPES['health']!, thresholds });

export const options = scenario.options;
export default scenario.run;
export const handleSummary = scenario.handleSummary;
