/**
 * Seed scenario 2: POST /tokenize, 5 clients share 50 requests.
 */
import { defineScenario } from '../lib/scenario.js';
import thresholds from '../../../thresholds/tokenize.json';

const scenario = defineScenario({
  name: 'tokenize',
  description: 'Tokenize endpoint load test: POST /tokenize, 5 clients, 50 requests',
  thresholds,
  mixable: false,
  mix: [{ endpoint: 'tokenize', weight: 1 }],
  phases: [{ name: 'tokenize', model: 'closed', clients: 5, requests: 50, timeoutSec: 30 }],
});

export const options = scenario.options;
export default scenario.run;
export const handleSummary = scenario.handleSummary;
