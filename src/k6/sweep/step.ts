/**
 * One step of a capacity sweep (npm run k6:sweep): requests arrive at RATE per second for
 * WINDOW_SEC seconds (open model, at most CLIENTS in flight) on the endpoint named by MIX. Not a
 * scenario of its own (it lives outside src/k6/scenarios): the sweep runs it at rising rates and
 * judges each step against the SLO itself. Its definition is the sweep's too
 * (src/core/plan/scenario-shapes.ts), so that the sweep makes the workload its plan sends.
 */
import { sweepStepDefinition } from '../../core/plan/scenario-shapes.js';
import { readEnv } from '../lib/env.js';
import { defineScenario } from '../lib/scenario.js';

const scenario = defineScenario(sweepStepDefinition(readEnv().sweep ?? { rate: 1, windowSec: 10, clients: 50 }));

export const options = scenario.options;
export default scenario.run;
export const handleSummary = scenario.handleSummary;
