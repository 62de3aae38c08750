/**
 * Seed scenario 7: spike traffic. Baseline 2 clients x 10 requests, then a 10x spike of 20 clients x
 * 100 requests, then a recovery phase like the baseline. Each phase is an open-model window of 5 s, so
 * the spike is a 10x jump in arrival rate (2 -> 20 req/s), and the recovery phase shows whether the
 * server came back to its baseline latency and error rate.
 */
import { SCENARIO_SHAPES } from '../../core/plan/scenario-shapes.js';
import { defineScenario } from '../lib/scenario.js';
import thresholds from '../../../thresholds/spike.json';

const scenario = defineScenario({ ...SCENARIO_SHAPES['spike']!, thresholds });

export const options = scenario.options;
export default scenario.run;
export const handleSummary = scenario.handleSummary;
