/**
 * Seed scenario 3: POST /generate (max_tokens 5, greedy), 5 clients share 25 requests, 60 s timeout.
 */
import { defineScenario } from '../lib/scenario.js';
import thresholds from '../../../thresholds/generate.json';

const scenario = defineScenario({
  name: 'generate',
  description: 'Generate endpoint load test: POST /generate, 5 clients, 25 requests',
  thresholds,
  mixable: false,
  mix: [{ endpoint: 'generate', weight: 1 }],
  phases: [{ name: 'generate', model: 'closed', clients: 5, requests: 25, timeoutSec: 60 }],
});

export const options = scenario.options;
export default scenario.run;
export const handleSummary = scenario.handleSummary;
