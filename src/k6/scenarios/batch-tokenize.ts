/**
 * Seed scenario 4: POST /batch/tokenize with 3 texts per request, 5 clients share 25 requests.
 */
import { defineScenario } from '../lib/scenario.js';
import thresholds from '../../../thresholds/batch-tokenize.json';

const scenario = defineScenario({
  name: 'batch-tokenize',
  description: 'Batch tokenize load test: POST /batch/tokenize (3 texts), 5 clients, 25 requests',
  thresholds,
  mixable: false,
  mix: [{ endpoint: 'batch-tokenize', weight: 1 }],
  phases: [{ name: 'batch-tokenize', model: 'closed', clients: 5, requests: 25, timeoutSec: 30 }],
});

export const options = scenario.options;
export default scenario.run;
export const handleSummary = scenario.handleSummary;
