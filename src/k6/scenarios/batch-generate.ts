/**
 * Seed scenario 5: POST /batch/generate with 2 prompts per request, 3 clients share 15 requests, 60 s timeout.
 */
import { defineScenario } from '../lib/scenario.js';
import thresholds from '../../../thresholds/batch-generate.json';

const scenario = defineScenario({
  name: 'batch-generate',
  description: 'Batch generate load test: POST /batch/generate (2 prompts), 3 clients, 15 requests',
  thresholds,
  mixable: false,
  mix: [{ endpoint: 'batch-generate', weight: 1 }],
  phases: [{ name: 'batch-generate', model: 'closed', clients: 3, requests: 15, timeoutSec: 60 }],
});

export const options = scenario.options;
export default scenario.run;
export const handleSummary = scenario.handleSummary;
