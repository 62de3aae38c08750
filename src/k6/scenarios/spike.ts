/**
 * Seed scenario 7: spike traffic. Baseline 2 clients x 10 requests, then a 10x spike of 20 clients x
 * 100 requests, then a recovery phase like the baseline. Each phase is an open-model window of 5 s, so
 * the spike is a 10x jump in arrival rate (2 -> 20 req/s), and the recovery phase shows whether the
 * server came back to its baseline latency and error rate.
 */
import { defineScenario } from '../lib/scenario.js';
import thresholds from '../../../thresholds/spike.json';

const scenario = defineScenario({
  name: 'spike',
  description: 'Spike traffic test: baseline 2 clients x 10 requests, spike 20 x 100 (10x), recovery 2 x 10',
  thresholds,
  mixable: true,
  mix: [
    { endpoint: 'health', weight: 1 },
    { endpoint: 'tokenize', weight: 1 },
    { endpoint: 'generate', weight: 1 },
  ],
  phases: [
    { name: 'baseline', model: 'open', clients: 2, requests: 10, durationSec: 5, timeoutSec: 30 },
    { name: 'spike', model: 'open', clients: 20, requests: 100, durationSec: 5, timeoutSec: 30 },
    { name: 'recovery', model: 'open', clients: 2, requests: 10, durationSec: 5, timeoutSec: 30 },
  ],
});

export const options = scenario.options;
export default scenario.run;
export const handleSummary = scenario.handleSummary;
