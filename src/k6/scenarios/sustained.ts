/**
 * Seed scenario 6: sustained load, 200 requests arriving evenly over 30 s (open model), at most 10 clients.
 * Open model: requests arrive on schedule whatever the server does, so a slow server shows up as
 * latency and dropped requests instead of hiding behind fewer requests (coordinated omission).
 * The default mix sends equally to health, tokenize and generate; `--mix health` is the seed's test.
 */
import { SCENARIO_SHAPES } from '../../core/plan/scenario-shapes.js';
import { defineScenario } from '../lib/scenario.js';
import thresholds from '../../../thresholds/sustained.json';

const scenario = defineScenario({ ...SCENARIO_SHAPES['sustained']!, thresholds });

export const options = scenario.options;
export default scenario.run;
export const handleSummary = scenario.handleSummary;
